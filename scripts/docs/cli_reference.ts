/**
 * The CLI's commands as `CommandReference`s, read from the commander program that parses
 * argv (so the documents say what the parser does). This is the one adapter to rewrite
 * when the CLI definitions change shape.
 * @module
 */

import type { Command, Option } from "commander";
import type { CliRun } from "../../lib/cli/define.ts";
import type { ProcessIo } from "../../lib/cli/io.ts";
import { buildProgram } from "../../lib/cli/program.ts";
import type { CommandReference, OptionReference } from "./reference.ts";

/** sockchat itself first, then every command and subcommand in help order. */
export function cliReference(): CommandReference[] {
  const run: CliRun = { io: {} as ProcessIo, exitCode: 0 };
  const references: CommandReference[] = [];
  const visit = (command: Command, path: string[]) => {
    references.push(commandReference(command, path));
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(buildProgram(run), []);
  return references;
}

function commandReference(command: Command, path: string[]): CommandReference {
  return {
    name: path.join(" "),
    usage: command.usage(),
    summary: command.description(),
    arguments: command.registeredArguments.map((argument) => ({
      name: argument.name(),
      help: argument.description,
    })),
    options: command.options.filter((option) => !option.hidden).map(optionReference),
    examples: examplesOf(command),
  };
}

function optionReference(option: Option): OptionReference {
  const match = /^(.*?)(?:[ ,]+([<[].*[>\]]))?$/.exec(option.flags)!;
  const reference: OptionReference = { flags: match[1]!, help: option.description };
  if (match[2]) reference.argument = match[2];
  const value: unknown = option.defaultValue;
  if (value !== undefined && !(option.negate && value === true)) {
    reference.default = String(value);
  }
  return reference;
}

/** The lines under "Examples:" in the text commander prints after a command's help. */
function examplesOf(command: Command): string[] {
  let text = "";
  // Commander keeps addHelpText() as "afterHelp" listeners (it is an EventEmitter at run time).
  const emitter = command as unknown as { emit(event: string, context: unknown): boolean };
  emitter.emit("afterHelp", { error: false, command, write: (part: string) => (text += part) });
  const section = /\nExamples:\n((?: {2}.*\n?)+)/.exec(text)?.[1] ?? "";
  return section.split("\n").filter((line) => line.trim() !== "").map((line) => line.trim());
}
