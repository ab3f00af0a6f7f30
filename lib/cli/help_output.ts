/**
 * Where help and version text go: stdout as text, or, when `--json` is on the command
 * line, one event (`help`, `version`) so that stdout still carries only NDJSON.
 * @module
 */

import { makeColors } from "../output/color.ts";
import type { SockchatEvent } from "../output/events.ts";
import { Reporter } from "../output/reporter.ts";
import { versionEvent, versionText } from "../version.ts";
import type { CommandSpec } from "./command_spec.ts";
import { DURATION_HELP, EXIT_CODES_HELP } from "./command_list.ts";
import type { CliRun } from "./define.ts";
import { helpText } from "./help_text.ts";

/** The full help of `spec`, with the footer that belongs to it. */
export function fullHelp(spec: CommandSpec): string {
  const footer: string[] = [];
  if (spec.path.length === 0) {
    footer.push(
      'Run "sockchat help COMMAND" (or "sockchat COMMAND --help") for a command\'s options.',
      EXIT_CODES_HELP,
    );
  }
  if (spec.options.some((o) => o.value === "DUR")) footer.push(DURATION_HELP);
  return helpText(spec, footer);
}

/** Prints the help of `spec`; exit code 0. */
export function writeHelp(run: CliRun, spec: CommandSpec): number {
  const text = fullHelp(spec);
  if (run.json) emit(run, { type: "help", text });
  else run.io.stdout.enqueue(new TextEncoder().encode(text));
  return 0;
}

/** Prints `sockchat --version`; exit code 0. */
export function writeVersion(run: CliRun): number {
  if (run.json) {
    emit(run, versionEvent());
  } else {
    run.io.stdout.enqueue(new TextEncoder().encode(versionText() + "\n"));
  }
  return 0;
}

function emit(run: CliRun, event: SockchatEvent): void {
  new Reporter({
    json: true,
    verbosity: "normal",
    colors: makeColors(false),
    stdout: run.io.stdout,
    stderrLine: run.io.stderrLine,
  }).emit(event);
}
