/**
 * `redis://[[user]:password@]host[:port][/db]`: where the Redis server is and how to log
 * in (AUTH) and which database to use (SELECT). Pure; checked before any socket opens.
 * @module
 */

/** A parsed Redis address. */
export interface RedisAddress {
  hostname: string;
  port: number;
  /** AUTH user (Redis 6 ACLs); absent for the `default` user. */
  username?: string;
  /** AUTH password; absent when the server needs none. */
  password?: string;
  /** SELECT database number. */
  db: number;
}

/** The port Redis listens on by default. */
export const REDIS_DEFAULT_PORT = 6379;

/**
 * Parses a `redis://` URL; throws a `SyntaxError` saying what is wrong.
 * @example
 * parseRedisUrl("redis://:secret@127.0.0.1:6380/2");
 * // { hostname: "127.0.0.1", port: 6380, password: "secret", db: 2 }
 */
export function parseRedisUrl(text: string): RedisAddress {
  const bad = (why: string) => new SyntaxError(`Invalid Redis URL "${redact(text)}": ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("expected redis://[user:password@]host[:port][/db]");
  }
  if (url.protocol !== "redis:") {
    throw bad(url.protocol === "rediss:" ? "TLS (rediss://) is not supported" : "use redis://");
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") throw bad("no host");
  const port = url.port === "" ? REDIS_DEFAULT_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad("bad port");
  const path = url.pathname.replace(/^\//, "");
  if (!/^\d*$/.test(path)) throw bad("the path must be a database number");
  if (url.search !== "" || url.hash !== "") throw bad("no ?query or #fragment allowed");
  const db = path === "" ? 0 : Number(path);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (username !== "" && password === "") throw bad("a user needs a password (user:password@)");
  return {
    hostname,
    port,
    db,
    ...(username !== "" ? { username } : {}),
    ...(password !== "" ? { password } : {}),
  };
}

/** The URL with any password replaced by `***`, for messages. */
export function redact(text: string): string {
  return text.replace(/^(redis:\/\/[^:@/]*:)[^@/]*@/i, "$1***@");
}

/** `host:port/db` without credentials, for messages. */
export function describeRedis(address: RedisAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `redis://${host}:${address.port}${address.db === 0 ? "" : `/${address.db}`}`;
}
