/**
 * Who is on the other end of an accepted connection and what carries it: with the
 * connection as an `Endpoint`, what the chat server (and any other per-peer service)
 * takes, so that TCP, TLS, Unix sockets and WebSockets all look alike to it.
 * @module
 */

import type { MemberTransport } from "../output/events.ts";

/** What carries a peer's bytes (the chat's `joined` events show it). */
export type PeerTransport = MemberTransport;

/** Where a peer is, for messages and the `--allow/--deny` check. */
export interface PeerInfo {
  /** `HOST:PORT` as shown in events. */
  name: string;
  /** The bare IP address (or another name for non-IP peers, e.g. Unix sockets). */
  host: string;
  /** What carries its bytes (shown in the chat's `joined` event and transcript). */
  transport: PeerTransport;
}
