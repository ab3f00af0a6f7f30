/**
 * The options every command takes: `--json`, `-v/--verbose`, `-q/--quiet`, `--no-color`.
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Verbosity } from "../output/reporter.ts";
import type { OptionSpec } from "./command_spec.ts";

/** Global options after parsing. */
export interface GlobalOptions {
  json: boolean;
  verbosity: Verbosity;
  color: boolean;
}

/** The heading the global options are listed under. */
export const OUTPUT_GROUP = "Output";

/** `--json`. */
export const JSON_OPTION: OptionSpec = {
  name: "json",
  help: "stdout carries only NDJSON events, one JSON object per line",
  group: OUTPUT_GROUP,
};

/** The global options' table (every leaf command lists them last, before `--help`). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  JSON_OPTION,
  { name: "verbose", short: "v", help: "more diagnostics on stderr", group: OUTPUT_GROUP },
  { name: "quiet", short: "q", help: "only errors and warnings on stderr", group: OUTPUT_GROUP },
  {
    name: "no-color",
    help: "no colours (also: the NO_COLOR environment variable)",
    group: OUTPUT_GROUP,
  },
];

/** Reads the global options from a parsed option bag. */
export function readGlobalOptions(opts: Record<string, unknown>): GlobalOptions {
  if (opts.verbose && opts.quiet) {
    throw new UsageError("Options --verbose and --quiet cannot be used together");
  }
  return {
    json: opts.json === true,
    verbosity: opts.quiet ? "quiet" : opts.verbose ? "verbose" : "normal",
    color: opts.noColor !== true,
  };
}

/** Best-effort pre-scan of argv for `--json`, for errors raised before parsing ends. */
export function argvWantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}
