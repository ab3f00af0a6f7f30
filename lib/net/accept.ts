/**
 * Accepting connections until an abort signal fires, without letting a peer's fault
 * stall the server. A connection reset or aborted before we took it is counted, never
 * slept on; only running out of descriptors (EMFILE/ENFILE) pauses accepting, and that
 * is said once per burst. `--max-per-ip` turns away an address's extra connections at
 * once. On a TLS listener each client's handshake runs here, explicitly, concurrently and
 * with a deadline that frees the socket; at most `MAX_HANDSHAKES` run at once (a new one
 * evicts the oldest), and a client that fails (plaintext, garbage, stalled) is dropped
 * with a warning and never reaches the mode's handler.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { sleep } from "../async.ts";
import type { Reporter } from "../output/reporter.ts";
import { connEndpoint, type Endpoint } from "./endpoint.ts";
import type { PeerLimit } from "./peer_limit.ts";
import { peerName } from "./tcp.ts";
import { listenerTls, loadTlsAccept, serverHandshake } from "./tls_server.ts";

/** Most TLS handshakes in progress at once; a newer one evicts the oldest. */
export const MAX_HANDSHAKES = 64;

/** Pauses between accepts while the process is out of descriptors (doubling). */
const DESCRIPTOR_BACKOFF_MS = [25, 50, 100, 200, 400];

/** Out-of-descriptor failures closer together than this are one burst (one warning). */
const QUIET_MS = 5_000;

/** One accepted client, its handshake done. */
export interface Accepted {
  /** The transport connection (addresses, socket options); do not read or write it. */
  conn: Deno.Conn;
  /** The client as an endpoint (TLS already set up); closing it closes `conn`. */
  endpoint: Endpoint;
  /** `HOST:PORT` for TCP, `unix client` for a Unix socket. */
  peer: string;
  /** The bare address `--allow/--deny/--max-per-ip` look at (`unix` for Unix sockets). */
  host: string;
}

/** Options of `acceptLoop`. */
export interface AcceptOptions {
  /** `--max-per-ip`: connections beyond an address's share are closed at once. */
  perIp?: PeerLimit;
}

/** Calls `handle` for every accepted client until `signal` aborts. */
export async function acceptLoop(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
  handle: (client: Accepted) => void,
  options: AcceptOptions = {},
): Promise<void> {
  const tls = listenerTls(listener);
  const faults = new FaultLog(reporter);
  /** Handshakes in progress, oldest first, each with its own abort. */
  const handshakes = new Map<Deno.Conn, AbortController>();
  const pending = new Set<Promise<void>>();
  if (tls !== undefined) await loadTlsAccept();
  try {
    while (true) {
      const conn = await acceptRaw(listener, signal, faults);
      if (conn === null) return;
      const client = admit(conn, options.perIp, reporter);
      if (client === null) continue;
      if (tls === undefined) {
        handle({ ...client, endpoint: released(connEndpoint(conn, client.peer), client.release) });
        continue;
      }
      if (handshakes.size >= MAX_HANDSHAKES) {
        const [oldest, stop] = handshakes.entries().next().value!;
        handshakes.delete(oldest);
        stop.abort(new Error(`evicted: ${MAX_HANDSHAKES} TLS handshakes in progress`));
      }
      const stop = new AbortController();
      handshakes.set(conn, stop);
      // The handshake runs in its own task so the loop goes on accepting meanwhile.
      const task = serverHandshake(conn, tls, client.peer, AbortSignal.any([signal, stop.signal]))
        .then((endpoint) => {
          const secured = released(endpoint, client.release);
          if (signal.aborted) secured.close();
          else handle({ ...client, endpoint: secured });
        }, (error) => {
          client.release();
          if (signal.aborted) return;
          if (stop.signal.aborted) reporter.debug(`${client.peer}: ${(error as Error).message}`);
          else reporter.warn(`${client.peer}: ${(error as Error).message}`);
        }).finally(() => {
          handshakes.delete(conn);
          pending.delete(task);
        });
      pending.add(task);
    }
  } finally {
    faults.flush();
    // The signal has aborted: every pending handshake rejects promptly and closes its conn.
    await Promise.allSettled([...pending]);
  }
}

/**
 * Accepts one client, or resolves to `null` once `signal` aborts. On a TLS listener
 * handshakes run side by side, so a silent peer cannot delay the next one; the first to
 * finish wins and the others are closed. The listener stays open.
 */
