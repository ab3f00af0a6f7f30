import assert from "node:assert/strict";
import { scanSource, stripComments } from "./source_scan.ts";

function rules(source: string): string[] {
  return scanSource("x.ts", source).map((f) => f.rule);
}

Deno.test("scanSource() accepts static imports and literal dynamic imports", () => {
  assert.deepEqual(
    rules(
      [
        `import { main } from "./lib/cli/main.ts";`,
        `const mod = await import("./lib/chat/room.ts");`,
        `const other = await import('npm:commander@14', { with: {} });`,
        "const t = await import(`./lib/x.ts`);",
        `if (import.meta.main) Deno.exit(0);`,
      ].join("\n"),
    ),
    [],
  );
});

Deno.test("scanSource() flags dynamic imports of computed specifiers", () => {
  assert.deepEqual(rules(`await import(name);`), ["dynamic import of a non-literal specifier"]);
  assert.deepEqual(rules("await import(`./commands/${name}.ts`);"), [
    "dynamic import of a non-literal specifier",
  ]);
  assert.deepEqual(rules(`await import("./commands/" + name);`), [
    "dynamic import of a non-literal specifier",
  ]);
});

Deno.test("scanSource() flags reads next to the module and of project files", () => {
  assert.deepEqual(rules(`const dir = import.meta.dirname;`), ["a path next to the module"]);
  assert.deepEqual(rules(`const p = import.meta.resolve("./x.txt");`), [
    "a path next to the module",
  ]);
  assert.deepEqual(
    rules(`const t = await Deno.readTextFile(new URL("./help.txt", import.meta.url));`),
    ["a URL relative to the module"],
  );
  assert.deepEqual(rules(`const c = JSON.parse(Deno.readTextFileSync("deno.json"));`), [
    "a project file read at run time",
  ]);
  assert.deepEqual(rules(`const w = new Worker("./w.ts", { type: "module" });`), [
    "a worker (its module must be --include'd)",
  ]);
  assert.deepEqual(rules(`const m = require("node:fs");`), [
    "require() (CommonJS loading at run time)",
  ]);
});

Deno.test("scanSource() ignores comments and reports the right line", () => {
  const source = [
    "/**",
    " * Reads deno.json? No: `import(name)` is only in this comment.",
    " */",
    "// import.meta.dirname in a line comment",
    "const ok = 1;",
    "const bad = import.meta.filename;",
  ].join("\n");
  const findings = scanSource("y.ts", source);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.line, 6);
  assert.equal(stripComments(source).split("\n").length, 6);
});
