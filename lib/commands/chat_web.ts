/**
 * `server --web`: the chat room's browser page next to its TCP port. Same rules as the
 * TCP listener: a warning for a wildcard address, `--tls` serves https/wss with the same
 * certificate (the `listening` event carries its fingerprint), `--allow/--deny` apply to
 * every request, `--max-per-ip` counts WebSockets with the TCP connections, and a browser
 * that opens the WebSocket joins the same room.
 * @module
 */

import { formatHostPort, isWildcardHost } from "../net/address.ts";
import { formatFingerprint } from "../net/fingerprint.ts";
import { warnIfWildcard } from "../net/listen.ts";
import { isAllowed } from "../net/cidr.ts";
import type { PeerLimit } from "../net/peer_limit.ts";
import type { PeerInfo } from "../net/peer.ts";
import { serveWeb, type WebFront } from "../web/web_front.ts";
import type { WebSocketEndpoint } from "../web/web_socket_endpoint.ts";
import type { CommandContext } from "./context.ts";
import { CHAT_DEFAULTS, type ServerOptions } from "./server_options.ts";

/** Binds the web front, emits its `listening` event (with `url`) and returns it. */
export function openChatWeb(
  options: ServerOptions,
  where: { host: string; port: number },
  perIp: PeerLimit,
  onMember: (endpoint: WebSocketEndpoint, peer: PeerInfo) => void,
  ctx: CommandContext,
): WebFront {
  const chat = options.chat ?? CHAT_DEFAULTS;
  const tls = options.target.transport === "tcp" ? options.target.tls : undefined;
  warnIfWildcard(where.host, ctx.reporter);
  const front = serveWeb({
    host: where.host,
    port: where.port,
    ...(tls ? { tls: { certPem: tls.certPem, keyPem: tls.keyPem } } : {}),
    maxLineBytes: chat.maxLineBytes,
    mayConnect: (host) => isAllowed({ allow: chat.allow, deny: chat.deny }, host),
    admit: (host) => {
      if (!perIp.take(host)) return null;
      return () => perIp.release(host);
    },
    onMember,
    debug: (line) => ctx.reporter.debug(line),
  });
  const { hostname, port } = front.addr;
  // A wildcard address is no address to open: the page is on this machine's loopback too.
  const shown = isWildcardHost(hostname)
    ? (hostname.includes(":") ? "::1" : "127.0.0.1")
    : hostname;
  ctx.reporter.emit({
    type: "listening",
    transport: "tcp",
    host: hostname,
    port,
    url: `${tls ? "https" : "http"}://${formatHostPort(shown, port)}/`,
    ...(tls ? { tls: true, fingerprint: formatFingerprint(tls.fingerprint) } : {}),
  });
  return front;
}
