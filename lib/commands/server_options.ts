/**
 * Typed options of `sockchat server`, shared by its modes.
 * @module
 */

import type { Target } from "../net/address.ts";

/** What the server does with its connections. */
export type ServerMode = "chat" | "pipe" | "echo";

/** Options every mode understands. */
export interface ServerOptions {
  target: Target;
  mode: ServerMode;
  /** pipe: serve the next client after one leaves. */
  keepOpen: boolean;
  /** Whole-run deadline (exit 124). */
  timeoutMs?: number;
  /** Per connection: close after this long without traffic. */
  idleTimeoutMs?: number;
}