export async function acceptOne(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<Accepted | null> {
  const done = new AbortController();
  let first: Accepted | null = null;
  await acceptLoop(listener, AbortSignal.any([signal, done.signal]), reporter, (client) => {
    if (first !== null) {
      client.endpoint.close();
      return;
    }
    first = client;
    done.abort();
  });
  return first;
}

/** The slot-taking part of an accepted client. */
interface Admitted {
  conn: Deno.Conn;
  peer: string;
  host: string;
  release: () => void;
}

/** Checks `--max-per-ip`; null (connection closed) when the address has its share. */
function admit(conn: Deno.Conn, perIp: PeerLimit | undefined, reporter: Reporter): Admitted | null {
  const addr = conn.remoteAddr;
  const tcp = addr.transport === "tcp";
  const peer = tcp ? peerName(conn) : "unix client";
  const host = tcp ? (addr as Deno.NetAddr).hostname : "unix";
  if (perIp === undefined || !tcp) return { conn, peer, host, release: () => {} };
  if (!perIp.take(host)) {
    reporter.debug(`refused ${peer}: ${perIp.max} connections from ${host} already (--max-per-ip)`);
    closeQuietly(conn);
    return null;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    perIp.release(host);
  };
  return { conn, peer, host, release };
}

/** `endpoint`, calling `release` once when it is closed. */
function released(endpoint: Endpoint, release: () => void): Endpoint {
  return {
    name: endpoint.name,
    read: (buf) => endpoint.read(buf),
    write: (data, onProgress) => endpoint.write(data, onProgress),
    closeWrite: () => endpoint.closeWrite(),
    close() {
      endpoint.close();
      release();
    },
  };
}

/** One `listener.accept()` in flight per listener, kept across `acceptRaw` calls. */
const inFlight = new WeakMap<Deno.Listener, Promise<Deno.Conn>>();

async function acceptRaw(
  listener: Deno.Listener,
  signal: AbortSignal,
  faults: FaultLog,
): Promise<Deno.Conn | null> {
  while (!signal.aborted) {
    let attempt = inFlight.get(listener);
    if (attempt === undefined) {
      attempt = listener.accept();
      attempt.catch(() => {}); // the caller may stop waiting; the listener's close ends it
      inFlight.set(listener, attempt);
    }
    const outcome = await raceAbort(attempt, signal);
    if (outcome === "aborted") return null;
    inFlight.delete(listener);
    if ("conn" in outcome) {
      faults.accepted();
      return outcome.conn;
    }
    const error = outcome.error;
    if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
      return null; // the listener was closed
    }
    const backoff = faults.failed(error);
    if (backoff > 0) await sleep(backoff, signal).catch(() => {});
  }
  return null;
}

type AcceptOutcome = { conn: Deno.Conn } | { error: unknown } | "aborted";

function raceAbort(attempt: Promise<Deno.Conn>, signal: AbortSignal): Promise<AcceptOutcome> {
  return new Promise<AcceptOutcome>((resolve) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    attempt.then((conn) => ({ conn }), (error) => ({ error })).then((outcome) => {
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    });
  });
}

/**
 * What went wrong while accepting, said once per burst: a peer's fault (reset, aborted,
 * gone before we looked) is counted and retried at once; running out of descriptors
 * pauses accepting with a growing backoff, and is said once until it has not happened
 * for `QUIET_MS` (then the count of failed accepts is said with the next warning).
 */
class FaultLog {
  readonly #reporter: Reporter;
  readonly #now: () => number;
  #peerFaults = 0;
  #otherFaults = 0;
  /** Consecutive EMFILE/ENFILE failures (the backoff step). */
  #descriptorRun = 0;
  /** EMFILE/ENFILE failures not yet reported, and when the last one happened. */
  #descriptorUnsaid = 0;
  #descriptorLastAt = -Infinity;

  constructor(reporter: Reporter, now: () => number = () => performance.now()) {
    this.#reporter = reporter;
    this.#now = now;
  }

  /** Records a failed accept; returns how long to pause before the next (ms). */
  failed(error: unknown): number {
    if (isOutOfDescriptors(error)) {
      const now = this.#now();
      this.#descriptorUnsaid++;
      if (now - this.#descriptorLastAt > QUIET_MS) {
        const more = this.#descriptorUnsaid > 1
          ? ` (${this.#descriptorUnsaid - 1} more since the last warning)`
          : "";
        this.#reporter.warn(
          `accept failed: ${
            (error as Error).message
          }: pausing new connections until a descriptor is free${more}`,
        );
        this.#descriptorUnsaid = 0;
      }
      this.#descriptorLastAt = now;
      const step = Math.min(this.#descriptorRun, DESCRIPTOR_BACKOFF_MS.length - 1);
      this.#descriptorRun++;
      return DESCRIPTOR_BACKOFF_MS[step]!;
    }
    if (isPeerFault(error)) {
      this.#peerFaults++;
      return 0;
    }
    // Anything else: said once per burst; a run of them gets a short pause, never a spin.
    if (this.#otherFaults === 0) this.#reporter.warn(`accept failed: ${(error as Error).message}`);
    this.#otherFaults++;
    return this.#otherFaults % 100 === 0 ? 50 : 0;
  }

  /** An accept succeeded: a burst of peer faults (if any) is over. */
  accepted(): void {
    this.#descriptorRun = 0;
    if (this.#peerFaults + this.#otherFaults > 0) this.flush();
  }

  /** Says how many peers were gone before they were accepted, and counts afresh. */
  flush(): void {
    if (this.#peerFaults > 0) {
      this.#reporter.debug(
        `${this.#peerFaults} connections were gone (reset or aborted by the peer) before they were accepted`,
      );
    }
    this.#peerFaults = 0;
    this.#otherFaults = 0;
  }
}

/** EMFILE/ENFILE: the process or the system has no descriptor left. */
function isOutOfDescriptors(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EMFILE" || code === "ENFILE";
}

/** Failures that are the connecting peer's doing, not ours. */
function isPeerFault(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.NotConnected ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.TimedOut;
}
