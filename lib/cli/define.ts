/**
 * The state of one CLI run and the command context built from it.
 * @module
 */

import type { CommandContext } from "../commands/context.ts";
import { makeColors, shouldColor } from "../output/color.ts";
import { Reporter } from "../output/reporter.ts";
import type { GlobalOptions } from "./global_options.ts";
import type { ProcessIo } from "./io.ts";

/** State shared by the whole CLI run. */
export interface CliRun {
  io: ProcessIo;
  /** Set once a command's reporter exists, so errors are reported in its format. */
  reporter?: Reporter;
  exitCode: number;
  /** `--json` appears on the command line (known before parsing ends, for help and errors). */
  json?: boolean;
}

/** Builds the reporter and context for one command run. */
export function makeContext(run: CliRun, global: GlobalOptions): CommandContext {
  const noColorEnv = run.io.env("NO_COLOR");
  const reporter = new Reporter({
    json: global.json,
    verbosity: global.verbosity,
    colors: makeColors(shouldColor(run.io.stderrIsTerminal, global.color, noColorEnv)),
    stdout: run.io.stdout,
    stderrLine: run.io.stderrLine,
  });
  run.reporter = reporter;
  return {
    reporter,
    stdin: run.io.stdin,
    stderrLine: run.io.stderrLine,
    stdout: run.io.stdout,
    stdoutIsTerminal: run.io.stdoutIsTerminal,
    stderrIsTerminal: run.io.stderrIsTerminal,
    stdoutColors: makeColors(shouldColor(run.io.stdoutIsTerminal, global.color, noColorEnv)),
    signal: run.io.signal,
  };
}
