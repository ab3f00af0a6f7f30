/**
 * The generated reference (docs/options.md, sockchat.1, the exit-code tables, the event
 * list) matches the code: a change to the CLI, lib/cli/exit_codes.ts or lib/output/events.ts
 * without `deno task docs` fails here. Plus the renderers' own rules.
 * @module
 */

import assert from "node:assert/strict";
import { generatedFiles, staleFiles } from "../../scripts/docs.ts";
import { replaceGenerated } from "../../scripts/docs/markers.ts";
import { roffText } from "../../scripts/docs/render_man.ts";
import {
  commonOptions,
  exitCodeTable,
  markdownText,
  optionsMarkdown,
} from "../../scripts/docs/render_markdown.ts";
import type { CommandReference } from "../../scripts/docs/reference.ts";
import { ExitCode } from "../../lib/cli/exit_codes.ts";

Deno.test("the generated documents are up to date (else run: deno task docs)", async () => {
  const files = await generatedFiles();
  assert.deepEqual(
    [...files.keys()].sort(),
    ["README.md", "docs/events.md", "docs/exit-codes.md", "docs/options.md", "sockchat.1"],
  );
  assert.deepEqual(await staleFiles(files), []);
});

Deno.test("the generated exit-code table lists every ExitCode with its meaning", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  for (const code of Object.values(ExitCode)) {
    assert.match(readme, new RegExp(`\\n\\| ${code} +\\| [a-z]`), `exit code ${code}`);
  }
});

Deno.test("the man page documents every command and option of the help", async () => {
  const man = await Deno.readTextFile(new URL("../../sockchat.1", import.meta.url));
  for (const text of [".SS sockchat client", ".SS sockchat udp recv", "\\-\\-send\\-file"]) {
    assert.ok(man.includes(text), text);
  }
  assert.match(man, /^\.TH SOCKCHAT 1 "" "sockchat \d+\.\d+\.\d+" "User Commands"$/m);
});

Deno.test("replaceGenerated() replaces only between its markers and requires them", () => {
  const text = "a\n<!-- generated: x -->\nold\n<!-- end generated: x -->\nb\n";
  assert.equal(
    replaceGenerated(text, "x", "new"),
    "a\n<!-- generated: x -->\n\nnew\n\n<!-- end generated: x -->\nb\n",
  );
  assert.throws(() => replaceGenerated("a\n", "x", "new"), /No "<!-- generated: x -->"/);
});

Deno.test("roffText() escapes backslashes and lines that would be roff requests", () => {
  assert.equal(roffText("a \\n b"), "a \\en b");
  assert.equal(roffText(".dot\n'quote\nplain"), "\\&.dot\n\\&'quote\nplain");
});

Deno.test("exitCodeTable() is a two-column table as wide as its longest meaning", () => {
  assert.equal(
    exitCodeTable([{ code: 0, meaning: "ok" }, { code: 124, meaning: "timeout" }]),
    "| Exit | Meaning |\n| ---- | ------- |\n| 0    | ok      |\n| 124  | timeout |",
  );
});

Deno.test("optionsMarkdown() lists shared options once and each command's own options", () => {
  const command = (name: string, flags: string[]): CommandReference => ({
    name,
    usage: "[options]",
    summary: `${name} things`,
    arguments: [],
    options: flags.map((flag) => ({ flags: flag, help: `${flag} help` })),
    examples: [`sockchat ${name}`],
  });
  const commands = [command("a", ["--json", "--one"]), command("b", ["--json", "--two"])];
  assert.deepEqual(commonOptions(commands).map((option) => option.flags), ["--json"]);
  const markdown = optionsMarkdown(commands);
  assert.equal(markdown.split("`--json`").length - 1, 1);
  assert.match(markdown, /## sockchat a\n\n```\nsockchat a \[options\]\n```\n\na things\n/);
  assert.match(markdown, /- `--two`: --two help\n/);
  assert.equal(markdownText("a \\n \\\\"), "a \\\\n \\\\\\\\");
});
