/**
 * Pure address handling: formatting `host:port` for messages and events, and parsing
 * `HOST:PORT`, `[v6]:PORT` and `unix:PATH` targets.
 * @module
 */

import { parseIpv4 } from "./ip.ts";
import { quote } from "../output/format.ts";

/** Where to connect or listen. */
export type Target =
  | { transport: "tcp"; host: string; port: number }
  | { transport: "unix"; path: string };

/** `("::1", 80)` → `"[::1]:80"`, `("a", 1)` → `"a:1"`. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A target as a user would write it. */
export function formatTarget(target: Target): string {
  return target.transport === "unix"
    ? `unix:${target.path}`
    : formatHostPort(target.host, target.port);
}

/** Formats any Deno address (`NetAddr`, `UnixAddr`). */
export function formatAddr(addr: Deno.Addr): string {
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    return `unix:${addr.path || "(unnamed)"}`;
  }
  const net = addr as Deno.NetAddr;
  return formatHostPort(net.hostname, net.port);
}

/** `[::1]` → `::1`; other hosts unchanged. */
export function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** Hosts that mean "every interface". */
export function isWildcardHost(host: string): boolean {
  const h = unbracket(host);
  return h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/**
 * Parses a port. `allowZero` is for listening (port 0 picks a free port).
 * Only plain decimal digits are accepted: `80abc`, `0x50`, `1.5`, `-1` are rejected.
 * @throws {RangeError} with a message naming the value.
 */
export function parsePort(text: string, allowZero = false): number {
  if (!/^[0-9]{1,5}$/.test(text)) {
    throw new RangeError(
      `Invalid port ${quote(text)}: expected a whole number from ${allowZero ? 0 : 1} to 65535`,
    );
  }
  const port = Number(text);
  if (port > 65535 || (port === 0 && !allowZero)) {
    throw new RangeError(
      port === 0
        ? `Invalid port "${text}": port 0 is only allowed when listening`
        : `Invalid port "${text}": expected a whole number from ${allowZero ? 0 : 1} to 65535`,
    );
  }
  return port;
}

/** Longest host name DNS allows. */
export const MAX_HOST_LENGTH = 253;

/** `::1`, `fe80::1%eth0`, `::ffff:1.2.3.4`: the shape of an IPv6 literal. */
export function isIPv6Literal(text: string): boolean {
  return text.includes(":") && /^[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?$/.test(text);
}

/** `127.0.0.1`: four decimal numbers up to 255 (see `parseIpv4`). */
export function isIPv4Literal(text: string): boolean {
  return parseIpv4(text) !== null;
}

/**
 * Checks a host as given by the user (a name, an IPv4 literal, or an IPv6 literal with or
 * without brackets) and returns it without brackets.
 * @param label how the message names the value: `host`, `--host`.
 * @throws {RangeError} `Invalid host "a b": expected a host name or IP address`.
 */
export function parseHost(text: string, label = "host"): string {
  const invalid = (why: string) => new RangeError(`Invalid ${label} ${quote(text)}: ${why}`);
  const bracketed = text.startsWith("[") && text.endsWith("]");
  const host = bracketed ? text.slice(1, -1) : text;
  if (bracketed && !isIPv6Literal(host)) {
    throw invalid("expected an IPv6 address inside [ ]");
  }
  if (isIPv6Literal(host)) return host;
  if (/^(\[[^\]]*\]|[^:\[\]]+):[0-9]+$/.test(text)) {
    throw invalid("expected a host without a port (give the port separately)");
  }
  if (host.length > MAX_HOST_LENGTH) {
    throw invalid(`longer than ${MAX_HOST_LENGTH} characters`);
  }
  if (host === "" || /[\s\p{Cc}\p{Cf}\[\]\/\\@:,;'"<>|]/u.test(host)) {
    throw invalid("expected a host name or IP address");
  }
  return host;
}

/**
 * Splits a netcat-style host argument: `HOST`, `HOST:PORT`, `[V6]`, `[V6]:PORT`, or a
 * bare IPv6 literal (`::1`, two or more colons: all host). The parts are not checked.
 */
export function splitHostPort(text: string): { host: string; port?: string } {
  const bracketed = /^(\[[^\]]*\]):([^:]*)$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  const colons = text.split(":").length - 1;
  if (colons !== 1 || text.startsWith("[")) return { host: text };
  const at = text.indexOf(":");
  return { host: text.slice(0, at), port: text.slice(at + 1) };
}

/**
 * Parses `HOST:PORT`, `[V6]:PORT` or `unix:PATH`.
 * @throws {RangeError} when the text is none of these, or its host or port is invalid.
 */
export function parseTarget(text: string): Target {
  if (text.startsWith("unix:")) {
    const path = text.slice(5);
    if (path === "") throw new RangeError(`Invalid target ${quote(text)}: empty Unix socket path`);
    return { transport: "unix", path };
  }
  const parts = splitHostPort(text);
  if (parts.port === undefined) {
    throw new RangeError(
      `Invalid target ${quote(text)}: expected HOST:PORT, [IPv6]:PORT or unix:PATH`,
    );
  }
  const host = parseHost(parts.host);
  return { transport: "tcp", host, port: parsePort(parts.port) };
}
