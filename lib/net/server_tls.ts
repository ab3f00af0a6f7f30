/**
 * Preparing `server --tls` before anything binds: load and check `--cert/--key`, or
 * generate the ephemeral self-signed certificate for the bind address. The result rides
 * on the target, so `openListener` makes every mode's listener a TLS one.
 * @module
 */

import { UsageError } from "../errors.ts";
import type { ListenTarget } from "./tls_server.ts";

/** `--tls`, `--cert`, `--key`, `--handshake-timeout`. */
export interface ServerTlsOptions {
  /** PEM certificate (chain, leaf first); with `keyFile`. Absent: generate one. */
  certFile?: string;
  /** PEM private key of `certFile`. */
  keyFile?: string;
  handshakeTimeoutMs: number;
}

/** Returns `options` with `target.tls` filled in when `--tls` was asked for. */
export async function withServerTls<T extends { target: ListenTarget; tls?: ServerTlsOptions }>(
  options: T,
): Promise<T> {
  const tls = options.tls;
  if (tls === undefined) return options;
  if (options.target.transport !== "tcp") {
    throw new UsageError("Option --tls needs TCP: it cannot be combined with --unix");
  }
  // Loaded on demand: the certificate code (x509, node:crypto) costs every other run
  // ~150 ms of start-up. Literal specifiers keep `deno compile` bundling them.
  const credentials = tls.certFile !== undefined && tls.keyFile !== undefined
    ? {
      ...(await (await import("./tls_files.ts")).loadCredentials(tls.certFile, tls.keyFile)),
      generated: false,
    }
    : {
      ...(await (await import("./self_signed.ts")).generateSelfSigned(options.target.host)),
      generated: true,
    };
  return {
    ...options,
    target: {
      ...options.target,
      tls: { ...credentials, handshakeTimeoutMs: tls.handshakeTimeoutMs },
    },
  };
}
