import assert from "node:assert/strict";
import { Peers } from "../../bench/peers.ts";
import { ProcessPool } from "../../bench/proc.ts";
import { alternate } from "../../bench/rounds.ts";
import type { BenchContext, Contender } from "../../bench/types.ts";

function fakeContext(path: string): BenchContext {
  return {
    quick: true,
    rounds: (_full, quick) => quick,
    procs: new ProcessPool(),
    peers: new Peers(path),
    tmpDir: "/nonexistent",
    root: "/nonexistent",
    sockchat: (args) => ["sockchat", ...args],
    log: () => {},
  };
}

Deno.test("alternate() rotates the tools every round and collects one sample each", async () => {
  const tools: Contender[] = [{ name: "a", note: "", subject: true }, { name: "b", note: "" }, {
    name: "c",
    note: "",
  }];
  const order: string[] = [];
  const results = await alternate(fakeContext(""), tools, 3, (tool, round) => {
    order.push(tool.name);
    return Promise.resolve(round * 10 + order.length);
  });
  assert.deepEqual(order, ["a", "b", "c", "b", "c", "a", "c", "a", "b"]);
  assert.deepEqual(results.get(tools[0]!)!.samples, [1, 16, 28]);
  assert.equal(results.get(tools[0]!)!.subject, true);
});

Deno.test("alternate() reports a missing peer as skipped and never runs it", async () => {
  const tools: Contender[] = [
    { name: "sockchat", note: "", subject: true },
    { name: "ghost", note: "", requires: ["no-such-peer-program"] },
  ];
  const ran: string[] = [];
  const results = await alternate(fakeContext("/usr/bin:/bin"), tools, 2, (tool) => {
    ran.push(tool.name);
    return Promise.resolve(1);
  });
  assert.deepEqual(ran, ["sockchat", "sockchat"]);
  assert.equal(results.get(tools[1]!)!.skipped, "skipped: no-such-peer-program not installed");
  assert.deepEqual(results.get(tools[1]!)!.samples, []);
});

Deno.test("alternate() stops a tool after its first failure and keeps the message", async () => {
  const tools: Contender[] = [{ name: "flaky", note: "" }, { name: "steady", note: "" }];
  let calls = 0;
  const results = await alternate(fakeContext(""), tools, 3, (tool) => {
    if (tool.name === "flaky") {
      calls++;
      return Promise.reject(new Error("server exited 1"));
    }
    return Promise.resolve(5);
  });
  assert.equal(calls, 1);
  assert.equal(results.get(tools[0]!)!.error, "server exited 1");
  assert.deepEqual(results.get(tools[1]!)!.samples, [5, 5, 5]);
});

Deno.test("ProcessPool.run() bounds a process and kills it on timeout", async () => {
  const pool = new ProcessPool();
  const ok = await pool.run(["sh", "-c", "echo hi"], 5000);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, "hi\n");
  await assert.rejects(pool.run(["sleep", "30"], 100), /did not finish within 100 ms/);
  await pool.killAll();
});
