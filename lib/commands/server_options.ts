/**
 * Typed options of `sockchat server`, shared by its modes.
 * @module
 */

import type { ListenTarget } from "../net/tls_server.ts";

/** What the server does with its connections. */
export type ServerMode = "chat" | "pipe" | "echo";

/** Options every mode understands. */
export interface ServerOptions {
  /** Where to listen; `target.tls` (set by `runServer` from `tls`) makes it a TLS listener. */
  target: ListenTarget;
  mode: ServerMode;
  /** pipe: serve the next client after one leaves. */
  keepOpen: boolean;
  /** Whole-run deadline (exit 124). */
  timeoutMs?: number;
  /** Per connection: close after this long without traffic. */
  idleTimeoutMs?: number;
  /** `--tls`: serve TLS with these files, or an ephemeral self-signed certificate. */
  tls?: ServerTlsOptions;
}

/** `--tls`, `--cert`, `--key`, `--handshake-timeout`. */
export interface ServerTlsOptions {
  /** PEM certificate (chain, leaf first); with `keyFile`. Absent: generate one. */
  certFile?: string;
  /** PEM private key of `certFile`. */
  keyFile?: string;
  handshakeTimeoutMs: number;
}
