/**
 * Who is on the other end of an accepted connection and what carries it, with the
 * connection itself as an `Endpoint`: what the chat server (and any other per-peer
 * service) takes, so that TCP, TLS, Unix sockets and WebSockets all look alike to it.
 * @module
 */

import { formatHostPort } from "./address.ts";
import { connEndpoint, type Endpoint } from "./endpoint.ts";

/** What carries a peer's bytes. */
export type PeerTransport = "tcp" | "tls" | "unix" | "web";

/** Where a peer is, for messages and the `--allow/--deny` check. */
export interface PeerInfo {
  /** `HOST:PORT` as shown in events. */
  name: string;
  /** The bare IP address (or another name for non-IP peers, e.g. Unix sockets). */
  host: string;
  /** What carries its bytes (for diagnostics). */
  transport: PeerTransport;
}

/** An accepted connection and where it comes from. */
export interface AcceptedPeer {
  endpoint: Endpoint;
  peer: PeerInfo;
}

/**
 * Wraps an accepted TCP, TLS or Unix connection. Unix peers have no address, so
 * `unixName` names them (e.g. `unix client 3`).
 */
export function acceptedPeer(conn: Deno.Conn, unixName: () => string): AcceptedPeer {
  const addr = conn.remoteAddr;
  let peer: PeerInfo;
  if (addr.transport === "tcp" || addr.transport === "udp") {
    const transport = "handshake" in conn ? "tls" : "tcp";
    peer = { name: formatHostPort(addr.hostname, addr.port), host: addr.hostname, transport };
  } else {
    const name = unixName();
    peer = { name, host: name, transport: "unix" };
  }
  return { endpoint: connEndpoint(conn, peer.name), peer };
}
