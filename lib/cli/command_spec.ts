/**
 * The shape of sockchat's command tables. One table per command is the single source for
 * parsing, validation, `--help`, "did you mean", and the generated reference docs (a docs
 * script renders `commands` from `command_list.ts`). Pure data: no I/O, no parsing here.
 * @module
 */

import type { CommandContext } from "../commands/context.ts";

/** The result of parsing one command's argv. */
export interface ParsedArgs {
  /** Values by `optionKey` (camelCase): string, `true`, or `string[]` when repeatable. */
  opts: Record<string, unknown>;
  /** Positional arguments, in order. */
  args: string[];
  /** Where in `args` the words after `--` start (absent without `--`). */
  dashAt?: number;
  /** Keys of the options given on the command line (defaults are not "given"). */
  given: ReadonlySet<string>;
  /** Every option value in command-line order (for options whose order matters). */
  order: { key: string; value: string | true }[];
  /** `-h`/`--help` was given. */
  help: boolean;
}

/** One option: `--name VALUE` (or a flag when `value` is absent). */
export interface OptionSpec {
  /** Long name without the dashes: `connect-timeout`. */
  name: string;
  /** One-character short name without the dash: `w`. */
  short?: string;
  /** Placeholder for the value (`DUR`, `PORT`); absent for a flag that takes no value. */
  value?: string;
  /** One sentence (or two) for `--help`, without the default. */
  help: string;
  /** The default as a user would type it; shown as `(default: X)` and filled in when absent. */
  default?: string;
  /** The only accepted values (checked by the parser, suggested on a typo). */
  choices?: readonly string[];
  /** May be given several times; the values are collected in order. */
  repeatable?: boolean;
  /** Heading this option is listed under in `--help`. */
  group: string;
  /** Parsed but not listed in `--help` (kept for a friendlier error message). */
  hidden?: boolean;
}

/** One positional argument. */
export interface ArgSpec {
  /** As shown in the usage line: `HOST[:PORT]`, `TARGET`. */
  name: string;
  help: string;
  /** Must be given (shown as `NAME`, not `[NAME]`). */
  required?: boolean;
  /** Takes every remaining word (shown as `NAME...`); only the last argument may. */
  variadic?: boolean;
}

/** A flag nc users type that sockchat does not take, and what to use instead. */
export interface ForeignFlag {
  /** The flag as typed: `-l`. */
  flag: string;
  /** What to do instead: `use "sockchat server"`. */
  instead: string;
}

/** A command (`client`), a group of commands (`udp`) or a leaf under a group (`udp send`). */
export interface CommandSpec {
  /** The words after `sockchat`: `["udp", "send"]`. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** The paragraph at the top of the command's `--help`. */
  description: string;
  args: readonly ArgSpec[];
  /** In help order; `--help` is added by the parser itself. */
  options: readonly OptionSpec[];
  examples: readonly string[];
  /** Other tools' flags this command does not take, each with what to use instead. */
  foreign?: readonly ForeignFlag[];
  /** Leaves under a group (`udp send`, `udp recv`); a group has no `run`. */
  subcommands?: readonly CommandSpec[];
  /** Runs the command: parsed argv in, exit code out. Loads the command's code lazily. */
  run?: (parsed: ParsedArgs, ctx: CommandContext) => Promise<number>;
}

/** The `--help` option every command takes (listed last, handled by the dispatcher). */
export const HELP_OPTION: OptionSpec = {
  name: "help",
  short: "h",
  help: "show this help",
  group: "Output",
};

/** `connect-timeout` → `connectTimeout`: the key of an option in `ParsedArgs.opts`. */
export function optionKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `sockchat udp send`: the command as typed. */
export function commandName(spec: Pick<CommandSpec, "path">): string {
  return ["sockchat", ...spec.path].join(" ");
}

/** `(see "sockchat client --help")`: where a usage error points. */
export function helpPointer(spec: Pick<CommandSpec, "path">): string {
  return `(see "${commandName(spec)} --help")`;
}
