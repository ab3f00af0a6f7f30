/**
 * `client --tls`: read the `--ca` files (before any socket opens), warn about
 * `--insecure` every time, then connect and finish the handshake so that nothing is sent
 * before the server's certificate was accepted.
 * @module
 */

import type { Target } from "./address.ts";
import type { Endpoint } from "./endpoint.ts";
import type { Fingerprint } from "./fingerprint.ts";
import type { ClientTls, TlsConnectOptions } from "./tls_client.ts";
import type { Reporter } from "../output/reporter.ts";

/** `--tls`, `--ca`, `--fingerprint`, `--insecure`, `--servername`. */
export interface ClientTlsOptions {
  caFiles: string[];
  fingerprint?: Fingerprint;
  insecure: boolean;
  serverName?: string;
}

/** The warning `--insecure` prints on every run. */
export const INSECURE_WARNING =
  "--insecure: the server's certificate is NOT verified; anyone on the path can read and change this connection";

/** Reads the CA files into the connect-time settings (usage errors, exit 2). */
export async function prepareClientTls(options: ClientTlsOptions): Promise<ClientTls> {
  const caCerts: string[] = [];
  if (options.caFiles.length > 0) {
    // On demand (literal specifier, so `deno compile` bundles it): node:crypto is slow to load.
    const { loadCaFile } = await import("./tls_files.ts");
    for (const file of options.caFiles) caCerts.push(await loadCaFile(file));
  }
  return {
    caCerts,
    insecure: options.insecure,
    ...(options.fingerprint !== undefined ? { fingerprint: options.fingerprint } : {}),
    ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
  };
}

/** Connects over TLS (handshake done, certificate accepted). */
export async function openTlsRemote(
  target: Target,
  config: ClientTls,
  connect: TlsConnectOptions & { signal: AbortSignal },
  reporter: Reporter,
): Promise<{ remote: Endpoint; peer: string; fingerprint?: string }> {
  if (target.transport !== "tcp") throw new RangeError("TLS needs a TCP target");
  if (config.insecure) reporter.warn(INSECURE_WARNING);
  const { connectTls } = await import("./tls_client.ts");
  const tls = await connectTls(target, config, connect);
  return {
    remote: tls.endpoint,
    peer: tls.peer,
    ...(tls.fingerprint !== undefined ? { fingerprint: tls.fingerprint } : {}),
  };
}
