/**
 * Turns a relay's result into what the user sees: the `closed` event, and either an exit
 * code or a thrown error for the CLI's error table. Shared by `client` and
 * `server --mode pipe`, which follow the same half-close rules. Any byte not delivered
 * is a failure, told in one line that names the peer, what happened and how much got
 * through: `Connection to "127.0.0.1:9000": connection reset by peer after 57,671,680
 * bytes sent (stdin not finished)`. Only a vanished stdout reader (`| head -1`) is a
 * quiet success.
 * @module
 */

import { TimeoutError } from "../errors.ts";
import { describeNetError, netError } from "../net/errors.ts";
import { ProtocolMismatchError } from "../net/tls_sniff.ts";
import type { ClosedEvent, CloseReason } from "../output/events.ts";
import { formatDuration } from "../duration.ts";
import type { Reporter } from "../output/reporter.ts";
import { isBrokenPipe } from "../output/writer.ts";
import type { RelayResult } from "./relay.ts";

/** Relay of stdio (A) with a network peer (B). */
export interface PeerRelay {
  result: RelayResult;
  peer: string;
  idleTimeoutMs?: number;
  /** What the A side reads in messages: `stdin` (default) or `--send`. */
  source?: string;
}

/** Emits the `closed` event of a stdio ↔ peer relay. */
export function emitClosed(reporter: Reporter, run: PeerRelay, reason: CloseReason): void {
  const { result, peer } = run;
  const event: ClosedEvent = {
    type: "closed",
    peer,
    bytesSent: result.aToB.bytes,
    bytesReceived: result.bToA.bytes,
    durationMs: Math.round(result.durationMs),
    reason,
    stdinFinished: inputFinished(result),
  };
  if (result.aToB.unwritten > 0) event.unsent = result.aToB.unwritten;
  const error = failureText(result);
  if (error !== undefined) event.error = error;
  reporter.emit(event);
}

/**
 * Emits the `closed` event of an echo connection: the peer relayed into itself (`only`
 * `a-to-b`), so what was read came from the peer and every failure is the peer's.
 */
export function emitEchoClosed(reporter: Reporter, result: RelayResult, peer: string): void {
  const event: ClosedEvent = {
    type: "closed",
    peer,
    bytesSent: result.aToB.bytes,
    bytesReceived: result.aToB.bytes + result.aToB.unwritten,
    durationMs: Math.round(result.durationMs),
    reason: closeReason(result, { peerOnly: true }),
  };
  if (result.aToB.unwritten > 0) event.unsent = result.aToB.unwritten;
  if (result.reason === "error") event.error = peerFailure(result.error);
  reporter.emit(event);
}

/** Reports `closed` and returns 0, or throws the error the run ended with. */
export function finishPeerRelay(reporter: Reporter, run: PeerRelay): number {
  const { result, peer } = run;
  emitClosed(reporter, run, closeReason(result));
  switch (result.reason) {
    case "aborted":
      throw withUnsent(result.error, run);
    case "idle":
      throw new TimeoutError(
        `No traffic with "${peer}" for ${formatDuration(run.idleTimeoutMs ?? 0)} (--idle-timeout)`,
      );
    case "error":
      if (outputClosed(result)) return 0;
      throw relayError(run);
    case "done":
      return 0;
  }
}

/** True when everything the A side had to send was read to its end and sent. */
export function inputFinished(result: RelayResult): boolean {
  return result.aToB.outcome.kind === "eof" && result.aToB.unwritten === 0;
}

/** stdout's reader went away (`| head -1`): a quiet success. */
function outputClosed(result: RelayResult): boolean {
  const out = result.bToA.outcome;
  return result.failed === "b-to-a" && out.kind === "write-error" && isBrokenPipe(out.error);
}

/** The one-line error of a failed relay, of the failure's class (for the exit code table). */
function relayError(run: PeerRelay): Error {
  const { result, peer } = run;
  const source = run.source ?? "stdin";
  const a = result.aToB.outcome;
  const b = result.bToA.outcome;
  if (result.failed === "a-to-b" && a.kind === "read-error") {
    return netError("Cannot read", source, a.kind === "read-error" ? a.error : result.error);
  }
  if (result.failed === "b-to-a" && b.kind === "write-error") {
    return netError("Cannot write", "stdout", b.error);
  }
  // The other protocol is the whole story: no byte counts.
  if (result.error instanceof ProtocolMismatchError) {
    return new ProtocolMismatchError(`${peer}: ${result.error.reason}`);
  }
  const error = netError("Connection to", peer, result.error);
  error.message = `Connection to "${peer}": ${peerFailure(result.error)} ${delivered(run)}`;
  return error;
}

/** `after 1,024 bytes sent (stdin not finished)`, or the received count once sending was done. */
function delivered(run: PeerRelay): string {
  const { result } = run;
  const source = run.source ?? "stdin";
  const sent = result.aToB.bytes;
  const received = result.bToA.bytes;
  const finished = inputFinished(result) ? `${source} finished` : `${source} not finished`;
  // While something was being sent, what got sent is the number that matters.
  const sending = result.failed === "a-to-b" ||
    (!inputFinished(result) && sent + result.aToB.unwritten > 0);
  if (sending) {
    const also = received > 0 ? `; ${count(received)} received` : "";
    return `after ${count(sent)} bytes sent (${finished})${also}`;
  }
  return `after ${count(received)} bytes received (${count(sent)} sent, ${finished})`;
}

/** What went wrong with the peer, in words. */
function peerFailure(error: unknown): string {
  // EPIPE on a socket: the peer closed (or reset) and will not read what we send.
  if (isBrokenPipe(error)) return "connection closed by peer";
  return describeNetError(error);
}

/** The `error` field of `closed`: what failed, when something did. */
function failureText(result: RelayResult): string | undefined {
  if (result.reason !== "error" || outputClosed(result)) return undefined;
  const a = result.aToB.outcome;
  const b = result.bToA.outcome;
  if (result.failed === "a-to-b" && a.kind === "read-error") {
    return `cannot read stdin: ${describeNetError(a.error)}`;
  }
  if (result.failed === "b-to-a" && b.kind === "write-error") {
    return `cannot write stdout: ${describeNetError(b.error)}`;
  }
  return peerFailure(result.error);
}

/** A deadline or interrupt that cut a transfer says how many bytes were left unsent. */
function withUnsent(reason: unknown, run: PeerRelay): unknown {
  const unsent = run.result.aToB.unwritten;
  if (!(reason instanceof TimeoutError) || unsent === 0) return reason;
  return new TimeoutError(
    `${reason.message}: ${count(unsent)} bytes read from ${
      run.source ?? "stdin"
    } were not sent to "${run.peer}" (it was not reading)`,
  );
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The `reason` of `closed`; `peerOnly`: both ends of the relay are the peer (echo). */
function closeReason(result: RelayResult, { peerOnly = false } = {}): CloseReason {
  switch (result.reason) {
    case "aborted":
      return result.error instanceof TimeoutError ? "timeout" : "interrupted";
    case "idle":
      return "idle";
    case "error": {
      if (!peerOnly && outputClosed(result)) return "output-closed";
      const peerSide = peerOnly ||
        !(result.failed === "a-to-b" && result.aToB.outcome.kind === "read-error") &&
          !(result.failed === "b-to-a" && result.bToA.outcome.kind === "write-error");
      const reset = result.error instanceof Deno.errors.ConnectionReset ||
        isBrokenPipe(result.error);
      return peerSide && reset ? "reset" : "error";
    }
    case "done":
      return "eof";
  }
}
