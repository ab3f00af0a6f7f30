/**
 * Connecting and listening over TCP and Unix sockets, with the OS errors rewritten into
 * one-line messages (`Cannot connect to "…": connection refused`).
 * @module
 */

import { bounded } from "../async.ts";
import { TimeoutError } from "../errors.ts";
import { formatAddr, formatTarget, type Target } from "./address.ts";
import { netError, withReason } from "./errors.ts";

/** Options for `connect`. */
export interface ConnectOptions {
  /** Gives up with a `TimeoutError` after this many milliseconds. */
  timeoutMs?: number;
  /** Aborting rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Opens a TCP or Unix connection to `target`. */
export async function connect(target: Target, options: ConnectOptions = {}): Promise<Deno.Conn> {
  const label = formatTarget(target);
  const attempt: Promise<Deno.Conn> = target.transport === "unix"
    ? Deno.connect({ transport: "unix", path: target.path })
    : Deno.connect({ hostname: target.host, port: target.port, transport: "tcp" });
  let conn: Deno.Conn;
  try {
    conn = await bounded(attempt, {
      ms: options.timeoutMs,
      signal: options.signal,
      onTimeout: () => {
        throw withReason(new TimeoutError(`Cannot connect to "${label}": timed out`), "timed out");
      },
    });
  } catch (error) {
    attempt.then((conn) => conn.close(), () => {}); // a connect completing late must not leak
    if (error instanceof TimeoutError || options.signal?.aborted) throw error;
    throw netError("Cannot connect to", label, error);
  }
  noDelay(conn);
  return conn;
}

/** Turns off the Nagle delay on a TCP connection (small lines go out at once). */
export function noDelay(conn: Deno.Conn): void {
  if (conn.remoteAddr.transport !== "tcp") return;
  try {
    (conn as Deno.TcpConn).setNoDelay(true);
  } catch {
    // Not fatal: the connection works without it.
  }
}

/**
 * Binds a TCP or Unix listener on `target`. `reusePort` (TCP) sets SO_REUSEPORT, so
 * several processes can listen on the same port and the kernel spreads connections.
 */
export function listen(target: Target & { reusePort?: boolean }): Deno.Listener {
  try {
    return target.transport === "unix"
      ? Deno.listen({ transport: "unix", path: target.path })
      : Deno.listen({
        hostname: target.host,
        port: target.port,
        transport: "tcp",
        ...(target.reusePort ? { reusePort: true } : {}),
      });
  } catch (error) {
    throw netError("Cannot listen on", formatTarget(target), error);
  }
}

/** The address a listener really got (port 0 resolved), as `listening` event fields. */
export function listenerInfo(listener: Deno.Listener): {
  transport: "tcp" | "unix";
  host?: string;
  port?: number;
  path?: string;
} {
  const addr = listener.addr;
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return { transport: "tcp", host: addr.hostname, port: addr.port };
  }
  return { transport: "unix", path: (addr as Deno.UnixAddr).path };
}

/** The peer of an accepted or connected conn, for messages. */
export function peerName(conn: Deno.Conn): string {
  try {
    return formatAddr(conn.remoteAddr);
  } catch {
    return "(unknown)";
  }
}
