/**
 * What the reference documents are generated from: a small interface that any CLI
 * definition can fill (today from the commander program, see cli_reference.ts), the event
 * schema (lib/output/events.ts) and the exit-code table (lib/cli/exit_codes.ts).
 * @module
 */

/** One option of a command, as its help shows it. */
export interface OptionReference {
  /** Short and long names, e.g. `-p, --port`. */
  flags: string;
  /** The value it takes, e.g. `<port>`; absent for a switch. */
  argument?: string;
  /** The default, as written in the help (e.g. `12345`); absent when there is none. */
  default?: string;
  /** One-line help text. */
  help: string;
}

/** A positional argument of a command. */
export interface ArgumentReference {
  name: string;
  help: string;
}

/** One command (`sockchat client`, `sockchat udp send`), everything its help says. */
export interface CommandReference {
  /** The words after `sockchat`, e.g. `udp send`; empty for sockchat itself. */
  name: string;
  /** The usage line after `sockchat NAME`, e.g. `[options] [host] [port]`. */
  usage: string;
  /** What the command does (a paragraph). */
  summary: string;
  arguments: ArgumentReference[];
  options: OptionReference[];
  /** Example command lines, each optionally followed by spaces and a comment. */
  examples: string[];
}

/** One documented exit code. */
export interface ExitCodeReference {
  code: number;
  meaning: string;
}

/** One field of an event. */
export interface FieldReference {
  name: string;
  optional: boolean;
  /** The type as a reader sees it: `string`, `number`, `"tcp" | "udp"`, `string[]`. */
  type: string;
  doc: string;
}

/** One event type of the `--json` stream. */
export interface EventReference {
  type: string;
  doc: string;
  fields: FieldReference[];
}
