/**
 * How a pipe (`client`, `server --mode pipe`) ends, in the relay's terms. The rules, as
 * the README states them: back-pressure is never idleness; after the peer's FIN, stdin
 * goes on being sent until it ends (then FIN) or a write fails, as `nc -N` and ncat do,
 * except when stdin is a terminal (exit when the peer closes), with `--linger DUR`
 * (stop sending once stdin was quiet that long after the peer closed, socat's `-t`) and
 * with `--recv-only` (stdin is never read: exit when the peer closes).
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import type { RelayOptions } from "../relay/relay.ts";

/** The pipe options a user can set. */
export interface PipeOptions {
  /** `--recv-only`: never read stdin, never half-close; end when the peer closes. */
  recvOnly?: boolean;
  /** `--send-only`: never write stdout; what the peer sends is read and discarded. */
  sendOnly?: boolean;
  /** `--linger DUR`: after the peer closed, stop sending once stdin was quiet this long. */
  lingerMs?: number;
}

/** The situation the pipe runs in. */
export interface PipeSituation {
  /** stdin is a terminal (a person, nothing queued) and is what the pipe sends. */
  stdinIsTerminal: boolean;
  /** `server --mode pipe --keep-open`: stdin is handed on to the next client. */
  keepOpen?: boolean;
}

/**
 * With `--keep-open`, once a client has closed its side, stdin is handed on to the next
 * client after it was quiet this long (never while a chunk is still being written).
 */
export const KEEP_OPEN_LINGER_MS = 500;

/** The relay options (local endpoint = A, peer = B) for `options` in `situation`. */
export function pipeRelayOptions(options: PipeOptions, situation: PipeSituation): RelayOptions {
  const base: RelayOptions = { drainBAfterWriteError: true };
  if (options.recvOnly) return { ...base, only: "b-to-a" };
  const lingerMs = options.lingerMs ??
    (situation.keepOpen ? KEEP_OPEN_LINGER_MS : situation.stdinIsTerminal ? 0 : undefined);
  return lingerMs === undefined ? base : { ...base, endOn: "b-to-a", lingerMs };
}

/** `--send-only`: the local endpoint with its output discarded (still counted). */
export function discardOutput(local: Endpoint): Endpoint {
  return {
    name: local.name,
    read: (buf) => local.read(buf),
    write: () => Promise.resolve(),
    closeWrite: () => local.closeWrite(),
    close: () => local.close(),
  };
}
