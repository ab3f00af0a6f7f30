/**
 * The server side of TLS: a TLS listener for a TCP target, and the explicit per-connection
 * handshake with a deadline, so that a plaintext client, garbage bytes or a peer that
 * stalls mid-handshake cost only their own connection.
 * @module
 */

import { formatTarget, type Target } from "./address.ts";
import { describeNetError, netError } from "./errors.ts";
import type { TlsCredentials } from "./self_signed.ts";

/** The TLS settings a server listens with. */
export interface ServerTls extends TlsCredentials {
  /** True for the ephemeral self-signed certificate (no `--cert/--key`). */
  generated: boolean;
  /** How long one client may take to complete the handshake. */
  handshakeTimeoutMs: number;
}

/** A listening target, optionally with TLS. */
export type ListenTarget = Target & { tls?: ServerTls; reusePort?: boolean };

/** Default `--handshake-timeout`: a client that has not finished by then is dropped. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

const handshakeTimeouts = new WeakMap<Deno.Listener, number>();

/** Binds a TLS listener on a TCP `target`. */
export function listenTls(
  target: { transport: "tcp"; host: string; port: number },
  tls: ServerTls,
): Deno.TlsListener {
  let listener: Deno.TlsListener;
  try {
    listener = Deno.listenTls({
      hostname: target.host,
      port: target.port,
      transport: "tcp",
      cert: tls.certPem,
      key: tls.keyPem,
    });
  } catch (error) {
    throw netError("Cannot listen on", formatTarget(target), error);
  }
  handshakeTimeouts.set(listener, tls.handshakeTimeoutMs);
  return listener;
}

/** The handshake deadline of a TLS listener, or `undefined` for a plain one. */
export function tlsHandshakeTimeout(listener: Deno.Listener): number | undefined {
  return handshakeTimeouts.get(listener);
}

/**
 * Completes the server handshake of `conn` within `timeoutMs`; on failure the connection
 * is closed and the error says why (`the peer does not speak TLS`, `timed out`).
 */
export async function serverHandshake(
  conn: Deno.Conn,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const tlsConn = conn as Deno.TlsConn;
  const handshake = tlsConn.handshake();
  handshake.catch(() => {}); // settles after a close below; nobody else awaits it
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandshakeTimeout(timeoutMs)), timeoutMs);
    if (signal) {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  try {
    await Promise.race([handshake, stop]);
  } catch (error) {
    try {
      conn.close();
    } catch {
      // already closed
    }
    if (signal?.aborted) throw error;
    throw new Error(`TLS handshake failed: ${handshakeReason(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

class HandshakeTimeout extends Error {
  constructor(timeoutMs: number) {
    const after = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000}s` : `${timeoutMs} ms`;
    super(`timed out after ${after} (--handshake-timeout)`);
  }
}

function handshakeReason(error: unknown): string {
  if (error instanceof HandshakeTimeout) return error.message;
  return describeNetError(error).replace(/^TLS handshake failed: /, "");
}
