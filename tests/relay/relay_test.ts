import assert from "node:assert/strict";
import { connEndpoint, type Endpoint } from "../../lib/net/endpoint.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import { relay, type RelayOptions } from "../../lib/relay/relay.ts";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { readToEnd } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";

/** userA ⇄ [a | relay | b] ⇄ userB, all in memory. */
function rig(options: RelayOptions = {}) {
  const [userA, a] = memoryPair(["userA", "a"]);
  const [b, userB] = memoryPair(["b", "userB"]);
  const run = relay(a, b, options);
  return { userA, userB, a, b, run };
}

async function readSome(endpoint: Endpoint): Promise<string> {
  const buf = new Uint8Array(1024);
  const n = await endpoint.read(buf);
  return n === null ? "<eof>" : new TextDecoder().decode(buf.subarray(0, n));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An endpoint whose reads fail with `error` and whose writes are recorded. */
function failingReader(error: Error): Endpoint {
  return {
    name: "failing",
    read: () => Promise.reject(error),
    write: () => Promise.resolve(),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  };
}

Deno.test("relay() moves bytes both ways byte-exactly and counts them", async () => {
  const { userA, userB, run } = rig({ bufferSize: 4096 });
  const up = randomBytes(1 << 20);
  const down = randomBytes(300_000);
  await userA.write(up);
  await userA.closeWrite();
  await userB.write(down);
  await userB.closeWrite();
  const [gotUp, gotDown, result] = await within(
    Promise.all([readToEnd(userB), readToEnd(userA), run]),
    5000,
    "relay to finish",
  );
  assert.equal(sha256(gotUp), sha256(up));
  assert.equal(sha256(gotDown), sha256(down));
  assert.equal(result.reason, "done");
  assert.equal(result.aToB.bytes, up.length);
  assert.equal(result.bToA.bytes, down.length);
  assert.deepEqual(result.aToB.outcome, { kind: "eof" });
  assert.deepEqual(result.bToA.outcome, { kind: "eof" });
});

Deno.test("relay() half-closes the peer when one side ends and keeps the other direction", async () => {
  const { userA, userB, run } = rig();
  await userA.write(utf8("question"));
  await userA.closeWrite();
  assert.equal(await readSome(userB), "question");
  assert.equal(await within(readSome(userB), 2000, "the half-close"), "<eof>");
  // The other direction still flows after the half-close.
  await userB.write(utf8("answer after EOF"));
  assert.equal(await within(readSome(userA), 2000, "the reply"), "answer after EOF");
  await userB.closeWrite();
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "done");
  assert.equal(result.bToA.bytes, "answer after EOF".length);
});

Deno.test('relay() with endOn "both" waits for both directions', async () => {
  const { userA, userB, run } = rig({ endOn: "both", lingerMs: 10 });
  await userA.closeWrite();
  let settled = false;
  run.then(() => (settled = true));
  await sleep(60);
  assert.equal(settled, false, "one finished direction must not end the relay");
  await userB.closeWrite();
  assert.equal((await within(run, 2000, "relay to finish")).reason, "done");
});

Deno.test('relay() with endOn "b-to-a" stops the other direction after the linger', async () => {
  const { userB, run } = rig({ endOn: "b-to-a", lingerMs: 50 });
  const started = performance.now();
  await userB.closeWrite();
  const result = await within(run, 2000, "relay to finish");
  const elapsed = performance.now() - started;
  assert.equal(result.reason, "done");
  assert.deepEqual(result.bToA.outcome, { kind: "eof" });
  assert.equal(result.aToB.outcome.kind, "running");
  assert.ok(elapsed >= 45, `ended after ${elapsed} ms, before the 50 ms linger`);
});

Deno.test("relay() lingers while data still flows the other way", async () => {
  // Ticks 100 ms apart span 600 ms, longer than the 400 ms linger; each comes well within it.
  const { userA, userB, b, run } = rig({ endOn: "b-to-a", lingerMs: 400 });
  await userB.closeWrite();
  for (let i = 0; i < 6; i++) {
    await sleep(100);
    await userA.write(utf8(`tick ${i}\n`));
  }
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "done");
  assert.equal(result.aToB.bytes, 6 * "tick 0\n".length, "every tick was relayed");
  b.close(); // the caller closes; userB then reads what was delivered, then EOF
  const received = new TextDecoder().decode(await within(readToEnd(userB), 2000, "the ticks"));
  assert.equal(received, [0, 1, 2, 3, 4, 5].map((i) => `tick ${i}\n`).join(""));
});

Deno.test('relay() with endOn "any" ends once either direction ends (after the linger)', async () => {
  const { userA, run } = rig({ endOn: "any", lingerMs: 20 });
  await userA.closeWrite();
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "done");
  assert.deepEqual(result.aToB.outcome, { kind: "eof" });
});

