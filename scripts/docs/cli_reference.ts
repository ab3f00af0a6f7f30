/**
 * The CLI's commands as `CommandReference`s, read from the same command tables the parser
 * uses (`commands` in lib/cli/command_list.ts), so the documents say what the parser does.
 * This is the one adapter to rewrite when the CLI definitions change shape.
 * @module
 */

import { ROOT_COMMAND } from "../../lib/cli/command_list.ts";
import { commandName, type CommandSpec, type OptionSpec } from "../../lib/cli/command_spec.ts";
import { usageLine } from "../../lib/cli/help_text.ts";
import type { CommandReference, OptionReference } from "./reference.ts";

/** sockchat itself first, then every command and subcommand in help order. */
export function cliReference(): CommandReference[] {
  const references: CommandReference[] = [];
  const visit = (spec: CommandSpec) => {
    references.push(commandReference(spec));
    for (const sub of spec.subcommands ?? []) visit(sub);
  };
  visit(ROOT_COMMAND);
  return references;
}

function commandReference(spec: CommandSpec): CommandReference {
  return {
    name: spec.path.join(" "),
    usage: usageLine(spec).slice(commandName(spec).length + 1),
    summary: spec.description,
    arguments: spec.args.map((arg) => ({ name: arg.name, help: arg.help })),
    options: spec.options.filter((option) => !option.hidden).map(optionReference),
    examples: [...spec.examples],
  };
}

function optionReference(option: OptionSpec): OptionReference {
  const reference: OptionReference = {
    flags: option.short ? `-${option.short}, --${option.name}` : `--${option.name}`,
    help: option.help,
  };
  if (option.value !== undefined) reference.argument = option.value;
  if (option.default !== undefined) reference.default = option.default;
  return reference;
}
