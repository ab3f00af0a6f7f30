import assert from "node:assert/strict";
import { ChatPeer } from "../_helpers/chat.ts";
import { type CliProcess, spawnCli } from "../_helpers/cli.ts";
import { fakeRedis } from "../_helpers/fake_redis.ts";
import { RedisServer } from "../_helpers/redis_server.ts";
import { TcpProxy } from "../_helpers/tcp_proxy.ts";

/** Starts a chat server sharing room `room` through `redis`; resolves once it listens. */
async function linkedServer(
  redis: RedisServer | string,
  extra: string[] = [],
): Promise<{ server: CliProcess; port: number }> {
  const url = typeof redis === "string" ? redis : redis.url;
  const server = spawnCli(["server", "--port", "0", "--redis", url, "--room", "test", ...extra]);
  const { port } = await server.listening();
  return { server, port };
}

async function member(port: number, nick: string): Promise<ChatPeer> {
  const peer = await ChatPeer.connect(port);
  await peer.waitFor(/\* welcome, you are guest\d+/);
  await peer.send(`/nick ${nick}\n`);
  await peer.waitFor(new RegExp(`is now known as ${nick}\\n`));
  return peer;
}

/** Two servers sharing the room, alice on the first and bob on the second, both known. */
interface Pair extends AsyncDisposable {
  a: { server: CliProcess; port: number };
  b: { server: CliProcess; port: number };
  alice: ChatPeer;
  bob: ChatPeer;
}

async function pair(redis: RedisServer | string, extra: string[] = []): Promise<Pair> {
  const stack = new AsyncDisposableStack();
  try {
    const a = await linkedServer(redis, extra);
    stack.use(a.server);
    const b = await linkedServer(redis, extra);
    stack.use(b.server);
    const alice = stack.use(await member(a.port, "alice"));
    const bob = stack.use(await member(b.port, "bob"));
    await alice.waitFor(/\* bob joined\n/); // --name-style /nick first: joined once
    return { a, b, alice, bob, [Symbol.asyncDispose]: () => stack.disposeAsync() };
  } catch (error) {
    await stack.disposeAsync();
    throw error;
  }
}

function count(text: string, line: string): number {
  return text.split("\n").filter((l) => l === line).length;
}

Deno.test("redis: messages, /me, /msg, /who, joins and nicknames cross servers", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis);
  const { a, b, alice, bob } = two;
  assert.match(a.server.stderr, /redis: link up: room "test" on redis:\/\/127\.0\.0\.1:\d+ /);
  await alice.waitFor(/\* bob joined\n/); // --name-style /nick first: joined once

  await alice.send("hello from A\n/me waves\n");
  await bob.waitFor(/<alice> hello from A\n\*\* alice waves\n/);
  await bob.send("/msg alice psst\n");
  await bob.waitFor(/-> \*alice\* psst\n/);
  await alice.waitFor(/\*bob\* psst\n/);
  await alice.send("/msg bob back\n");
  await bob.waitFor(/\*alice\* back\n/);

  await bob.send("/who\n");
  await bob.waitFor(/\* 2 here: bob \(you\), alice; operator: server\n/);

  // A name held on the other server is taken, and a guest name cannot collide.
  await bob.send("/nick ALICE\n");
  await bob.waitFor(/cannot change your nickname to "ALICE": that nickname is taken\n/);
  await using carol = await ChatPeer.connect(b.port);
  const [, guest] = await carol.waitFor(/\* welcome, you are (guest\d+) \(3 here\)/);
  await alice.waitFor(new RegExp(`\\* ${guest} joined\\n`));
  assert.doesNotMatch(alice.text, new RegExp(`you are ${guest} `));

  // History comes from Redis for a server started later.
  const c = await linkedServer(redis, ["--history", "5"]);
  await using _c = c.server;
  await using dave = await ChatPeer.connect(c.port);
  await dave.waitFor(
    /-- history --\n<alice> hello from A\n\*\* alice waves\n-- now --\n\* welcome, you are guest\d+ \(4 here\)/,
  );

  // A burst arrives on the other server complete, once each, in the order it was sent.
  const burst = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  await alice.send(burst.map((line) => `${line}\n`).join(""));
  await bob.waitFor(/<alice> line 299\n/);
  const got = bob.lines.filter((line) => line.startsWith("<alice> line ")).map((l) => l.slice(8));
  assert.deepEqual(got, burst);

  carol.close();
  await alice.waitFor(new RegExp(`\\* ${guest} left\\n`));
  await dave.waitFor(new RegExp(`\\* ${guest} left\\n`));
  // Nobody sees a line twice, and nobody sees their own message echoed.
  assert.equal(count(bob.text, "<alice> hello from A"), 1);
  assert.equal(count(alice.text, "<alice> hello from A"), 0);
  assert.equal(count(alice.text, "*bob* psst"), 1);
});

