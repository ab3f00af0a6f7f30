/**
 * The CLI's entry: parses argv, runs the command, and maps every error to one line on
 * stderr and a documented exit code, including errors nobody caught (`watchUnexpected`).
 * Never exits the process itself.
 * @module
 */

import { CommanderError } from "commander";
import { UsageError } from "../errors.ts";
import { makeColors, shouldColor } from "../output/color.ts";
import { Reporter } from "../output/reporter.ts";
import type { CliRun } from "./define.ts";
import { reportFor } from "./exit_codes.ts";
import { argvWantsJson } from "./global_options.ts";
import { type ProcessIo, processIo } from "./io.ts";
import { buildProgram } from "./program.ts";
import { watchUnexpected } from "./unexpected.ts";

/** Runs sockchat with `argv` (without the program name); resolves to the exit code. */
export async function main(argv: string[], io: ProcessIo = processIo()): Promise<number> {
  const run: CliRun = { io, exitCode: 0, json: argvWantsJson(argv) };
  using unexpected = watchUnexpected();
  try {
    await Promise.race([buildProgram(run).parseAsync(argv, { from: "user" }), unexpected.failed]);
  } catch (thrown) {
    const error = fromCommander(thrown);
    if (error === null) {
      run.exitCode = 0;
    } else {
      const reporter = run.reporter ?? fallbackReporter(io, run.json === true);
      const { exitCode, message } = reportFor(error);
      reporter.error(message, exitCode);
      run.exitCode = exitCode;
    }
  } finally {
    await io.stdout.flush();
    io.dispose();
  }
  return run.exitCode;
}

/** Commander's help/version exits become `null`; its parse errors become usage errors. */
function fromCommander(thrown: unknown): unknown {
  if (!(thrown instanceof CommanderError)) return thrown;
  if (
    thrown.code === "commander.helpDisplayed" || thrown.code === "commander.help" ||
    thrown.code === "commander.version" || thrown.exitCode === 0
  ) {
    return null;
  }
  const message = thrown.message.replace(/^error: /, "");
  return new UsageError(
    `${message.charAt(0).toUpperCase()}${message.slice(1)} (see "sockchat --help")`,
  );
}

function fallbackReporter(io: ProcessIo, json: boolean): Reporter {
  return new Reporter({
    json,
    verbosity: "normal",
    colors: makeColors(shouldColor(io.stderrIsTerminal, true, io.env("NO_COLOR"))),
    stdout: io.stdout,
    stderrLine: io.stderrLine,
  });
}
