/**
 * Glue between commander and the commands: a leaf command gets the global options, the
 * shared error/output settings, and an action that builds the command context and
 * records the exit code.
 * @module
 */

import type { Command } from "commander";
import type { CommandContext } from "../commands/context.ts";
import { makeColors, shouldColor } from "../output/color.ts";
import { Reporter } from "../output/reporter.ts";
import { addGlobalOptions, type GlobalOptions, readGlobalOptions } from "./global_options.ts";
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

/** A command's body: parsed options in, exit code out. */
export type CommandBody = (
  opts: Record<string, unknown>,
  args: string[],
  ctx: CommandContext,
  global: GlobalOptions,
) => Promise<number>;

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
    stdout: run.io.stdout,
    stdoutIsTerminal: run.io.stdoutIsTerminal,
    stdoutColors: makeColors(shouldColor(run.io.stdoutIsTerminal, global.color, noColorEnv)),
    signal: run.io.signal,
  };
}

/** Makes `command` a leaf: global options, examples in help, and the action. */
export function defineLeaf(
  run: CliRun,
  command: Command,
  examples: string[],
  body: CommandBody,
): Command {
  addGlobalOptions(command);
  if (examples.length > 0) {
    command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  ${e}`).join("\n")}\n`);
  }
  command.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    const opts = self.optsWithGlobals() as Record<string, unknown>;
    const global = readGlobalOptions(opts);
    const ctx = makeContext(run, global);
    run.exitCode = await body(opts, self.args, ctx, global);
  });
  return command;
}
