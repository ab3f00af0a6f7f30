/**
 * What `deno compile` embeds is main.ts's module graph (plus its npm packages): these tests
 * prove, offline, that the graph holds only local files and `npm:`/`node:` packages, and that
 * nothing in lib/ loads code or reads files at run time that the binary would not carry.
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { readDenoConfig } from "./deno_config.ts";
import { moduleGraph } from "./module_graph.ts";
import { formatFinding, scanSource } from "./source_scan.ts";

const rootUrl = new URL(`file://${ROOT_DIR}/`).href;

function isEmbeddableLocal(specifier: string): boolean {
  if (!specifier.startsWith(rootUrl)) return false;
  const path = specifier.slice(rootUrl.length);
  return path === "main.ts" || path.startsWith("lib/");
}

function isPackage(specifier: string): boolean {
  return specifier.startsWith("npm:") || specifier.startsWith("node:");
}

Deno.test("main.ts's module graph holds only lib/ files and npm:/node: packages", async () => {
  const info = await moduleGraph();
  assert.deepEqual(info.roots, [`${rootUrl}main.ts`]);
  assert.ok(info.modules.length > 10, `suspiciously small graph: ${info.modules.length}`);
  const outside = info.modules
    .map((m) => m.specifier)
    .filter((s) => !isEmbeddableLocal(s) && !isPackage(s));
  assert.deepEqual(outside, [], "modules that are neither lib/ files nor npm:/node: packages");
  const remote = info.modules.map((m) => m.specifier).filter((s) => /^(https?|jsr):/.test(s));
  assert.deepEqual(remote, [], "remote modules in the graph");
  const broken = info.modules.filter((m) => m.error !== undefined).map((m) => m.specifier);
  assert.deepEqual(broken, [], "modules that do not resolve");
  for (const target of Object.values(info.redirects)) {
    assert.ok(isPackage(target), `redirect to a non-package module: ${target}`);
  }
});

Deno.test("every import in the graph resolves to something the binary embeds", async () => {
  const info = await moduleGraph();
  const problems: string[] = [];
  for (const module of info.modules) {
    for (const dep of module.dependencies ?? []) {
      const resolved = dep.code?.specifier;
      if (dep.code?.error) {
        problems.push(`${module.specifier}: ${dep.specifier}: ${dep.code.error}`);
      } else if (resolved && !isEmbeddableLocal(resolved) && !isPackage(resolved)) {
        problems.push(`${module.specifier} imports ${resolved}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("the graph's npm packages are declared in deno.json and pinned in deno.lock", async () => {
  const info = await moduleGraph();
  const declared = Object.values(readDenoConfig().imports)
    .filter((target) => target.startsWith("npm:"))
    .map((target) => target.slice("npm:".length).replace(/(.)@[^@/]*$/, "$1"));
  const direct = info.modules
    .filter((m) => m.kind === "npm")
    .map((m) => m.specifier.replace(/^npm:\/?/, "").replace(/(.)@[^@/]*$/, "$1"));
  assert.ok(direct.length > 0, "no npm package found in the graph (@peculiar/x509 is expected)");
  for (const name of direct) assert.ok(declared.includes(name), `${name} is not in deno.json`);
  const lock = JSON.parse(Deno.readTextFileSync(`${ROOT_DIR}/deno.lock`)) as {
    npm?: Record<string, unknown>;
  };
  for (const pkg of Object.keys(info.npmPackages)) {
    assert.ok(pkg in (lock.npm ?? {}), `${pkg} is not pinned in deno.lock`);
  }
});

Deno.test("lib/ and main.ts load no code and read no files the binary would not embed", () => {
  const files = [`${ROOT_DIR}/main.ts`, ...sourceFiles(`${ROOT_DIR}/lib`)];
  assert.ok(files.length > 10, `found only ${files.length} source files`);
  const findings = files.flatMap((file) =>
    scanSource(file.slice(ROOT_DIR.length + 1), Deno.readTextFileSync(file))
  );
  assert.deepEqual(findings.map(formatFinding), []);
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|mjs|jsx)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}
