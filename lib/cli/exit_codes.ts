/**
 * The one table that maps errors to exit codes and to the one-line message users see.
 * @module
 */

import { ExpectError, InterruptedError, TimeoutError, UsageError } from "../errors.ts";
import { DnsError } from "../net/errors.ts";

/** The documented exit codes. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Network or runtime failure: refused, reset, DNS, address in use, permission. */
  failure: 1,
  /** Usage error: unknown flag, bad value, conflicting options. */
  usage: 2,
  /** An `--expect` pattern was not seen before the peer closed. */
  expectFailed: 3,
  /** A `--timeout` (or other) deadline passed. */
  timeout: 124,
  /** Interrupted by Ctrl-C. */
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
