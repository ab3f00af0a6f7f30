/**
 * The web front of the chat room (`server --web`): one HTTP(S) listener that serves the
 * embedded page and turns `GET /chat` into a WebSocket member. Every response carries a
 * strict Content-Security-Policy; the upgrade is refused (403) for another origin, a
 * foreign `Host` on a loopback listener, or a peer that `--allow/--deny` turns away.
 * The front decides nothing about the room: an open WebSocket goes to `onMember`.
 * @module
 */

import { formatHostPort } from "../net/address.ts";
import { netError } from "../net/errors.ts";
import type { PeerInfo } from "../net/peer.ts";
import { pageAssets } from "./page_assets.ts";
import { checkRequest, contentSecurityPolicy, isLoopbackName } from "./web_origin.ts";
import { WebSocketEndpoint } from "./web_socket_endpoint.ts";

/** How long a browser may go without answering a ping before it counts as gone (s). */
const PING_TIMEOUT_S = 30;

/** Settings of the web front. */
export interface WebFrontOptions {
  host: string;
  port: number;
  /** PEM certificate and key: serve https/wss. */
  tls?: { certPem: string; keyPem: string };
  /** `--max-line`: the largest frame taken, and what the page is told. */
  maxLineBytes: number;
  /** `--allow/--deny`: false refuses the peer's every request (403). */
  mayConnect(host: string): boolean;
  /**
   * Takes a connection slot for a new WebSocket from `host` (`--max-per-ip`): a function
   * that gives it back (called once the socket has closed), or null to refuse (429).
   */
  admit?(host: string): (() => void) | null;
  /** A WebSocket member is open. */
  onMember(endpoint: WebSocketEndpoint, peer: PeerInfo): void;
  /** A diagnostic for `--verbose` (refused requests). */
  debug(line: string): void;
}

/** A running web front. */
export interface WebFront {
  /** The bound address (port 0 resolved). */
  readonly addr: Deno.NetAddr;
  /** Stops listening and ends open HTTP requests (members are closed by the room). */
  shutdown(): Promise<void>;
}

/** Binds the web front and starts serving. Throws (like `listen`) when it cannot bind. */
export function serveWeb(options: WebFrontOptions): WebFront {
  const secure = options.tls !== undefined;
  const loopbackOnly = isLoopbackName(options.host);
  const assets = pageAssets(options.maxLineBytes);
  const handler = (request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Response => {
    const peer: PeerInfo = {
      name: formatHostPort(info.remoteAddr.hostname, info.remoteAddr.port),
      host: info.remoteAddr.hostname,
      transport: "web",
    };
    const url = new URL(request.url);
    // HTTP/2 (https) has no Host header: its `:authority` is what the URL was built from.
    const host = request.headers.get("host") ?? (url.host === "" ? null : url.host);
    const upgrade = url.pathname === "/chat";
    const refuse = (status: number, reason: string) => {
      options.debug(`web: refused ${peer.name} ${request.method} ${url.pathname}: ${reason}`);
      return reply(status, reason, host, secure);
    };
    if (!options.mayConnect(peer.host)) return refuse(403, "not allowed (--allow/--deny)");
    const problem = checkRequest({
      host,
      origin: request.headers.get("origin"),
      secure,
      loopbackOnly,
      upgrade,
    });
    if (problem !== null) return refuse(problem.status, problem.reason);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return refuse(405, `method ${request.method} not allowed`);
    }
    if (upgrade) {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return reply(426, "this is the chat's WebSocket: open / instead", host, secure);
      }
      const release = options.admit ? options.admit(peer.host) : () => {};
      if (release === null) {
        return refuse(429, "too many connections from this address (--max-per-ip)");
      }
      let upgraded: { socket: WebSocket; response: Response };
      try {
        upgraded = Deno.upgradeWebSocket(request, { idleTimeout: PING_TIMEOUT_S });
      } catch (error) {
        release();
        return refuse(400, `not a WebSocket upgrade: ${(error as Error).message}`);
      }
      const { socket, response } = upgraded;
      socket.addEventListener("close", release, { once: true });
      const endpoint = new WebSocketEndpoint(socket, peer.name, {
        maxFrameBytes: options.maxLineBytes,
      });
      socket.addEventListener("open", () => options.onMember(endpoint, peer), { once: true });
      return response;
    }
    const asset = assets.get(url.pathname);
    if (asset === undefined) return reply(404, "not found", host, secure);
    return new Response(request.method === "HEAD" ? null : asset.body, {
      headers: headers(host, secure, asset.contentType),
    });
  };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.host,
      port: options.port,
      ...(options.tls ? { cert: options.tls.certPem, key: options.tls.keyPem } : {}),
      onListen: () => {},
      onError: () => reply(500, "internal error", null, secure),
    }, handler);
  } catch (error) {
    throw netError("Cannot listen on", formatHostPort(options.host, options.port), error);
  }
  return {
    addr: server.addr,
    shutdown: () => server.shutdown(),
  };
}

function reply(status: number, text: string, host: string | null, secure: boolean): Response {
  return new Response(text + "\n", {
    status,
    headers: headers(host, secure, "text/plain; charset=utf-8"),
  });
}

function headers(host: string | null, secure: boolean, contentType: string): Headers {
  const headers = new Headers({
    "content-type": contentType,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  });
  headers.set("content-security-policy", contentSecurityPolicy(host, secure));
  return headers;
}
