/**
 * Turns a relay's result into what the user sees: the `closed` event, and either an exit
 * code or a thrown error for the CLI's error table. Shared by `client` and
 * `server --mode pipe`, which follow the same half-close rules.
 * @module
 */

import { TimeoutError } from "../errors.ts";
import { netError } from "../net/errors.ts";
import type { CloseReason } from "../output/events.ts";
import { formatDuration } from "../duration.ts";
import type { Reporter } from "../output/reporter.ts";
import { isBrokenPipe } from "../output/writer.ts";
import type { RelayResult } from "./relay.ts";

/** Relay of stdio (A) with a network peer (B). */
export interface PeerRelay {
  result: RelayResult;
  peer: string;
  idleTimeoutMs?: number;
}

/** Emits the `closed` event of a stdio ↔ peer relay. */
export function emitClosed(reporter: Reporter, run: PeerRelay, reason: CloseReason): void {
  const { result, peer } = run;
  reporter.emit({
    type: "closed",
    peer,
    bytesSent: result.aToB.bytes,
    bytesReceived: result.bToA.bytes,
    durationMs: Math.round(result.durationMs),
    reason,
  });
}

/** Reports `closed` and returns 0, or throws the error the run ended with. */
export function finishPeerRelay(reporter: Reporter, run: PeerRelay): number {
  const { result, peer } = run;
  emitClosed(reporter, run, closeReason(result));
  switch (result.reason) {
    case "aborted":
      throw result.error;
    case "idle":
      throw new TimeoutError(
        `No traffic with "${peer}" for ${formatDuration(run.idleTimeoutMs ?? 0)} (--idle-timeout)`,
      );
    case "error":
      throw readError(result, peer);
    case "done":
      return 0;
  }
}

function readError(result: RelayResult, peer: string): Error {
  const fromStdin = result.aToB.outcome.kind === "read-error";
  return fromStdin
    ? netError("Cannot read", "stdin", result.error)
    : netError("Connection to", peer, result.error);
}

function closeReason(result: RelayResult): CloseReason {
  switch (result.reason) {
    case "aborted":
      return result.error instanceof TimeoutError ? "timeout" : "interrupted";
    case "idle":
      return "idle";
    case "error":
      return result.error instanceof Deno.errors.ConnectionReset ? "reset" : "error";
    case "done": {
      const out = result.bToA.outcome;
      return out.kind === "write-error" && isBrokenPipe(out.error) ? "output-closed" : "eof";
    }
  }
}
