/**
 * Loopback helpers for the bench: a free port, and waiting until something listens on it
 * by reading `/proc/net/tcp*` — never by connecting, which would use up the single accept
 * of `nc -l`.
 * @module
 */

import type { Child } from "./proc.ts";

export { freePort } from "../tests/_helpers/ports.ts";

/** True when a TCP socket is in LISTEN state on `port` (Linux `/proc/net/tcp*`). */
export function isListening(port: number, tables = readTables()): boolean {
  return listenerCount(port, tables) > 0;
}

/** How many sockets listen on `port` (several with SO_REUSEPORT). */
export function listenerCount(port: number, tables = readTables()): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let count = 0;
  for (const table of tables) {
    for (const line of table.split("\n")) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(hex) === true && fields[3] === "0A") count++;
    }
  }
  return count;
}

function readTables(): string[] {
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((path) => {
    try {
      return [Deno.readTextFileSync(path)];
    } catch {
      return [];
    }
  });
}

/**
 * Waits (polling every 5 ms, bounded) until `port` is listening (by `sockets` sockets);
 * fails if `child` exits.
 */
export async function waitListening(port: number, child: Child, timeoutMs = 15_000, sockets = 1) {
  let exited = false;
  child.status.then(() => (exited = true));
  const until = performance.now() + timeoutMs;
  while (listenerCount(port) < sockets) {
    if (exited) throw new Error(`Server exited before listening on port ${port}`);
    if (performance.now() > until) throw new Error(`Nothing listened on port ${port} in time`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
