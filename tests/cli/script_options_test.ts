import assert from "node:assert/strict";
import { parseArgv } from "../../lib/cli/parse_argv.ts";
import { compilePattern, readScriptOptions, SCRIPT_OPTIONS } from "../../lib/cli/script_options.ts";
import { UsageError } from "../../lib/errors.ts";
import { utf8 } from "../_helpers/bytes.ts";

function parse(argv: string[]) {
  return readScriptOptions(
    parseArgv({ path: ["client"], options: SCRIPT_OPTIONS, args: [] }, argv),
  );
}

Deno.test("readScriptOptions() keeps --send and --send-file in command-line order", () => {
  const options = parse([
    "--send-file",
    "a.bin",
    "--send",
    "x\\n",
    "--expect",
    "one",
    "--send-file",
    "b.bin",
    "--send",
    "y",
    "--expect",
    "two",
  ]);
  assert.deepEqual(options?.sends, [
    { kind: "file", path: "a.bin" },
    { kind: "bytes", data: utf8("x\n") },
    { kind: "file", path: "b.bin" },
    { kind: "bytes", data: utf8("y") },
  ]);
  assert.deepEqual(options?.expects.map((p) => p.source), ["one", "two"]);
  assert.equal(options?.keepOpen, false);
});

Deno.test("readScriptOptions() returns undefined without scripting options", () => {
  assert.equal(parse([]), undefined);
});

Deno.test("readScriptOptions() checks --keep-open, escapes and empty paths", () => {
  assert.equal(parse(["--send", "a", "--keep-open"])?.keepOpen, true);
  assert.throws(
    () => parse(["--keep-open"]),
    /^UsageError: Option --keep-open needs --send or --send-file$/,
  );
  assert.throws(() => parse(["--expect", "x", "--keep-open"]), UsageError);
  assert.throws(() => parse(["--send", "\\z"]), /unknown escape "\\z"/);
  assert.throws(() => parse(["--send-file", ""]), /^UsageError: Option --send-file needs a path$/);
});

Deno.test("compilePattern() compiles JavaScript patterns and explains invalid ones", () => {
  assert.ok(compilePattern("(?i:pong)").test("+PONG"));
  assert.ok(compilePattern("^\\+PONG\\r\\n").test("+PONG\r\n"));
  assert.throws(
    () => compilePattern("("),
    /^UsageError: Invalid --expect "\(": unterminated group$/,
  );
  assert.throws(
    () => compilePattern("a{2,1}"),
    /^UsageError: Invalid --expect "a\{2,1\}": numbers out of order in \{\} quantifier$/,
  );
});
