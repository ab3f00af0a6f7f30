/**
 * The options every command takes: `--json`, `-v/--verbose`, `-q/--quiet`, `--no-color`.
 * @module
 */

import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import type { Verbosity } from "../output/reporter.ts";

/** Global options after parsing. */
export interface GlobalOptions {
  json: boolean;
  verbosity: Verbosity;
  color: boolean;
}

/** Adds the global options to a command (each leaf command shows them in its help). */
export function addGlobalOptions(command: Command): Command {
  return command
    .option("--json", "stdout carries only NDJSON events, one JSON object per line")
    .option("-v, --verbose", "more diagnostics on stderr")
    .option("-q, --quiet", "only errors and warnings on stderr")
    .option("--no-color", "no colours (also: the NO_COLOR environment variable)");
}

/** Reads the global options from commander's merged option bag. */
export function readGlobalOptions(opts: Record<string, unknown>): GlobalOptions {
  if (opts.verbose && opts.quiet) {
    throw new UsageError("Options --verbose and --quiet cannot be used together");
  }
  return {
    json: opts.json === true,
    verbosity: opts.quiet ? "quiet" : opts.verbose ? "verbose" : "normal",
    color: opts.color !== false,
  };
}

/** Best-effort pre-scan of argv for `--json`, for errors raised before parsing ends. */
export function argvWantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}
