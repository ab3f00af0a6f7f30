/**
 * Opening a server's listener: warn about wildcard binds, bind, then (and only then)
 * announce readiness with the real address.
 * @module
 */

import { isWildcardHost, type Target } from "../net/address.ts";
import { listen, listenerInfo } from "../net/tcp.ts";
import type { Reporter } from "../output/reporter.ts";

/** Extra fields for the `listening` event (TLS adds its own). */
export interface ListeningExtras {
  tls?: boolean;
  fingerprint?: string;
}

/** Binds `target` and emits `listening`. */
export function openListener(
  target: Target,
  reporter: Reporter,
  extras: ListeningExtras = {},
): Deno.Listener {
  if (target.transport === "tcp" && isWildcardHost(target.host)) {
    reporter.warn(
      `listening on all interfaces (${target.host}): anyone who can reach this machine can connect`,
    );
  }
  const listener = listen(target);
  reporter.emit({ type: "listening", ...listenerInfo(listener), ...extras });
  return listener;
}

/** Closes a listener (and removes its Unix socket file). Idempotent. */
export function closeListener(listener: Deno.Listener): void {
  try {
    listener.close();
  } catch {
    // already closed
  }
  if (listener.addr.transport === "unix") {
    try {
      Deno.removeSync((listener.addr as Deno.UnixAddr).path);
    } catch {
      // gone already
    }
  }
}
