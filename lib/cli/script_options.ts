/**
 * The scripting options of `sockchat client` (`--send`, `--send-file`, `--keep-open`,
 * `--expect`): their definitions, and argv → `ScriptOptions` with every check done
 * before anything connects. `--send` and `--send-file` may be mixed; they are sent in
 * the order they appear on the command line.
 * @module
 */

import type { Command } from "commander";
import type { ScriptOptions, SendItem } from "../script/client_script.ts";
import { UsageError } from "../errors.ts";
import { decodeEscapes } from "./escapes.ts";

interface RawSend {
  seq: number;
  kind: "text" | "file";
  value: string;
}

/** Examples for the client's help. */
export const SCRIPT_EXAMPLES = [
  "sockchat client --send 'PING\\r\\n' --expect '^\\+PONG' --timeout 5s localhost 6379",
  "sockchat client --send-file backup.tar host 9000           send a file, then half-close",
];

/** Adds the scripting options to `command` (read them back with `readScriptOptions`). */
export function addScriptOptions(command: Command): Command {
  let seq = 0;
  const collect = (kind: RawSend["kind"]) => (value: string, previous: unknown) => [
    ...(Array.isArray(previous) ? previous : []),
    { seq: seq++, kind, value } satisfies RawSend,
  ];
  command
    .option(
      "--send <text>",
      "send TEXT instead of reading stdin (repeatable, in order; escapes: \\n \\r \\t \\\\ \\0 \\xHH)",
      collect("text"),
    )
    .option(
      "--send-file <path>",
      "send a file's bytes instead of reading stdin (repeatable, in order with --send)",
      collect("file"),
    )
    .option("--keep-open", "no half-close after the last send: end when the peer closes")
    .option(
      "--expect <regex>",
      "exit 0 once what is received matches REGEX (repeatable: matched in order); 3 if the peer closes first",
      (value: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), value],
    );
  return command;
}

/** Converts the parsed scripting options; `undefined` when none was given. */
export function readScriptOptions(opts: Record<string, unknown>): ScriptOptions | undefined {
  const raw = [...list<RawSend>(opts.send), ...list<RawSend>(opts.sendFile)]
    .sort((a, b) => a.seq - b.seq);
  const expects = list<string>(opts.expect).map(compilePattern);
  const keepOpen = opts.keepOpen === true;
  if (keepOpen && raw.length === 0) {
    throw new UsageError("Option --keep-open needs --send or --send-file");
  }
  if (raw.length === 0 && expects.length === 0) return undefined;
  const sends = raw.map((item): SendItem => {
    if (item.kind === "text") return { kind: "bytes", data: decodeEscapes(item.value) };
    if (item.value === "") throw new UsageError("Option --send-file needs a path");
    return { kind: "file", path: item.value };
  });
  return { sends, keepOpen, expects };
}

/**
 * Compiles an `--expect` pattern (JavaScript syntax, no flags; use `(?i:...)` to ignore
 * case).
 * @throws {UsageError} for an invalid pattern.
 */
export function compilePattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    const why = (error as Error).message.replace(
      /^Invalid regular expression: \/.*\/[a-z]*: /s,
      "",
    );
    throw new UsageError(
      `Invalid --expect "${source}": ${why.charAt(0).toLowerCase()}${why.slice(1)}`,
    );
  }
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? value as T[] : [];
}
