/**
 * The Redis link is loaded only with `--redis`: the chat server reaches it through one
 * dynamic import, and nothing else loads the RESP code statically.
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { moduleGraph } from "./module_graph.ts";

const REDIS_ONLY = [
  "lib/chat/room_link.ts",
  "lib/chat/remote_members.ts",
  "lib/chat/room_envelope.ts",
  "lib/net/redis_conn.ts",
  "lib/net/resp.ts",
];

Deno.test("the Redis link is not in the chat server's static module graph", async () => {
  const { modules } = await moduleGraph();
  const byUrl = new Map(modules.map((m) => [m.specifier, m]));
  const root = new URL(`file://${ROOT_DIR}/`).href;
  const start = `${root}lib/commands/server_chat.ts`;
  assert.ok(byUrl.has(start), "server_chat.ts is in the graph");
  // Everything reachable from the chat server without a dynamic import.
  const seen = new Set<string>();
  const queue = [start];
  let dynamicLink = false;
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    for (const dep of byUrl.get(url)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target === undefined) continue;
      if (dep.isDynamic) {
        if (target === `${root}lib/chat/room_link.ts`) dynamicLink = true;
        continue;
      }
      queue.push(target);
    }
  }
  assert.ok(dynamicLink, "server_chat.ts loads room_link.ts with a dynamic import");
  for (const path of REDIS_ONLY) {
    assert.ok(byUrl.has(`${root}${path}`), `${path} is in the program`);
    assert.ok(!seen.has(`${root}${path}`), `${path} is loaded statically by the chat server`);
  }
});
