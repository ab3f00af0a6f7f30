import assert from "node:assert/strict";
import { ChatPeer } from "../_helpers/chat.ts";
import { type CliProcess, spawnCli } from "../_helpers/cli.ts";
import { RedisServer } from "../_helpers/redis_server.ts";

/** Starts a chat server sharing room `room` through `redis`; resolves once it listens. */
async function linkedServer(
  redis: RedisServer,
  extra: string[] = [],
): Promise<{ server: CliProcess; port: number }> {
  const server = spawnCli([
    "server",
    "--port",
    "0",
    "--redis",
    redis.url,
    "--room",
    "test",
    "--verbose",
    ...extra,
  ]);
  const { port } = await server.listening();
  assert.match(server.stderr, /redis: link up/);
  return { server, port };
}

async function member(port: number, nick: string): Promise<ChatPeer> {
  const peer = await ChatPeer.connect(port);
  await peer.waitFor(/\* welcome, you are guest\d+/);
  await peer.send(`/nick ${nick}\n`);
  await peer.waitFor(new RegExp(`is now known as ${nick}\\n`));
  return peer;
}

function count(text: string, line: string): number {
  return text.split("\n").filter((l) => l === line).length;
}

Deno.test("redis: messages, /me, /msg, /who, joins and nicknames cross servers", async () => {
  await using redis = await RedisServer.start();
  const a = await linkedServer(redis);
  await using _a = a.server;
  const b = await linkedServer(redis);
  await using _b = b.server;
  await using alice = await member(a.port, "alice");
  await using bob = await member(b.port, "bob");
  await alice.waitFor(/\* guest\d+ is now known as bob\n/);

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
    /<alice> hello from A\n\*\* alice waves\n\* welcome, you are guest\d+ \(4 here\)/,
  );

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
  const a = await linkedServer(redis);
  await using _a = a.server;
  const b = await linkedServer(redis);
  await using _b = b.server;
  await using alice = await member(a.port, "alice");
  await using carol = await member(a.port, "carol");
  await using bob = await member(b.port, "bob");
  await alice.waitFor(/is now known as bob\n/);
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
  const a = await linkedServer(redis, ["--redis-ttl", "900ms"]);
  await using _a = a.server;
  const b = await linkedServer(redis, ["--redis-ttl", "900ms"]);
  await using _b = b.server;
  await using alice = await member(a.port, "alice");
  await using _bob = await member(b.port, "bob");
  await alice.waitFor(/is now known as bob\n/);
  const killedAt = Date.now();
  b.server.kill("SIGKILL");
  await b.server.exit();
  await alice.waitFor(/\* bob left \(connection lost\)\n/, 5_000);
  const took = Date.now() - killedAt;
  assert.ok(took < 900 * 3, `bob left after ${took} ms`);
  await alice.send("/who\n");
  await alice.waitFor(/\* 1 here: alice \(you\); operator: server\n/);
  // The name is free again once its claim expired.
  await using bob2 = await member(a.port, "bob");
  assert.match(bob2.text, /is now known as bob\n/);
});
