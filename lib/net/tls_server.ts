/**
 * The server side of TLS: a listener for a TCP target whose clients speak TLS, and the
 * explicit per-connection handshake with a deadline, so that a plaintext client, garbage
 * bytes or a peer that stalls mid-handshake cost only their own connection, and only
 * until the deadline.
 * @module
 */

import { formatTarget, type Target } from "./address.ts";
import type { Endpoint } from "./endpoint.ts";
import { describeNetError, netError } from "./errors.ts";
import type { TlsCredentials } from "./self_signed.ts";
import { tlsHandshakeReason } from "./tls_errors.ts";

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

const settings = new WeakMap<Deno.Listener, ServerTls>();

/**
 * Binds a TCP listener whose clients are to be served over TLS. The listener itself is
 * plain: `serverHandshake` runs each client's handshake with node:tls, whose deadline
 * frees the socket whatever the peer does (a `Deno.listenTls` handshake keeps it until
 * the peer sends or closes, so silent peers could hold every descriptor).
 */
export function listenTls(
  target: { transport: "tcp"; host: string; port: number },
  tls: ServerTls,
): Deno.Listener {
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ hostname: target.host, port: target.port, transport: "tcp" });
  } catch (error) {
    throw netError("Cannot listen on", formatTarget(target), error);
  }
  settings.set(listener, tls);
  return listener;
}

/** The TLS settings of a listener from `listenTls`, or `undefined` for a plain one. */
export function listenerTls(listener: Deno.Listener): ServerTls | undefined {
  return settings.get(listener);
}

let tlsAccept: Promise<typeof import("./tls_accept.ts")> | undefined;

/**
 * Loads the handshake code (node:tls). On demand, since it costs start-up time that plain
 * servers should not pay; a TLS server loads it before accepting, so that a burst of
 * connections never waits (holding descriptors) for the first import.
 */
export function loadTlsAccept(): Promise<typeof import("./tls_accept.ts")> {
  tlsAccept ??= import("./tls_accept.ts");
  return tlsAccept;
}

/**
 * Completes the server handshake on `conn` within `tls.handshakeTimeoutMs` and returns
 * the TLS endpoint named `name`. On failure the connection is closed (descriptor freed)
 * and the error says why (`the peer does not speak TLS`, `timed out`); when `signal`
 * aborts, its reason is thrown.
 */
export async function serverHandshake(
  conn: Deno.Conn,
  tls: ServerTls,
  name: string,
  signal?: AbortSignal,
): Promise<Endpoint> {
  const { acceptTls, HandshakeTimeout } = await loadTlsAccept();
  try {
    return await acceptTls(conn, tls, tls.handshakeTimeoutMs, name, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof HandshakeTimeout
      ? error.message
      : tlsHandshakeReason(error) ?? describeNetError(error);
    throw new Error(`TLS handshake failed: ${reason}`, { cause: error });
  }
}
