/**
 * Accepting connections until an abort signal fires, without letting one failed accept
 * (a reset during the handshake, too many open files) take the server down. On a TLS
 * listener each client's handshake runs here, explicitly and with a deadline: a client
 * that fails it (plaintext, garbage, stalled) is dropped with a warning and never
 * reaches the mode's handler.
 * @module
 */

import { sleep } from "../async.ts";
import { peerName } from "./tcp.ts";
import { serverHandshake, tlsHandshakeTimeout } from "./tls_server.ts";
import type { Reporter } from "../output/reporter.ts";
import { closeListener } from "./listen.ts";

/**
 * Accepts one connection, or resolves to `null` once `signal` aborts. On a TLS listener
 * it returns the first client whose handshake succeeds (handshakes run one at a time).
 */
export async function acceptOne(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<Deno.Conn | null> {
  const handshakeMs = tlsHandshakeTimeout(listener);
  while (true) {
    const conn = await acceptRaw(listener, signal, reporter);
    if (conn === null || handshakeMs === undefined) return conn;
    if (await secured(conn, handshakeMs, signal, reporter)) return conn;
    if (signal.aborted) return null;
  }
}

/** Calls `handle` for every accepted connection until `signal` aborts. */
export async function acceptLoop(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
  handle: (conn: Deno.Conn) => void,
): Promise<void> {
  const handshakeMs = tlsHandshakeTimeout(listener);
  const pending = new Set<Promise<void>>();
  try {
    while (true) {
      const conn = await acceptRaw(listener, signal, reporter);
      if (conn === null) return;
      if (handshakeMs === undefined) {
        handle(conn);
        continue;
      }
      // The handshake runs in its own task so the loop goes on accepting meanwhile.
      const task = secured(conn, handshakeMs, signal, reporter).then((ok) => {
        if (!ok) return;
        if (signal.aborted) conn.close();
        else handle(conn);
      }).finally(() => pending.delete(task));
      pending.add(task);
    }
  } finally {
    // The signal has aborted: every pending handshake rejects promptly and closes its conn.
    await Promise.allSettled([...pending]);
  }
}

async function acceptRaw(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<Deno.Conn | null> {
  if (signal.aborted) return null;
  const onAbort = () => closeListener(listener);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      try {
        return await listener.accept();
      } catch (error) {
        if (signal.aborted || error instanceof Deno.errors.BadResource) return null;
        reporter.warn(`accept failed: ${(error as Error).message}`);
        await sleep(50);
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** Runs the TLS handshake; false (conn closed, warning given) when it failed. */
async function secured(
  conn: Deno.Conn,
  timeoutMs: number,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<boolean> {
  const peer = peerName(conn);
  try {
    await serverHandshake(conn, timeoutMs, signal);
    return true;
  } catch (error) {
    if (!signal.aborted) reporter.warn(`${peer}: ${(error as Error).message}`);
    return false;
  }
}
