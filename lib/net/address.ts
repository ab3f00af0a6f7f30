/**
 * Pure address handling: formatting `host:port` for messages and events, and parsing
 * `HOST:PORT`, `[v6]:PORT` and `unix:PATH` targets.
 * @module
 */

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
      `Invalid port "${text}": expected a whole number from ${allowZero ? 0 : 1} to 65535`,
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

/**
 * Parses `HOST:PORT`, `[V6]:PORT` or `unix:PATH`.
 * @throws {RangeError} when the text is none of these.
 */
export function parseTarget(text: string): Target {
  if (text.startsWith("unix:")) {
    const path = text.slice(5);
    if (path === "") throw new RangeError(`Invalid target "${text}": empty Unix socket path`);
    return { transport: "unix", path };
  }
  const match = /^(\[[^\]]+\]|[^:\[\]]+):([^:]*)$/.exec(text);
  if (!match) {
    throw new RangeError(`Invalid target "${text}": expected HOST:PORT, [IPv6]:PORT or unix:PATH`);
  }
  const host = unbracket(match[1] ?? "");
  return { transport: "tcp", host, port: parsePort(match[2] ?? "") };
}
