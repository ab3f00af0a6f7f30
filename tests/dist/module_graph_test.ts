/**
 * What `deno compile` embeds is main.ts's module graph (plus its npm packages): these tests
 * prove, offline, that the graph holds only local files and `npm:`/`node:` packages, and that
 * nothing in lib/ loads code or reads files at run time that the binary would not carry.
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { readDenoConfig } from "./deno_config.ts";
import { type Info, moduleGraph } from "./module_graph.ts";
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

/** What loading `roots` loads: their static imports, transitively (dynamic ones excluded). */
function staticClosure(info: Info, roots: string[]): string[] {
  const byId = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = roots.map((root) => `${rootUrl}${root}`);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target !== undefined && !dep.isDynamic) stack.push(info.redirects[target] ?? target);
    }
  }
  return [...seen].map((id) => id.startsWith(rootUrl) ? id.slice(rootUrl.length) : id).sort();
}

/** Heavy code a run must load only when it needs it. */
const HEAVY = /^npm:|^node:(tls|crypto|dns|net)|^lib\/net\/(self_signed|tls_files|tls_client)\.ts$/;

Deno.test("start-up loads only what the command needs (each step is a literal dynamic import)", async () => {
  const info = await moduleGraph();
  const version = staticClosure(info, ["main.ts"]);
  assert.deepEqual(version, ["lib/output/event_line.ts", "lib/version.ts", "main.ts"]);

  const client = staticClosure(info, ["main.ts", "lib/cli/main.ts", "lib/commands/client.ts"]);
  assert.deepEqual(client.filter((m) => HEAVY.test(m)), [], "a client pipe loads no TLS/npm code");
  assert.deepEqual(client.filter((m) => /^lib\/chat\//.test(m) && m !== "lib/chat/nick.ts"), []);

  const chat = staticClosure(info, [
    "main.ts",
    "lib/cli/main.ts",
    "lib/commands/server.ts",
    "lib/commands/server_chat.ts",
  ]);
  assert.deepEqual(chat.filter((m) => HEAVY.test(m)), [], "a chat server loads no TLS/npm code");
  assert.ok(!chat.includes("lib/commands/server_pipe.ts"), "nor the pipe mode");
  assert.ok(chat.includes("lib/chat/room.ts"), "the closure is real");
});
