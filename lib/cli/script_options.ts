/**
 * The scripting options of `sockchat client` (`--send`, `--send-file`, `--keep-open`,
 * `--expect`): their definitions, and argv → `ScriptOptions` with every check done
 * before anything connects. `--send` and `--send-file` may be mixed; they are sent in
 * the order they appear on the command line.
 * @module
 */

import type { ScriptOptions, SendItem } from "../script/client_script.ts";
import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import type { OptionSpec } from "./command_spec.ts";
import { decodeEscapes } from "./escapes.ts";
import type { ParsedArgs } from "./command_spec.ts";

const SCRIPTING = "Scripting";

/** Examples for the client's help. */
export const SCRIPT_EXAMPLES = [
  "sockchat client --send 'PING\\r\\n' --expect '^\\+PONG' --timeout 5s localhost 6379",
  "sockchat client --send-file backup.tar host 9000           send a file, then half-close",
];

/** The scripting options' table (read them back with `readScriptOptions`). */
export const SCRIPT_OPTIONS: readonly OptionSpec[] = [
  {
    name: "send",
    value: "TEXT",
    help:
      "send TEXT instead of reading stdin (repeatable, in order; escapes: \\n \\r \\t \\\\ \\0 \\xHH)",
    repeatable: true,
    group: SCRIPTING,
  },
  {
    name: "send-file",
    value: "PATH",
    help: "send a file's bytes instead of reading stdin (repeatable, in order with --send)",
    repeatable: true,
    group: SCRIPTING,
  },
  {
    name: "keep-open",
    help: "no half-close after the last send: end when the peer closes",
    group: SCRIPTING,
  },
  {
    name: "expect",
    value: "REGEX",
    help:
      "exit 0 once what is received matches REGEX (repeatable: matched in order); 3 if the peer closes first",
    repeatable: true,
    group: SCRIPTING,
  },
];

/** Converts the parsed scripting options; `undefined` when none was given. */
export function readScriptOptions(parsed: ParsedArgs): ScriptOptions | undefined {
  const raw = parsed.order.filter((o) => o.key === "send" || o.key === "sendFile");
  const expects = parsed.order.filter((o) => o.key === "expect").map((o) =>
    compilePattern(String(o.value))
  );
  const keepOpen = parsed.opts.keepOpen === true;
  if (keepOpen && raw.length === 0) {
    throw new UsageError("Option --keep-open needs --send or --send-file");
  }
  if (raw.length === 0 && expects.length === 0) return undefined;
  const sends = raw.map((item): SendItem => {
    const value = String(item.value);
    if (item.key === "send") return { kind: "bytes", data: decodeEscapes(value) };
    if (value === "") throw new UsageError("Option --send-file needs a path");
    return { kind: "file", path: value };
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
      `Invalid --expect ${quote(source)}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`,
    );
  }
}
