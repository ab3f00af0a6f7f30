/**
 * The server side of TLS: a TLS listener for a TCP target, and the explicit per-connection
 * handshake with a deadline, so that a plaintext client, garbage bytes or a peer that
 * stalls mid-handshake cost only their own connection.
 * @module
 */

import { bounded } from "../async.ts";
import { formatLimit } from "../output/format.ts";
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
  try {
    await bounded(tlsConn.handshake(), {
      ms: timeoutMs,
      signal,
      onTimeout: (): never => {
        throw new HandshakeTimeout(timeoutMs);
      },
    });
  } catch (error) {
    try {
      conn.close();
    } catch {
      // already closed
    }
    if (signal?.aborted) throw error;
    throw new Error(`TLS handshake failed: ${handshakeReason(error)}`, { cause: error });
  }
}

class HandshakeTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${formatLimit(timeoutMs)} (--handshake-timeout)`);
  }
}

function handshakeReason(error: unknown): string {
  if (error instanceof HandshakeTimeout) return error.message;
  return describeNetError(error).replace(/^TLS handshake failed: /, "");
}
