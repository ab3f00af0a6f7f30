/**
 * The relay: pumps A→B and B→A at once. When one side reaches end of stream, the other
 * side is half-closed and the other direction keeps running (as socat and websocat do).
 *
 * Its rule in one sentence: a direction that holds bytes it read but has not yet written
 * is alive, however slow or stopped its reader is, so no timer (linger or idle timeout)
 * ever ends a relay while read bytes are unwritten; only an error, the abort signal or
 * the ends of both directions do, and the result says how many bytes each direction
 * moved, how many it left unwritten and which read or write failed.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import { pump, type PumpOutcome } from "./pump.ts";

/**
 * Default size of each of the four read buffers. Re-measured on the 2-core machine (client
 * → `server --mode pipe`, a 256 MiB file, alternating rounds with nc and socat): 1 MiB
 * buffers with 1 MiB file reads were faster than 256 KiB in 7 of 9 rounds (median 1.24×);
 * an earlier measurement that favoured 256 KiB was not reproduced. Commands that serve many
 * connections (echo, exec) pass a smaller size.
 */
export const RELAY_BUFFER_BYTES = 1024 * 1024;

/** Which finished direction starts the linger of the other one. */
export type EndOn = "both" | "any" | "a-to-b" | "b-to-a";

/** One of the two directions. */
export type Direction = "a-to-b" | "b-to-a";

/** Options of `relay`. */
export interface RelayOptions {
  /**
   * Default `"both"`: the relay ends when both directions have ended. With a direction
   * (or `"any"`), once that direction has ended the other one may be stopped by `lingerMs`.
   */
  endOn?: EndOn;
  /**
   * Once the `endOn` direction has ended, the other one is stopped after this long without
   * reading anything, and never while bytes it read are still unwritten. Absent: it runs
   * to its own end (socat's `-t`, with back-pressure counted as activity).
   */
  lingerMs?: number;
  /**
   * Ends the relay with reason `"idle"` after this long without a read or a write either
   * way. A write that is waiting for a slow reader is not idleness: the timer waits for it.
   */
  idleTimeoutMs?: number;
  /** Ends the relay with reason `"aborted"` (bytes may be left unwritten; see the result). */
  signal?: AbortSignal;
  /** Size of each read buffer (two per direction). Default `RELAY_BUFFER_BYTES`. */
  bufferSize?: number;
  /** Run only one direction; the other is treated as finished from the start. */
  only?: Direction;
  /**
   * When writing to B fails (the peer reset or closed), keep copying B → A until B's end,
   * so that what the peer sent before it went away still arrives. Default false: any
   * failed write ends the relay at once.
   */
  drainBAfterWriteError?: boolean;
}

/** How one direction ended, and how many bytes it moved. */
export interface DirectionResult {
  /** Bytes written to the destination in full. */
  bytes: number;
  /** Bytes read from the source and not (yet) written. */
  readonly unwritten: number;
  outcome: PumpOutcome | { kind: "running" };
}

/** What `relay` returns. */
export interface RelayResult {
  aToB: DirectionResult;
  bToA: DirectionResult;
  /** `done`: directions ended as the options say; `error`: a read or a write failed. */
  reason: "done" | "idle" | "aborted" | "error";
  /** The failure (`reason` `"error"`) or the abort reason (`"aborted"`). */
  error?: unknown;
  /** With `reason` `"error"`: the direction whose read or write failed. */
  failed?: Direction;
  durationMs: number;
}

/** Per-direction bookkeeping while the relay runs. */
interface Flow {
  result: DirectionResult;
  read: number;
  lastActivity: number;
}

