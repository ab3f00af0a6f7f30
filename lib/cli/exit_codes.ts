/**
 * The one table that maps errors to exit codes and to the one-line message users see.
 * @module
 */

import { ExpectError, InterruptedError, TimeoutError, UsageError } from "../errors.ts";
import { DnsError } from "../net/errors.ts";

/**
 * The documented exit codes. Each one's comment is its meaning as users read it (README,
 * docs/exit-codes.md and the man page are generated from it by `deno task docs`).
 */
export const ExitCode = {
  /** success (a server stopped with Ctrl-C, SIGTERM or SIGHUP also exits 0) */
  ok: 0,
  /** network or runtime failure: refused, reset, data not delivered, DNS, address in use */
  failure: 1,
  /** usage error: unknown option, bad value, conflicting options (before any socket opens) */
  usage: 2,
  /** an `--expect` pattern was not seen before the peer closed (or reset) the connection */
  expectFailed: 3,
  /** a deadline passed: `--timeout`, `--connect-timeout`, `--idle-timeout`, `wait --timeout` */
  timeout: 124,
  /** interrupted (Ctrl-C, SIGTERM, SIGHUP) while a client or `wait` ran; a second one: at once */
  interrupted: 130,
} as const;

/** What the top level prints and returns for an error. */
export interface ErrorReport {
  exitCode: number;
  message: string;
}

/** Maps any thrown value to its exit code and one-line message (no stack trace). */
export function reportFor(error: unknown): ErrorReport {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (error instanceof UsageError) return { exitCode: ExitCode.usage, message };
  if (error instanceof TimeoutError) return { exitCode: ExitCode.timeout, message };
  if (error instanceof ExpectError) return { exitCode: ExitCode.expectFailed, message };
  if (error instanceof InterruptedError) return { exitCode: ExitCode.interrupted, message };
  if (error instanceof DnsError) return { exitCode: ExitCode.failure, message };
  if (error instanceof Deno.errors.NotCapable) {
    return { exitCode: ExitCode.failure, message: `Not allowed: ${message}` };
  }
  return { exitCode: ExitCode.failure, message };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim() || "Unknown error";
}