Deno.test('relay() ends with "idle" after the idle timeout without traffic', async () => {
  const { userA, run } = rig({ idleTimeoutMs: 60 });
  await userA.write(utf8("x"));
  const started = performance.now();
  const result = await within(run, 2000, "the idle timeout");
  assert.equal(result.reason, "idle");
  assert.equal(result.aToB.bytes, 1);
  assert.ok(performance.now() - started >= 50);
});

Deno.test("relay() traffic resets the idle timer", async () => {
  const { userA, run } = rig({ idleTimeoutMs: 80 });
  for (let i = 0; i < 5; i++) {
    await sleep(40);
    await userA.write(utf8("."));
  }
  const result = await within(run, 2000, "the idle timeout");
  assert.equal(result.reason, "idle");
  assert.equal(result.aToB.bytes, 5, "traffic kept it alive past one timeout");
});

Deno.test('relay() ends with "aborted" and the reason when the signal aborts', async () => {
  const controller = new AbortController();
  const { run } = rig({ signal: controller.signal });
  const reason = new Error("stop now");
  setTimeout(() => controller.abort(reason), 20);
  const result = await within(run, 2000, "the abort");
  assert.equal(result.reason, "aborted");
  assert.equal(result.error, reason);
});

Deno.test("relay() with an already aborted signal returns at once", async () => {
  const { run } = rig({ signal: AbortSignal.abort(new Error("early")) });
  const result = await within(run, 1000, "the abort");
  assert.equal(result.reason, "aborted");
  assert.equal((result.error as Error).message, "early");
});

Deno.test('relay() ends with "error" and the read error when a read fails', async () => {
  const reset = new Deno.errors.ConnectionReset("Connection reset by peer");
  const [, b] = memoryPair();
  const result = await within(relay(failingReader(reset), b), 2000, "the error");
  assert.equal(result.reason, "error");
  assert.equal(result.error, reset);
  assert.deepEqual(result.aToB.outcome, { kind: "read-error", error: reset });
});

Deno.test("relay() reports a failed write to the output as that direction's outcome", async () => {
  const [userA, a] = memoryPair();
  const broken = new Deno.errors.BrokenPipe("Output closed");
  const output: Endpoint = {
    name: "stdout",
    read: () => new Promise<null>(() => {}),
    write: () => Promise.reject(broken),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  };
  const run = relay(a, output, { endOn: "a-to-b", lingerMs: 20 });
  await userA.write(utf8("data nobody can take"));
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "error", "a failed write is a failure, like a failed read");
  assert.equal(result.failed, "a-to-b");
  assert.equal(result.error, broken);
  assert.deepEqual(result.aToB.outcome, { kind: "write-error", error: broken });
  assert.equal(result.aToB.bytes, 0, "nothing was counted as delivered");
  assert.equal(result.aToB.unwritten, "data nobody can take".length);
});

Deno.test("relay() counts exactly the part of a chunk the connection accepted before a reset", async () => {
  const [userA, a] = memoryPair();
  const reset = new Deno.errors.ConnectionReset("Connection reset by peer");
  let calls = 0;
  // The kernel takes 1,000 bytes of the first write, then the peer resets.
  const conn = {
    read: () => new Promise<null>(() => {}),
    write: (data: Uint8Array) =>
      ++calls === 1 ? Promise.resolve(Math.min(1000, data.length)) : Promise.reject(reset),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  } as unknown as Deno.Conn;
  const run = relay(a, connEndpoint(conn, "peer"), { bufferSize: 64 * 1024 });
  await userA.write(randomBytes(50_000));
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "error");
  assert.deepEqual(result.aToB.outcome, { kind: "write-error", error: reset });
  assert.equal(result.aToB.bytes, 1000, "sent: what the kernel accepted, not 0 and not 50,000");
  assert.equal(result.aToB.unwritten, 49_000);
});

/** `inner` whose writes wait until `open()` is called (a stopped or slow reader). */
function gatedWriter(inner: Endpoint) {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  const endpoint: Endpoint = {
    ...inner,
    async write(data) {
      waiting++;
      await gate;
      waiting--;
      await inner.write(data);
    },
  };
  return {
    endpoint,
    get waiting() {
      return waiting;
    },
    open: () => release(),
    close: () => (gate = new Promise<void>((resolve) => (release = resolve))),
  };
}

