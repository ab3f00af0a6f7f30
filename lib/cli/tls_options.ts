/**
 * The TLS options of `server` and `client`: their definitions (help text) and their
 * checks. `--cert/--key` and the client's `--ca/--fingerprint/--insecure/--servername`
 * imply `--tls`: none of them means anything without it.
 * @module
 */

import type { ClientTlsOptions } from "../net/client_tls.ts";
import type { ServerTlsOptions } from "../net/server_tls.ts";
import { UsageError } from "../errors.ts";
import { parseFingerprint } from "../net/fingerprint.ts";
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from "../net/tls_server.ts";
import type { OptionSpec } from "./command_spec.ts";
import { parsePositiveDuration } from "./values.ts";

const TLS = "TLS";

/** `--tls`, `--cert`, `--key`, `--handshake-timeout` of `server`. */
export const SERVER_TLS_OPTIONS: readonly OptionSpec[] = [
  {
    name: "tls",
    help:
      "encrypt with TLS; without --cert/--key a self-signed certificate is made at start-up (its SHA-256 fingerprint is printed)",
    group: TLS,
  },
  {
    name: "cert",
    value: "FILE",
    help: "TLS certificate (PEM, chain with the leaf first); implies --tls",
    group: TLS,
  },
  { name: "key", value: "FILE", help: "private key of --cert (PEM, unencrypted)", group: TLS },
  {
    name: "handshake-timeout",
    value: "DUR",
    help: "drop a client that has not completed the TLS handshake after this long",
    default: `${DEFAULT_HANDSHAKE_TIMEOUT_MS / 1000}s`,
    group: TLS,
  },
];

/** Reads the server's TLS options; `undefined` without TLS. */
export function serverTlsOptions(
  opts: Record<string, unknown>,
  given: ReadonlySet<string> = new Set(Object.keys(opts)),
): ServerTlsOptions | undefined {
  const cert = stringOption(opts.cert, "--cert");
  const key = stringOption(opts.key, "--key");
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError(
      `Option ${
        cert === undefined ? "--key needs --cert" : "--cert needs --key"
      }: give both, or neither for a self-signed certificate`,
    );
  }
  const enabled = opts.tls === true || cert !== undefined;
  if (!enabled) {
    if (given.has("handshakeTimeout")) {
      throw new UsageError("Option --handshake-timeout only applies with --tls");
    }
    return undefined;
  }
  if (typeof opts.unix === "string") {
    throw new UsageError("Option --tls needs TCP: it cannot be combined with --unix");
  }
  return {
    handshakeTimeoutMs: typeof opts.handshakeTimeout === "string"
      ? parsePositiveDuration(opts.handshakeTimeout, "--handshake-timeout")
      : DEFAULT_HANDSHAKE_TIMEOUT_MS,
    ...(cert !== undefined ? { certFile: cert } : {}),
    ...(key !== undefined ? { keyFile: key } : {}),
  };
}

/** `--tls`, `--ca`, `--fingerprint`, `--insecure`, `--servername` of `client`. */
export const CLIENT_TLS_OPTIONS: readonly OptionSpec[] = [
  {
    name: "tls",
    help: "connect with TLS, verifying the server's certificate and name",
    group: TLS,
  },
  {
    name: "ca",
    value: "FILE",
    help: "also trust the CA certificate(s) in this PEM file (repeatable); implies --tls",
    repeatable: true,
    group: TLS,
  },
  {
    name: "fingerprint",
    value: "SHA256",
    help:
      "accept exactly the server certificate with this SHA-256 fingerprint (self-signed included); implies --tls",
    group: TLS,
  },
  {
    name: "insecure",
    help: "TLS without verifying the certificate (prints a warning every time); implies --tls",
    group: TLS,
  },
  {
    name: "servername",
    value: "NAME",
    help: "name to send (SNI) and to verify; implies --tls",
    group: TLS,
  },
];

/** Reads the client's TLS options; `undefined` without TLS. */
export function clientTlsOptions(opts: Record<string, unknown>): ClientTlsOptions | undefined {
  const caFiles = Array.isArray(opts.ca) ? (opts.ca as string[]) : [];
  for (const file of caFiles) stringOption(file, "--ca");
  const fingerprintText = stringOption(opts.fingerprint, "--fingerprint");
  const serverName = stringOption(opts.servername, "--servername");
  const insecure = opts.insecure === true;
  const enabled = opts.tls === true || caFiles.length > 0 || fingerprintText !== undefined ||
    insecure || serverName !== undefined;
  if (!enabled) return undefined;
  if (typeof opts.unix === "string") {
    throw new UsageError("Option --tls needs TCP: it cannot be combined with --unix");
  }
  if (insecure && fingerprintText !== undefined) {
    throw new UsageError(
      "Options --insecure and --fingerprint cannot be used together: a pinned certificate is checked",
    );
  }
  if (insecure && caFiles.length > 0) {
    throw new UsageError("Options --insecure and --ca cannot be used together");
  }
  if (fingerprintText !== undefined && caFiles.length > 0) {
    throw new UsageError(
      "Options --fingerprint and --ca cannot be used together: the pin alone decides",
    );
  }
  const options: ClientTlsOptions = { caFiles, insecure };
  if (fingerprintText !== undefined) {
    try {
      options.fingerprint = parseFingerprint(fingerprintText);
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (--fingerprint)`);
    }
  }
  if (serverName !== undefined) options.serverName = serverName;
  return options;
}

function stringOption(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`Option ${option} needs a value`);
  }
  return value;
}
