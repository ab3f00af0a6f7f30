/**
 * The server side of one TLS handshake, with node:tls over the accepted TCP connection
 * (see `connDuplex`). The deadline really closes: on timeout, abort or failure the socket
 * is destroyed and its descriptor freed at once, whether the peer sent nothing, one byte,
 * a record header or a ClientHello trickled a byte at a time. Loaded only by TLS servers.
 * @module
 */

import type { Socket } from "node:net";
import { createSecureContext, type SecureContext, TLSSocket } from "node:tls";
import { formatLimit } from "../duration.ts";
import { connDuplex } from "./conn_duplex.ts";
import { nodeSocketEndpoint } from "./node_socket_endpoint.ts";
import type { Endpoint } from "./endpoint.ts";
import type { TlsCredentials } from "./self_signed.ts";

const contexts = new WeakMap<TlsCredentials, SecureContext>();

const TLS_HANDSHAKE = 0x16;
/** A fatal TLS alert record (TLS 1.2 framing): protocol_version. */
const PROTOCOL_VERSION_ALERT = new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);

/** Why a handshake did not finish in time (its message names the option). */
export class HandshakeTimeout extends Error {
  override name = "HandshakeTimeout";
  constructor(timeoutMs: number) {
    super(`timed out after ${formatLimit(timeoutMs)} (--handshake-timeout)`);
  }
}

/**
 * Runs the server handshake on `conn` within `timeoutMs`. Resolves to a TLS endpoint
 * named `name`; rejects (connection closed) with the reason, or with `signal.reason`.
 */
export function acceptTls(
  conn: Deno.Conn,
  credentials: TlsCredentials,
  timeoutMs: number,
  name: string,
  signal?: AbortSignal,
): Promise<Endpoint> {
  let context = contexts.get(credentials);
  if (context === undefined) {
    context = createSecureContext({ cert: credentials.certPem, key: credentials.keyPem });
    contexts.set(credentials, context);
  }
  // node:tls closes silently on a client that does not speak TLS: a fatal alert first
  // lets a plaintext client say what happened (its first byte is no handshake record).
  const transport = connDuplex(conn, async (first) => {
    if (first[0] !== TLS_HANDSHAKE) await conn.write(PROTOCOL_VERSION_ALERT).catch(() => {});
  });
  // node:tls takes any Duplex here; its types name a Socket.
  const socket = new TLSSocket(transport.duplex as unknown as Socket, {
    isServer: true,
    secureContext: context,
  });
  return new Promise<Endpoint>((resolve, reject) => {
    const settle = (error?: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("secure", onSecure);
      socket.off("error", settle);
      socket.off("close", onClose);
      if (error === undefined) {
        // What the client sends waits in a bounded queue: past it, the socket is not read.
        resolve(nodeSocketEndpoint(socket, name, transport.hold, transport.failure));
        return;
      }
      socket.on("error", () => {}); // late errors of a socket we gave up on
      socket.destroy();
      reject(error);
    };
    const onSecure = () => settle();
    const onClose = () => settle(new Error("tls handshake eof"));
    const onAbort = () => settle(signal?.reason);
    const timer = setTimeout(() => settle(new HandshakeTimeout(timeoutMs)), timeoutMs);
    socket.once("secure", onSecure);
    socket.once("error", settle);
    socket.once("close", onClose);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
