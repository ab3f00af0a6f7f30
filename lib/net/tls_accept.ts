/**
 * The server side of one TLS handshake, with node:tls over the accepted TCP connection
 * (see `connDuplex`). The deadline really closes: on timeout, abort or failure the socket
 * is destroyed and its descriptor freed at once, whether the peer sent nothing, one byte,
 * a record header or a ClientHello trickled a byte at a time. Loaded only by TLS servers.
 * @module
 */

import type { Socket } from "node:net";
import { createSecureContext, type SecureContext, TLSSocket } from "node:tls";
import { bounded } from "../async.ts";
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
export async function acceptTls(
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
  const handshake = Promise.withResolvers<void>();
  const onSecure = () => handshake.resolve();
  const onError = (error: Error) => handshake.reject(error);
  const onClose = () => handshake.reject(new Error("tls handshake eof"));
  socket.once("secure", onSecure).once("error", onError).once("close", onClose);
  try {
    await bounded(handshake.promise, {
      ms: timeoutMs,
      signal,
      onTimeout: () => {
        throw new HandshakeTimeout(timeoutMs);
      },
    });
  } catch (error) {
    socket.on("error", () => {}); // late errors of a socket we gave up on
    socket.destroy();
    throw error;
  } finally {
    socket.off("secure", onSecure).off("error", onError).off("close", onClose);
  }
  // What the client sends waits in a bounded queue: past it, the socket is not read.
  return nodeSocketEndpoint(socket, name, transport);
}
