/**
 * Who may use the web front, decided from the request's headers alone (pure):
 *
 * - `Host` must be a plain `host[:port]`. When the front listens on loopback only, it must
 *   also name a loopback address (`localhost`, `127.x.x.x`, `[::1]`): a page on another
 *   site whose name was re-pointed at 127.0.0.1 (DNS rebinding) is refused.
 * - A WebSocket upgrade that carries `Origin` must come from the page's own origin
 *   (`http://` or `https://` plus `Host`): a page from anywhere else is refused. Browsers
 *   always send `Origin` with a WebSocket; a request without one is not from a page in a
 *   browser (and such a client could write any `Origin` it liked), so it is let in.
 * @module
 */

import { cidrContains, parseCidr } from "../net/cidr.ts";
import { parseIp } from "../net/ip.ts";

const LOOPBACK = [parseCidr("127.0.0.0/8"), parseCidr("::1/128")];

/** A `Host` header taken apart; `hostname` is lower-case, IPv6 without brackets. */
export interface HostHeader {
  hostname: string;
  port?: number;
}

/** Parses a `Host` header value; `null` when it is not a plain `host[:port]`. */
export function parseHostHeader(value: string): HostHeader | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(value);
  if (!match) return null;
  const hostname = match[1]!.replace(/^\[|\]$/g, "").toLowerCase();
  if (match[2] === undefined) return { hostname };
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { hostname, port } : null;
}

/** True for `localhost` (and names under it) and loopback IP addresses. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  const address = parseIp(name);
  return address !== null && LOOPBACK.some((cidr) => cidrContains(cidr, address));
}

/** What a request looked like, for `checkRequest`. */
export interface RequestFacts {
  /** The `Host` header, if any. */
  host: string | null;
  /** The `Origin` header, if any. */
  origin: string | null;
  /** True when the front serves https/wss. */
  secure: boolean;
  /** True when the front listens on loopback only. */
  loopbackOnly: boolean;
  /** True for the WebSocket upgrade (the only request whose `Origin` is checked). */
  upgrade: boolean;
}

/** `null` when the request may go on, otherwise why it is refused (403, or 400 for `Host`). */
export function checkRequest(facts: RequestFacts): { status: 400 | 403; reason: string } | null {
  const host = facts.host === null ? null : parseHostHeader(facts.host);
  if (host === null) return { status: 400, reason: "missing or malformed Host header" };
  if (facts.loopbackOnly && !isLoopbackName(host.hostname)) {
    return { status: 403, reason: `Host "${facts.host}" is not a loopback name` };
  }
  if (facts.upgrade && facts.origin !== null) {
    const own = `${facts.secure ? "https" : "http"}://${facts.host!.toLowerCase()}`;
    if (facts.origin.toLowerCase() !== own) {
      return { status: 403, reason: `Origin "${facts.origin}" is not this page's (${own})` };
    }
  }
  return null;
}

/**
 * The Content-Security-Policy of every response: scripts, styles and the icon from the
 * page's own origin only, no inline script or style, and only the page's own WebSocket
 * (none at all when `host`, the request's `Host` header, is missing or malformed).
 */
export function contentSecurityPolicy(host: string | null, secure: boolean): string {
  const own = host !== null && parseHostHeader(host) !== null;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${own ? `${secure ? "wss" : "ws"}://${host}` : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
