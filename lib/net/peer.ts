/**
 * Who is on the other end of an accepted connection and what carries it: with the
 * connection as an `Endpoint`, what the chat server (and any other per-peer service)
 * takes, so that TCP, TLS, Unix sockets and WebSockets all look alike to it.
 * @module
 */

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