/** Relays between `a` and `b` until the run is over. Never rejects; does not close. */
export async function relay(
  a: Endpoint,
  b: Endpoint,
  options: RelayOptions = {},
): Promise<RelayResult> {
  const started = performance.now();
  const endOn = options.endOn ?? "both";
  const bufferSize = options.bufferSize ?? RELAY_BUFFER_BYTES;
  const flow = (): Flow => {
    const f: Flow = {
      result: {
        bytes: 0,
        // Live: a write still in flight when the relay ends is counted once it completes.
        get unwritten() {
          return f.read - f.result.bytes;
        },
        outcome: { kind: "running" },
      },
      read: 0,
      lastActivity: started,
    };
    return f;
  };
  const flows: Record<Direction, Flow> = { "a-to-b": flow(), "b-to-a": flow() };
  const other = (direction: Direction): Direction => direction === "a-to-b" ? "b-to-a" : "a-to-b";
  const unwritten = (f: Flow) => f.read - f.result.bytes;
  const running = (f: Flow) => f.result.outcome.kind === "running";

  let stopped = false;
  let reason = "done" as RelayResult["reason"];
  let failure: unknown;
  let failed: Direction | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const end = (why: RelayResult["reason"], error?: unknown) => {
    if (stopped) return;
    stopped = true;
    reason = why;
    if (error !== undefined) failure = error;
    finish();
  };

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, Math.max(ms, 0));
    timers.add(timer);
  };

  let lingering: Direction | undefined;
  const startLinger = (direction: Direction) => {
    if (options.lingerMs === undefined || lingering !== undefined) return;
    lingering = direction;
    const lingerMs = options.lingerMs;
    const since = performance.now();
    const check = () => {
      if (stopped) return;
      const f = flows[direction];
      const quiet = performance.now() - Math.max(f.lastActivity, since);
      // Back-pressure is never idleness: wait for every read byte to be written.
      if (unwritten(f) === 0 && quiet >= lingerMs) end("done");
      else later(unwritten(f) > 0 ? Math.max(lingerMs, 10) : lingerMs - quiet, check);
    };
    if (lingerMs === 0) check();
    else later(lingerMs, check);
  };

  const settle = (direction: Direction, outcome: PumpOutcome) => {
    const f = flows[direction];
    f.result.outcome = outcome;
    if (stopped) return;
    const rest = other(direction);
    if (outcome.kind === "read-error" || outcome.kind === "write-error") {
      if (failed === undefined) [failure, failed] = [outcome.error, direction];
      const drain = outcome.kind === "write-error" && direction === "a-to-b" &&
        options.drainBAfterWriteError === true && running(flows[rest]);
      if (!drain) end("error", failure);
      return;
    }
    if (!running(flows[rest])) return end(failed === undefined ? "done" : "error", failure);
    if (endOn === "any" || endOn === direction) startLinger(rest);
  };

  const run = (direction: Direction, src: Endpoint, dst: Endpoint) => {
    const f = flows[direction];
    if (options.only !== undefined && options.only !== direction) {
      f.result.outcome = { kind: "eof" };
      return;
    }
    pump(src, dst, {
      bufferSize,
      shouldStop: () => stopped,
      onRead: (n) => {
        f.read += n;
        f.lastActivity = performance.now();
      },
      onProgress: (n) => {
        f.result.bytes += n;
        f.lastActivity = performance.now();
      },
    }).then((outcome) => settle(direction, outcome));
  };

  run("a-to-b", a, b);
  run("b-to-a", b, a);
  if (options.only !== undefined && !running(flows[options.only])) end("done");

  if (options.idleTimeoutMs !== undefined) {
    const idleMs = options.idleTimeoutMs;
    const checkIdle = () => {
      if (stopped) return;
      const all = [flows["a-to-b"], flows["b-to-a"]];
      const waiting = all.some((f) => unwritten(f) > 0);
      const quiet = performance.now() - Math.max(...all.map((f) => f.lastActivity));
      if (!waiting && quiet >= idleMs) end("idle");
      else later(waiting ? idleMs : idleMs - quiet, checkIdle);
    };
    later(idleMs, checkIdle);
  }
  const onAbort = () => end("aborted", options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  await finished;
  for (const timer of timers) clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  return {
    aToB: flows["a-to-b"].result,
    bToA: flows["b-to-a"].result,
    reason,
    ...(failure !== undefined ? { error: failure } : {}),
    ...(failed !== undefined && reason === "error" ? { failed } : {}),
    durationMs: performance.now() - started,
  };
}