Deno.test("relay() never lets the linger end a direction whose write is waiting on a slow reader", async () => {
  const [userA, a] = memoryPair(["userA", "a"]);
  const [bInner, userB] = memoryPair(["b", "userB"]);
  const slow = gatedWriter(bInner);
  const run = relay(a, slow.endpoint, { endOn: "b-to-a", lingerMs: 30 });
  const data = randomBytes(300_000);
  await userA.write(data);
  await userA.closeWrite();
  await userB.closeWrite(); // the peer closed its side: the linger starts now
  await sleep(200); // well past the linger, with the write still held back
  let settled = false;
  run.then(() => (settled = true));
  await sleep(0);
  assert.equal(settled, false, "a held write is back-pressure, not idleness");
  slow.open();
  const [result, got] = await within(Promise.all([run, readToEnd(userB)]), 2000, "the relay");
  assert.equal(result.reason, "done");
  assert.equal(sha256(got), sha256(data));
  assert.equal(result.aToB.unwritten, 0);
});

Deno.test("relay() idle timeout waits for a write held by a stopped reader", async () => {
  const [userA, a] = memoryPair(["userA", "a"]);
  const [bInner, userB] = memoryPair(["b", "userB"]);
  const slow = gatedWriter(bInner);
  const run = relay(a, slow.endpoint, { idleTimeoutMs: 40 });
  await userA.write(utf8("held"));
  await sleep(200);
  let settled = false;
  run.then(() => (settled = true));
  await sleep(0);
  assert.equal(settled, false, "the idle timer must not cut a waiting write");
  slow.open();
  assert.equal(await readSome(userB), "held");
  const result = await within(run, 2000, "the idle timeout after the write");
  assert.equal(result.reason, "idle");
  assert.equal(result.aToB.bytes, 4);
  assert.equal(result.aToB.unwritten, 0);
});

Deno.test("relay() without a linger keeps sending after the other side ended, until its own end", async () => {
  const { userA, userB, run } = rig({ endOn: "b-to-a" });
  await userB.closeWrite();
  for (const part of ["a", "b", "c"]) {
    await sleep(40);
    await userA.write(utf8(part));
  }
  await userA.closeWrite();
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "done");
  assert.equal(new TextDecoder().decode(await readToEnd(userB)), "abc");
});

Deno.test("relay() with a zero linger stops the other direction at once when nothing is pending", async () => {
  const { userB, run } = rig({ endOn: "b-to-a", lingerMs: 0 });
  await userB.closeWrite();
  const result = await within(run, 500, "relay to finish");
  assert.equal(result.reason, "done");
  assert.equal(result.aToB.outcome.kind, "running");
});

Deno.test("relay() with drainBAfterWriteError still delivers what B sent before it failed", async () => {
  const [userA, a] = memoryPair(["userA", "a"]);
  const [bInner, userB] = memoryPair(["b", "userB"]);
  const reset = new Deno.errors.ConnectionReset("Connection reset by peer");
  const b: Endpoint = { ...bInner, write: () => Promise.reject(reset) };
  const run = relay(a, b, { drainBAfterWriteError: true });
  await userB.write(utf8("last words"));
  await userA.write(utf8("upload"));
  let settled = false;
  run.then(() => (settled = true));
  assert.equal(await readSome(userA), "last words");
  await sleep(20);
  assert.equal(settled, false, "B → A goes on until B ends");
  await userB.closeWrite();
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "error");
  assert.equal(result.failed, "a-to-b");
  assert.equal(result.error, reset);
  assert.equal(result.bToA.bytes, "last words".length);
  assert.equal(result.aToB.unwritten, "upload".length);
});

Deno.test("relay() aborted with a write held counts the unwritten bytes", async () => {
  const [userA, a] = memoryPair(["userA", "a"]);
  const [bInner] = memoryPair(["b", "userB"]);
  const slow = gatedWriter(bInner);
  const controller = new AbortController();
  const run = relay(a, slow.endpoint, { signal: controller.signal });
  await userA.write(utf8("stuck"));
  while (slow.waiting === 0) await sleep(5);
  controller.abort(new Error("deadline"));
  const result = await within(run, 2000, "the abort");
  assert.equal(result.reason, "aborted");
  assert.equal(result.aToB.unwritten, 5);
  slow.open();
});

Deno.test('relay() with only "a-to-b" echoes an endpoint into itself', async () => {
  const [client, server] = memoryPair();
  const run = relay(server, server, { only: "a-to-b" });
  await client.write(utf8("echo me"));
  await client.closeWrite();
  assert.equal(new TextDecoder().decode(await readToEnd(client)), "echo me");
  const result = await within(run, 2000, "relay to finish");
  assert.equal(result.reason, "done");
  assert.equal(result.aToB.bytes, 7);
  assert.deepEqual(result.bToA.outcome, { kind: "eof" });
});

Deno.test("relay() leaves both endpoints open for the caller to close", async () => {
  const { userA, userB, a, b, run } = rig({ endOn: "any", lingerMs: 5 });
  await userA.closeWrite();
  await within(run, 2000, "relay to finish");
  // b's write side was half-closed, but a can still be written to by the caller.
  await a.write(utf8("still open"));
  assert.equal(await readSome(userA), "still open");
  a.close();
  b.close();
  userB.close();
});