Deno.test("redis: Redis killed and restarted: local chat goes on, the link comes back, nothing twice", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis);
  const { a, alice, bob } = two;
  await using carol = await member(a.port, "carol");
  await alice.send("before\n");
  await bob.waitFor(/<alice> before\n/);

  await redis.kill();
  await alice.waitFor(/\* link to other servers lost\n/);
  await bob.waitFor(/\* link to other servers lost\n/);
  await alice.send("while cut off\n");
  await carol.waitFor(/<alice> while cut off\n/);

  await redis.restart();
  await alice.waitFor(/\* link to other servers restored\n/, 15_000);
  await bob.waitFor(/\* link to other servers restored\n/, 15_000);
  await alice.send("after\n");
  await bob.waitFor(/<alice> after\n/);
  await bob.send("/who\n");
  await bob.waitFor(/\* 3 here: bob \(you\), (alice, carol|carol, alice); operator: server\n/);
  assert.equal(count(bob.text, "<alice> before"), 1);
  assert.equal(count(bob.text, "<alice> after"), 1);
  assert.equal(count(carol.text, "<alice> while cut off"), 1);
  assert.equal(count(carol.text, "<alice> before"), 1);
});

Deno.test("redis: a server killed with SIGKILL: its members leave /who within the TTL", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis, ["--redis-ttl", "900ms"]);
  const { a, b, alice } = two;
  const killedAt = Date.now();
  b.server.kill("SIGKILL");
  await b.server.exit();
  await alice.waitFor(/\* bob left \(connection lost\)\n/, 5_000);
  const took = Date.now() - killedAt;
  assert.ok(took < 900 * 5, `bob left after ${took} ms (TTL 900 ms)`);
  await alice.send("/who\n");
  await alice.waitFor(/\* 1 here: alice \(you\); operator: server\n/);
  // The name is free again once its claim expired.
  await using bob2 = await member(a.port, "bob");
  assert.match(bob2.text, /is now known as bob\n/);
});

Deno.test("redis: AUTH and SELECT from the URL; a wrong password warns and the server still serves", async () => {
  await using redis = await RedisServer.start({ password: "s3cret" });
  const good = `redis://:s3cret@127.0.0.1:${redis.port}/3`;
  await using two = await pair(good);
  const { alice, bob } = two;
  await alice.send("over auth\n");
  await bob.waitFor(/<alice> over auth\n/);
  assert.match(await redis.cli("-n", "3", "EXISTS", "sockchat:room:{test}:events"), /^1$/);
  assert.match(await redis.cli("-n", "0", "EXISTS", "sockchat:room:{test}:events"), /^0$/);

  const bad = await linkedServer(`redis://:wrong@127.0.0.1:${redis.port}`);
  await using _bad = bad.server;
  assert.match(
    bad.server.stderr,
    /warning: Cannot link room "test" through redis:\/\/127\.0\.0\.1:\d+: WRONGPASS.*retrying/,
  );
  assert.doesNotMatch(bad.server.stderr, /wrong/);
  await using carol = await member(bad.port, "carol");
  await using dan = await member(bad.port, "dan");
  await carol.send("local only\n");
  await dan.waitFor(/<carol> local only\n/);
  assert.doesNotMatch(alice.text, /carol/);
});

Deno.test("redis: a server stopped with SIGTERM says goodbye for its members", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis);
  const { a, b, alice, bob } = two;
  b.server.kill("SIGTERM");
  assert.equal(await b.server.exit(), 0);
  await alice.waitFor(/\* bob left \(server shutting down\)\n/);
  await bob.waitForEnd();
  // Its keys are gone at once, not after the TTL.
  assert.equal(await redis.cli("KEYS", "sockchat:room:{test}:nick:bob"), "");
  await using bob2 = await member(a.port, "bob");
  assert.match(bob2.text, /is now known as bob\n/);
});

Deno.test("redis: a hung Redis (SIGSTOP) counts as a lost link; it comes back after SIGCONT", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis, ["--redis-ttl", "1s"]);
  const { a, alice, bob } = two;
  redis.signal("SIGSTOP");
  try {
    await alice.waitFor(/\* link to other servers lost\n/, 5_000);
    assert.match(
      a.server.stderr,
      /warning: Redis link lost .*: Redis did not answer within 500 ms/,
    );
  } finally {
    redis.signal("SIGCONT");
  }
  await alice.waitFor(/\* link to other servers restored\n/, 10_000);
  await bob.waitFor(/\* link to other servers restored\n/, 10_000);
  await alice.send("back\n");
  await bob.waitFor(/<alice> back\n/);
  assert.equal(count(bob.text, "<alice> back"), 1);
});

