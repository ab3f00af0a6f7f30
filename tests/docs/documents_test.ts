/**
 * The README stays short and every document stays readable in a terminal: a size budget for
 * README.md, no table row wider than 100 columns, and relative links that resolve.
 * @module
 */

import assert from "node:assert/strict";
import { documents } from "../_helpers/shell.ts";

const ROOT = new URL("../../", import.meta.url);
const README_BUDGET = 12 * 1024;
const MAX_TABLE_WIDTH = 100;

function name(doc: URL): string {
  return doc.pathname.slice(ROOT.pathname.length);
}

/** Lines of `text` outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): [number, string][] {
  const lines: [number, string][] = [];
  let fenced = false;
  text.split("\n").forEach((line, index) => {
    if (line.startsWith("```")) fenced = !fenced;
    else if (!fenced) lines.push([index + 1, line]);
  });
  return lines;
}

Deno.test("README.md stays within its 12 KiB budget", () => {
  const size = Deno.statSync(new URL("README.md", ROOT)).size;
  assert.ok(size <= README_BUDGET, `README.md is ${size} bytes, the budget is ${README_BUDGET}`);
});

Deno.test("no table row in README.md, CONTRIBUTING.md or docs/ is wider than 100 columns", () => {
  const wide: string[] = [];
  for (const doc of documents()) {
    for (const [number, line] of proseLines(Deno.readTextFileSync(doc))) {
      const width = [...line].length;
      if (line.startsWith("|") && width > MAX_TABLE_WIDTH) {
        wide.push(`${name(doc)}:${number} (${width} columns)`);
      }
    }
  }
  assert.deepEqual(wide, []);
});

Deno.test("every relative link in the documents points to a file that exists", () => {
  const broken: string[] = [];
  for (const doc of documents()) {
    for (const [number, line] of proseLines(Deno.readTextFileSync(doc))) {
      for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/.test(target) || target.startsWith("#")) continue;
        const path = new URL(target.split("#")[0]!, doc);
        try {
          Deno.statSync(path);
        } catch {
          broken.push(`${name(doc)}:${number} ${target}`);
        }
      }
    }
  }
  assert.deepEqual(broken, []);
});
