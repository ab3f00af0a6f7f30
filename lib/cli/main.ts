/**
 * The CLI's entry: finds the command in argv, parses its options from its table, runs
 * it, and maps every error to one line on stderr and a documented exit code, including
 * errors nobody caught (`watchUnexpected`). All I/O goes through the injected
 * `ProcessIo`, so tests run it in process. Never exits the process itself.
 * @module
 */

import { UsageError } from "../errors.ts";
import { makeColors, shouldColor } from "../output/color.ts";
import { quote } from "../output/format.ts";
import { Reporter } from "../output/reporter.ts";
import { ROOT_COMMAND } from "./command_list.ts";
import { commandName, type CommandSpec, helpPointer } from "./command_spec.ts";
import type { CliRun } from "./define.ts";
import { makeContext } from "./define.ts";
import { reportFor } from "./exit_codes.ts";
import { argvWantsJson, readGlobalOptions } from "./global_options.ts";
import { type ProcessIo, processIo } from "./io.ts";
import { orList, parseArgv } from "./parse_argv.ts";
import { closest } from "./suggest.ts";
import { watchUnexpected } from "./unexpected.ts";

const VERSION_WORDS = ["--version", "-V", "--json"];

/** Runs sockchat with `argv` (without the program name); resolves to the exit code. */
export async function main(argv: string[], io: ProcessIo = processIo()): Promise<number> {
  const run: CliRun = { io, exitCode: 0, json: argvWantsJson(argv) };
  using unexpected = watchUnexpected();
  try {
    run.exitCode = await Promise.race([dispatch(run, argv), unexpected.failed]);
  } catch (error) {
    const reporter = run.reporter ?? fallbackReporter(io, run.json === true);
    const { exitCode, message } = reportFor(error);
    reporter.error(message, exitCode);
    run.exitCode = exitCode;
  } finally {
    await io.stdout.flush();
    io.dispose();
  }
  return run.exitCode;
}

/**
 * `sockchat [OPTIONS] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]`: walks down the command
 * groups (options before a command word are carried down to the command), then parses
 * and runs the leaf.
 */
async function dispatch(run: CliRun, argv: readonly string[]): Promise<number> {
  let spec = ROOT_COMMAND;
  let rest = argv;
  const carried: string[] = [];
  while (spec.subcommands !== undefined) {
    const lead = leadingOptions(rest);
    const parsed = parseArgv({ ...spec, args: [] }, rest.slice(0, lead));
    if (parsed.help) return await writeHelp(run, spec);
    const word = rest[lead];
    if (parsed.opts.version === true) {
      const others = rest.slice(0, lead).filter((w) => !VERSION_WORDS.includes(w));
      if (word !== undefined || others.length > 0) {
        throw new UsageError(`Option --version goes alone or with --json ${helpPointer(spec)}`);
      }
      return (await import("./help_output.ts")).writeVersion(run);
    }
    carried.push(...rest.slice(0, lead));
    if (word === undefined) throw missingCommand(spec);
    if (spec === ROOT_COMMAND && word === "help") return await help(run, rest.slice(lead + 1));
    spec = subcommand(spec, word);
    rest = rest.slice(lead + 1);
  }
  const parsed = parseArgv(spec, [...carried, ...rest]);
  if (parsed.help) return await writeHelp(run, spec);
  const ctx = makeContext(run, readGlobalOptions(parsed.opts));
  return await spec.run!(parsed, ctx);
}

/** Prints the help of `spec` (the help renderer is loaded only for this). */
async function writeHelp(run: CliRun, spec: CommandSpec): Promise<number> {
  return (await import("./help_output.ts")).writeHelp(run, spec);
}

/** `sockchat help [COMMAND [SUBCOMMAND]]`. */
function help(run: CliRun, words: readonly string[]): Promise<number> {
  let spec = ROOT_COMMAND;
  for (const word of words) {
    if (word === "--json" || word === "-h" || word === "--help") continue;
    if (spec.subcommands === undefined) {
      throw new UsageError(
        `Too many arguments: ${quote(word)} (see "sockchat help ${spec.path.join(" ")}")`,
      );
    }
    spec = subcommand(spec, word);
  }
  return writeHelp(run, spec);
}

/** The count of option words before the first command word. */
function leadingOptions(argv: readonly string[]): number {
  let count = 0;
  while (count < argv.length && /^-./.test(argv[count]!) && argv[count] !== "--") count++;
  return count;
}

function subcommand(group: CommandSpec, word: string): CommandSpec {
  const found = group.subcommands?.find((c) => c.path.at(-1) === word);
  if (found !== undefined) return found;
  const names = (group.subcommands ?? []).map((c) => c.path.at(-1)!);
  const guess = closest(word, names);
  const typed = [...group.path, word].join(" ");
  throw new UsageError(
    `Unknown command ${quote(typed)}${
      guess ? `: did you mean "${[...group.path, guess].join(" ")}"?` : ""
    } ${helpPointer(group)}`,
  );
}

function missingCommand(group: CommandSpec): UsageError {
  const names = (group.subcommands ?? []).map((c) => `"${commandName(c).slice(9)}"`);
  return new UsageError(`Missing command: use ${orList(names)} ${helpPointer(group)}`);
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
