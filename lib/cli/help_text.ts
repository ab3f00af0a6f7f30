/**
 * `--help` text, rendered from the same tables the parser uses: usage line, description,
 * arguments, options grouped under headings, examples. Defaults are written one way
 * everywhere: `(default: 10s)`.
 * @module
 */

import {
  type ArgSpec,
  commandName,
  type CommandSpec,
  HELP_OPTION,
  type OptionSpec,
} from "./command_spec.ts";

/** Help lines are wrapped to this width. */
export const HELP_WIDTH = 96;

/** Longest left column before descriptions start on the next line. */
const MAX_TERM = 34;

/** `[options] [HOST[:PORT]] [PORT]`, or `<send|recv> [options]` for a group. */
export function usageLine(spec: CommandSpec): string {
  if (spec.path.length === 0) return "sockchat <command> [options]";
  if (spec.subcommands) {
    return `${commandName(spec)} <${
      spec.subcommands.map((s) => s.path.at(-1)).join("|")
    }> [options]`;
  }
  return [commandName(spec), "[options]", ...spec.args.map(argUsage)].join(" ");
}

function argUsage(arg: ArgSpec): string {
  const name = arg.variadic ? `${arg.name}...` : arg.name;
  return arg.required ? name : `[${name}]`;
}

/** `-p, --port PORT` as listed in help. */
export function optionTerm(option: OptionSpec): string {
  const long = `--${option.name}${option.value ? ` ${option.value}` : ""}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

/** The option's help with its default: `TCP port (default: 12345)`. */
export function optionDescription(option: OptionSpec): string {
  return option.default === undefined
    ? option.help
    : `${option.help} (default: ${option.default === "" ? '""' : option.default})`;
}

/** The whole `--help` text of a command or group. */
export function helpText(spec: CommandSpec, footer: readonly string[] = []): string {
  const out: string[] = [`Usage: ${usageLine(spec)}`, "", ...wrap(spec.description, HELP_WIDTH)];
  if (spec.args.length > 0) {
    out.push("", "Arguments:");
    out.push(...table(spec.args.map((a) => [a.name, a.help])));
  }
  if (spec.subcommands) {
    out.push("", "Commands:");
    const rows = spec.subcommands.map((s): [string, string] => [s.path.join(" "), s.summary]);
    if (spec.path.length === 0) rows.push(["help", "show the help of sockchat or of a command"]);
    out.push(...table(rows));
  }
  const visible = [...spec.options, HELP_OPTION].filter((o) => !o.hidden);
  const groups = [...new Set(visible.map((o) => o.group))];
  const width = termWidth(visible.map(optionTerm));
  for (const group of groups) {
    out.push("", `${group}:`);
    const rows = visible.filter((o) => o.group === group);
    out.push(...table(rows.map((o) => [optionTerm(o), optionDescription(o)]), width));
  }
  if (spec.examples.length > 0) {
    out.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  }
  if (footer.length > 0) out.push("", ...footer.flatMap((line) => wrap(line, HELP_WIDTH)));
  return out.join("\n") + "\n";
}

function termWidth(terms: readonly string[]): number {
  return Math.min(MAX_TERM, Math.max(0, ...terms.map((t) => t.length)));
}

/** Two columns: the term, then its wrapped description aligned after the widest term. */
function table(rows: readonly [string, string][], width = termWidth(rows.map((r) => r[0]))) {
  const indent = 2 + width + 2;
  const lines: string[] = [];
  for (const [term, text] of rows) {
    const body = wrap(text, HELP_WIDTH - indent);
    if (term.length > width) {
      lines.push(`  ${term}`);
      lines.push(...body.map((line) => " ".repeat(indent) + line));
    } else {
      lines.push(`  ${term.padEnd(width)}  ${body[0] ?? ""}`.trimEnd());
      lines.push(...body.slice(1).map((line) => " ".repeat(indent) + line));
    }
  }
  return lines;
}

/** Greedy word wrap to `width` columns (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
