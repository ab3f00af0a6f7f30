/**
 * `client --proxy`: open the tunnel through a SOCKS5 proxy (the proxy resolves the host
 * name: socks5h) or an HTTP proxy (CONNECT), then hand back the connection for the relay.
 * Replies are read exactly, never past their end, so a server that speaks first loses
 * nothing.
 * @module
 */

import { bounded } from "../async.ts";
import { TimeoutError } from "../errors.ts";
import { quote } from "../output/format.ts";
import { writeAll } from "../output/writer.ts";
import { formatHostPort } from "./address.ts";
import { netError } from "./errors.ts";
import { connect, type ConnectOptions } from "./tcp.ts";

/** A parsed `--proxy` URL. */
export interface ProxySpec {
  kind: "socks5" | "http";
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** The proxy answered but would not open the tunnel (exit 1, one line). */
export class ProxyRefusal extends Error {
  override name = "ProxyRefusal";
}

/** SOCKS5 reply codes (RFC 1928, section 6). */
export const SOCKS5_REPLIES: Record<number, string> = {
  1: "general SOCKS server failure",
  2: "connection not allowed by ruleset",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported",
};

/**
 * Parses `socks5://[user:pass@]host:port`, `socks5h://…` or `http://host:port`.
 * @throws {RangeError} naming the value.
 */
export function parseProxy(text: string): ProxySpec {
  const invalid = (why: string) => new RangeError(`Invalid --proxy ${quote(text)}: ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("expected socks5://[USER:PASS@]HOST:PORT or http://HOST:PORT");
  }
  const kind = url.protocol === "socks5:" || url.protocol === "socks5h:"
    ? "socks5"
    : url.protocol === "http:"
    ? "http"
    : undefined;
  if (kind === undefined) {
    throw invalid(`unsupported scheme ${quote(url.protocol.slice(0, -1))} (use socks5 or http)`);
  }
  if (url.port === "") throw invalid("give the proxy's port");
  if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "") {
    throw invalid("expected no path");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const spec: ProxySpec = { kind, host, port: Number(url.port) };
  if (url.username !== "" || url.password !== "") {
    if (kind === "http") throw invalid("credentials are supported for socks5 only");
    spec.username = decodeURIComponent(url.username);
    spec.password = decodeURIComponent(url.password);
    if (spec.username.length > 255 || spec.password.length > 255) {
      throw invalid("user name and password must be at most 255 bytes");
    }
  }
  return spec;
}

const encoder = new TextEncoder();

/** Reads exactly `n` bytes (never more), or throws when the proxy closes first. */
async function readExactly(conn: Deno.Conn, n: number, proxy: string): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const read = await conn.read(buf.subarray(got));
    if (read === null) {
      throw new ProxyRefusal(`Proxy ${quote(proxy)} closed the connection during the handshake`);
    }
    got += read;
  }
  return buf;
}

/** SOCKS5 CONNECT to `host:port` over `conn` (the proxy resolves `host`). */
export async function socks5Connect(
  conn: Deno.Conn,
  spec: ProxySpec,
  host: string,
  port: number,
): Promise<void> {
  const proxy = formatHostPort(spec.host, spec.port);
  const auth = spec.username !== undefined;
  await writeAll(conn, Uint8Array.of(5, 1, auth ? 2 : 0));
  const [version, method] = await readExactly(conn, 2, proxy);
  if (version !== 5) throw new ProxyRefusal(`Proxy ${quote(proxy)} is not a SOCKS5 proxy`);
  if (method === 0xff) {
    throw new ProxyRefusal(
      `Proxy ${quote(proxy)} refused: ${
        auth
          ? "it does not accept user/password authentication"
          : "it requires authentication (give socks5://USER:PASS@HOST:PORT)"
      }`,
    );
  }
  if (method === 2) {
    if (!auth) {
      throw new ProxyRefusal(`Proxy ${quote(proxy)} chose an authentication we did not offer`);
    }
    const user = encoder.encode(spec.username);
    const pass = encoder.encode(spec.password ?? "");
    await writeAll(conn, Uint8Array.of(1, user.length, ...user, pass.length, ...pass));
    const [, status] = await readExactly(conn, 2, proxy);
    if (status !== 0) {
      throw new ProxyRefusal(
        `Proxy ${quote(proxy)} refused: authentication failed (wrong user name or password)`,
      );
    }
  } else if (method !== 0) {
    throw new ProxyRefusal(`Proxy ${quote(proxy)} chose an authentication we did not offer`);
  }
  await writeAll(conn, connectRequest(host, port));
  const [, rep, , atyp] = await readExactly(conn, 4, proxy);
  const addrLength = atyp === 1
    ? 4
    : atyp === 4
    ? 16
    : atyp === 3
    ? (await readExactly(conn, 1, proxy))[0]!
    : -1;
  if (addrLength < 0) throw new ProxyRefusal(`Proxy ${quote(proxy)} sent a malformed reply`);
  await readExactly(conn, addrLength + 2, proxy);
  if (rep !== 0) {
    const why = SOCKS5_REPLIES[rep!] ?? `reply code ${rep}`;
    throw new ProxyRefusal(
      `Proxy ${quote(proxy)} could not connect to ${
        quote(formatHostPort(host, port))
      }: ${why} (SOCKS5 reply ${rep})`,
    );
  }
}

function connectRequest(host: string, port: number): Uint8Array {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  const tail = [port >> 8, port & 0xff];
  if (v4) return Uint8Array.of(5, 1, 0, 1, ...v4.slice(1).map(Number), ...tail);
  const name = encoder.encode(host);
  if (name.length > 255) throw new RangeError(`Host name ${quote(host)} is too long for SOCKS5`);
  return Uint8Array.of(5, 1, 0, 3, name.length, ...name, ...tail);
}

/** The longest HTTP CONNECT response head we read. */
const MAX_HEAD = 16 * 1024;

/** HTTP CONNECT to `host:port` over `conn`; anything but a 2xx status is a refusal. */
export async function httpConnect(
  conn: Deno.Conn,
  spec: ProxySpec,
  host: string,
  port: number,
): Promise<void> {
  const proxy = formatHostPort(spec.host, spec.port);
  const authority = formatHostPort(host, port);
  await writeAll(
    conn,
    encoder.encode(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`),
  );
  let head = "";
  while (!head.endsWith("\r\n\r\n")) {
    if (head.length >= MAX_HEAD) {
      throw new ProxyRefusal(`Proxy ${quote(proxy)} sent an oversized reply`);
    }
    head += String.fromCharCode((await readExactly(conn, 1, proxy))[0]!); // never past the head
  }
  const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head);
  if (!status) throw new ProxyRefusal(`Proxy ${quote(proxy)} is not an HTTP proxy`);
  if (!status[1]!.startsWith("2")) {
    throw new ProxyRefusal(
      `Proxy ${quote(proxy)} refused CONNECT to ${quote(authority)}: HTTP ${status[1]}${
        status[2]!.trimEnd()
      }`,
    );
  }
}

/**
 * Connects to the proxy, then has it open the tunnel to `host:port`. The connect timeout
 * and the signal bound the whole of it.
 */
export async function connectViaProxy(
  spec: ProxySpec,
  host: string,
  port: number,
  options: ConnectOptions,
): Promise<Deno.Conn> {
  const conn = await connect({ transport: "tcp", host: spec.host, port: spec.port }, options);
  const tunnel = spec.kind === "socks5"
    ? socks5Connect(conn, spec, host, port)
    : httpConnect(conn, spec, host, port);
  try {
    await bounded(tunnel, {
      ms: options.timeoutMs,
      signal: options.signal,
      onTimeout: () => {
        throw new TimeoutError(
          `Cannot connect to ${quote(formatHostPort(host, port))} via proxy ${
            quote(formatHostPort(spec.host, spec.port))
          }: timed out`,
        );
      },
    });
  } catch (error) {
    conn.close();
    if (error instanceof ProxyRefusal || error instanceof TimeoutError || options.signal?.aborted) {
      throw error;
    }
    throw netError("Proxy handshake with", formatHostPort(spec.host, spec.port), error);
  }
  return conn;
}
