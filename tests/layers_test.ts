/**
 * The shape of lib/: imports point down the layers and never form a cycle. Reads every
 * import statement of every file under lib/ (static, type-only and literal dynamic ones).
 * @module
 */

import assert from "node:assert/strict";

/**
 * The layers, top to bottom; a folder may import from its own layer and the ones below.
 * `shared` is the files directly in lib/ (async, bytes, errors, version).
 */
export const LAYERS: string[][] = [
  ["cli"],
  ["commands"],
  ["chat", "relay", "script", "web"],
  ["net", "output"],
  ["shared"],
];

const LIB = new URL("../lib/", import.meta.url);
const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm;

/** Every lib/ file (relative to lib/) and the lib/ files it imports. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const files: string[] = [];
  await collect(LIB, "", files);
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, LIB));
    const targets: string[] = [];
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (!specifier.startsWith(".")) continue; // npm:, node: and bare imports
      const resolved = new URL(specifier, new URL(file, LIB)).href;
      assert.ok(resolved.startsWith(LIB.href), `${file} imports ${specifier}, outside lib/`);
      targets.push(resolved.slice(LIB.href.length));
    }
    graph.set(file, targets);
  }
  return graph;
}

async function collect(dir: URL, prefix: string, out: string[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      await collect(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`, out);
    } else {
      out.push(`${prefix}${entry.name}`);
    }
  }
}

function layerOf(file: string): string {
  const slash = file.indexOf("/");
  return slash === -1 ? "shared" : file.slice(0, slash);
}

function rankOf(file: string): number {
  const layer = layerOf(file);
  const rank = LAYERS.findIndex((row) => row.includes(layer));
  assert.notEqual(rank, -1, `lib/${layer}/ is in no layer: add it to LAYERS`);
  return rank;
}

/** Strongly connected components with more than one file, or a file importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let top: string;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        component.push(top);
      } while (top !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

Deno.test("lib/ imports point down the layers only", async () => {
  const graph = await importGraph();
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      assert.ok(graph.has(target), `${file} imports ${target}, which does not exist`);
      if (rankOf(target) < rankOf(file)) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, [], `upward imports (layers: ${LAYERS.join(" → ")})`);
});

Deno.test("lib/ has no import cycles", async () => {
  assert.deepEqual(cycles(await importGraph()), []);
});

Deno.test("the layer check sees a cycle and an upward edge when there is one", () => {
  const graph = new Map([
    ["net/a.ts", ["net/b.ts"]],
    ["net/b.ts", ["output/c.ts"]],
    ["output/c.ts", ["net/a.ts", "cli/d.ts"]],
    ["cli/d.ts", []],
  ]);
  assert.deepEqual(cycles(graph), [["net/a.ts", "net/b.ts", "output/c.ts"]]);
  assert.ok(rankOf("cli/d.ts") < rankOf("output/c.ts"));
  assert.equal(layerOf("async.ts"), "shared");
});
