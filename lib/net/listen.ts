/**
 * Opening a server's listener: warn about wildcard binds, bind, then (and only then)
 * announce readiness with the real address.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { isWildcardHost } from "./address.ts";
import { formatFingerprint } from "./fingerprint.ts";
import { listen, listenerInfo } from "./tcp.ts";
import { type ListenTarget, listenTls } from "./tls_server.ts";
import type { Reporter } from "../output/reporter.ts";

/**
 * Binds `target` and emits `listening`. A target with `tls` gets a TLS listener (every
 * mode is TLS-capable this way) and the event carries `tls` and the certificate's
 * `fingerprint`; `acceptOne`/`acceptLoop` then run each client's handshake.
 */
export function openListener(target: ListenTarget, reporter: Reporter): Deno.Listener {
  if (target.transport === "tcp") warnIfWildcard(target.host, reporter);
  const listener = target.tls && target.transport === "tcp"
    ? listenTls(target, target.tls)
    : listen(target);
  const tls = target.tls
    ? { tls: true, fingerprint: formatFingerprint(target.tls.fingerprint) }
    : {};
  reporter.emit({ type: "listening", ...listenerInfo(listener), ...tls });
  return listener;
}

/** Warns that binding `host` (a wildcard) lets anyone who can reach this machine connect. */
export function warnIfWildcard(host: string, reporter: Reporter): void {
  if (!isWildcardHost(host)) return;
  reporter.warn(
    `listening on all interfaces (${host}): anyone who can reach this machine can connect`,
  );
}

/** Closes a listener (and removes its Unix socket file). Idempotent. */
export function closeListener(listener: Deno.Listener): void {
  closeQuietly(listener);
  if (listener.addr.transport === "unix") {
    try {
      Deno.removeSync((listener.addr as Deno.UnixAddr).path);
    } catch {
      // gone already
    }
  }
}