Deno.test("redis: a name taken elsewhere while a server was cut off is lost by its member there", async () => {
  await using redis = await RedisServer.start();
  await using proxy = TcpProxy.start(redis.port);
  const a = await linkedServer(redis);
  await using _a = a.server;
  // B reaches Redis only through the proxy: cutting it partitions B alone.
  const b = await linkedServer(`redis://127.0.0.1:${proxy.port}`);
  await using _b = b.server;
  await using alice = await member(a.port, "alice");
  await using bob = await member(b.port, "bob");
  await alice.waitFor(/\* bob joined\n/);

  await proxy.cut();
  await bob.waitFor(/\* link to other servers lost\n/);
  await bob.send("/nick zed\n");
  await bob.waitFor(/\* bob is now known as zed\n/); // decided locally while cut off
  await alice.send("/nick zed\n");
  await alice.waitFor(/\* alice is now known as zed\n/); // claimed in Redis: the first claim

  proxy.restore();
  await bob.waitFor(/\* link to other servers restored\n/, 15_000);
  const [, guest] = await bob.waitFor(
    /\* the nickname zed is held on another server: you are now (guest\d+)\n/,
  );
  // A learns bob's rename made while cut off, and that he yielded the name: one line.
  await alice.waitFor(new RegExp(`\\* bob is now known as ${guest}\\n`));
  await alice.send("/who\n");
  await alice.waitFor(new RegExp(`\\* 2 here: zed \\(you\\), ${guest}; operator: server\\n`));
  assert.doesNotMatch(alice.text, /\* bob left/);
  assert.doesNotMatch(alice.text, new RegExp(`\\* ${guest} joined`));
});

Deno.test("redis: a Redis that never answers delays start-up by the reply deadline only", async () => {
  await using silent = fakeRedis("silent");
  const started = Date.now();
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--redis",
    `redis://:pw@127.0.0.1:${silent.port}`,
    "--redis-ttl",
    "1s",
  ]);
  const { port } = await server.listening();
  assert.match(
    server.stderr,
    /warning: Cannot link room "lobby" .*: Redis did not answer within 500 ms/,
  );
  assert.ok(Date.now() - started < 8_000, "listening came late");
  await using alice = await member(port, "alice");
  await using bob = await member(port, "bob");
  await alice.send("still here\n");
  await bob.waitFor(/<alice> still here\n/);
});

Deno.test("redis: a server that fell further behind than the stream keeps tells its members how many lines it lost", async () => {
  await using redis = await RedisServer.start();
  await using two = await pair(redis);
  const { b, alice, bob } = two;
  b.server.kill("SIGSTOP");
  try {
    // More lines than the stream keeps (50,000, trimmed roughly), all while b cannot read.
    const total = 60_000;
    const lines = Array.from({ length: total }, (_, i) => `m${i + 1}\n`).join("");
    await alice.send(lines);
    await alice.send("/who\n"); // answered once alice's server has taken every line
    await alice.waitFor(/\* \d+ here: /, 30_000);
  } finally {
    b.server.kill("SIGCONT");
  }
  await bob.waitFor(
    /\* [\d,]+ lines from other servers lost: this server fell behind the room\n/,
    30_000,
  );
  await bob.waitFor(/<alice> m60000\n/, 30_000);
  // Catching up can take more than one gap (the stream is trimmed while b reads): the
  // notices add up to every line b never got.
  const lost = [...bob.text.matchAll(/^\* ([\d,]+) lines? from other servers lost: /gm)]
    .reduce((sum, match) => sum + Number(match[1]!.replaceAll(",", "")), 0);
  const seen = bob.text.split("\n").filter((line) => /^<alice> m\d+$/.test(line))
    .map((line) => Number(line.slice("<alice> m".length)));
  assert.ok(lost > 0, `lost ${lost}`);
  // Every line is either seen once, in order, or counted as lost: nothing else.
  assert.equal(seen.length + lost, 60_000, `seen ${seen.length}, lost ${lost}`);
  assert.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]!), "in order");
  assert.equal(new Set(seen).size, seen.length, "nothing twice");
  assert.match(b.server.stderr, /redis: [\d,]+ lines from other servers lost/);
});
