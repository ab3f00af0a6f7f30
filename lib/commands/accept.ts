/**
 * Accepting connections until an abort signal fires, without letting one failed accept
 * (a reset during the handshake, too many open files) take the server down.
 * @module
 */

import type { Reporter } from "../output/reporter.ts";
import { closeListener } from "./listen.ts";

/** Accepts one connection, or resolves to `null` once `signal` aborts. */
export async function acceptOne(
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
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** Calls `handle` for every accepted connection until `signal` aborts. */
export async function acceptLoop(
  listener: Deno.Listener,
  signal: AbortSignal,
  reporter: Reporter,
  handle: (conn: Deno.Conn) => void,
): Promise<void> {
  while (true) {
    const conn = await acceptOne(listener, signal, reporter);
    if (conn === null) return;
    handle(conn);
  }
}
