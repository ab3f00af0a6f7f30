/**
 * The chat server in process, over real loopback sockets (and, for a transport other than
 * a socket, in-memory endpoints): what each member receives, the events the operator
 * sees, and that every connection ends.
 * @module
 */

import assert from "node:assert/strict";
import { ChatServer, type ChatServerOptions } from "../../lib/chat/server.ts";
import { parseCidr } from "../../lib/net/cidr.ts";
import { connEndpoint, type Endpoint } from "../../lib/net/endpoint.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import type { ChatEvent } from "../../lib/output/events.ts";
import { ChatPeer } from "../_helpers/chat.ts";
import { deadlineFor, within } from "../_helpers/wait.ts";

const DEFAULTS: ChatServerOptions = {
  operatorName: "host",
  historySize: 0,
  maxLineBytes: 4096,
  maxClients: 100,
  access: { allow: [], deny: [] },
  announceAfterMs: 0, // most tests want to see every join; the probe tests set their own
};

/** A ChatServer behind a loopback listener, recording its events and diagnostics. */
class TestRoom implements AsyncDisposable {
  readonly server: ChatServer;
  readonly events: ChatEvent[] = [];
  readonly operatorLines: string[] = [];
  readonly debug: string[] = [];
  readonly port: number;
  #listener: Deno.TcpListener;
  #accepting: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(options: Partial<ChatServerOptions> = {}) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.server = new ChatServer({ ...DEFAULTS, ...options }, {
      onEvent: (event) => {
        this.events.push(event);
        for (const wake of this.#waiters.splice(0)) wake();
      },
      onOperatorLine: (line) => this.operatorLines.push(line),
      debug: (line) => this.debug.push(line),
    });
    this.#accepting = this.#accept();
  }

  async #accept(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // the listener was closed
      }
      const { hostname, port } = conn.remoteAddr as Deno.NetAddr;
      const name = `${hostname}:${port}`;
      this.server.accept(connEndpoint(conn, name), { name, host: hostname, transport: "tcp" });
    }
  }

  /** Connects a member and waits for its welcome and its announcement. */
  async join(options: { read?: boolean } = {}): Promise<ChatPeer> {
    const count = this.events.filter((e) => e.type === "joined").length;
    const peer = await ChatPeer.connect(this.port, options);
    if (options.read !== false) await peer.waitFor(/welcome, you are/);
    await this.waitForEvent((e) => e.type === "joined", count);
    return peer;
  }

  /** Waits for the first event after the `skip` first ones that `match`es. */
  async waitForEvent(match: (event: ChatEvent) => boolean, skip = 0): Promise<ChatEvent> {
    using timer = deadlineFor(10_000);
    while (true) {
      const found = this.events.slice(skip).find(match);
      if (found) return found;
      const woke = new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (await timer.race(woke) === "timeout") {
        throw new Error(`No such event; got ${JSON.stringify(this.events)}`);
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await within(this.server.shutdown(), 5_000, "the chat server to shut down");
  }
}

const left = (nick: string) => (e: ChatEvent) => e.type === "left" && e.nick === nick;

Deno.test("ChatServer tells the room who joined and relays each line to the others", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  await using bob = await room.join();
  await alice.waitFor(/\* guest2 joined\n/);
  await alice.send("héllo, wörld\n");
  await bob.waitFor(/<guest1> héllo, wörld\n/);
  assert.doesNotMatch(alice.text, /<guest1>/, "the sender does not get its own line back");
  assert.deepEqual(room.events.filter((e) => e.type === "message"), [
    {
      type: "message",
      nick: "guest1",
      peer: `127.0.0.1:${alice.conn.localAddr.port}`,
      text: "héllo, wörld",
    },
  ]);
});

Deno.test("ChatServer delivers the last line of a member that ends, then lets it leave with eof", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  await using bob = await room.join();
  await alice.send("no newline at the end");
  await alice.conn.closeWrite();
  await bob.waitFor(/<guest1> no newline at the end\n\* guest1 left\n/);
  const event = await room.waitForEvent(left("guest1"));
  assert.equal(event.type === "left" && event.reason, "eof");
  await alice.waitForEnd();
});

Deno.test("ChatServer hands out text without a newline once the sender is quiet", async () => {
  await using room = new TestRoom({ quietMs: 50 });
  await using alice = await room.join();
  await using bob = await room.join();
  await alice.send("hello?");
  await bob.waitFor(/<guest1> hello\?\n/);
});

Deno.test("ChatServer turns one more away with server full; the members stay", async () => {
  await using room = new TestRoom({ maxClients: 1 });
  await using alice = await room.join();
  await using late = await ChatPeer.connect(room.port);
  await late.waitForEnd();
  assert.equal(late.text, "* server full (1 clients): try again later\n");
  assert.ok(room.debug.some((line) => line.startsWith("turned away 127.0.0.1:")));
  room.server.operatorLine("still here?");
  await alice.waitFor(/<host> still here\?\n/);
  assert.equal(room.server.size, 1);
});

Deno.test("ChatServer sends a refused peer nothing at all", async () => {
  await using room = new TestRoom({ access: { allow: [], deny: [parseCidr("127.0.0.0/8")] } });
  await using refused = await ChatPeer.connect(room.port);
  await refused.waitForEnd();
  assert.equal(refused.bytes.length, 0);
  assert.ok(room.debug.some((line) => /^refused 127\.0\.0\.1:\d+ \(--allow\/--deny\)$/.test(line)));
  assert.equal(room.events.length, 0);
});

Deno.test("ChatServer drops a member that stops reading; the others get every line", async () => {
  await using room = new TestRoom({ outboxLimitBytes: 256 * 1024, maxLineBytes: 32_000 });
  await using talker = await room.join();
  await using listener = await room.join();
  await using stuck = await room.join({ read: false });
  const line = "y".repeat(16_000);
  let sent = 0;
  while (!room.events.some(left("guest3")) && sent < 20_000) {
    await talker.send(`${sent} ${line}\n`);
    sent++;
    if (sent % 8 === 0) await listener.waitFor(new RegExp(`<guest1> ${sent - 1} y`));
  }
  assert.equal((await room.waitForEvent(left("guest3"))).type === "left" && "slow", "slow");
  await talker.send("after the drop\n");
  await listener.waitFor(/<guest1> after the drop\n/);
  const received = listener.lines.filter((l) => l.startsWith("<guest1> ") && l.length > 16_000);
  assert.equal(received.length, sent, "the listener got every line");
  received.forEach((l, i) => assert.ok(l.startsWith(`<guest1> ${i} y`), "in order"));
  assert.match(talker.text, /\* guest3 was disconnected \(not reading: too much unsent output\)\n/);
  const event = room.events.find(left("guest3"));
  assert.equal(event?.type === "left" && event.reason, "slow");
  // The server closed it: reading drains what the kernel held, then ends.
  const sink = new Uint8Array(1 << 20);
  await within(
    (async () => {
      while ((await stuck.conn.read(sink).catch(() => null)) !== null) { /* drain */ }
    })(),
    10_000,
    "the dropped connection to end",
  );
});

Deno.test("ChatServer disconnects a member that sent nothing for the idle timeout", async () => {
  await using room = new TestRoom({ idleTimeoutMs: 200 });
  await using quiet = await room.join();
  await quiet.waitForEnd();
  assert.match(quiet.text, /\* disconnected: nothing sent for 200 ms \(--idle-timeout\)\n$/);
  const event = await room.waitForEvent(left("guest1"));
  assert.equal(event.type === "left" && event.reason, "idle");
});

Deno.test("ChatServer.shutdown() tells every member and closes every connection", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  await using bob = await room.join();
  await within(room.server.shutdown(), 5_000, "shutdown");
  for (const member of [alice, bob]) {
    await member.waitForEnd();
    assert.match(member.text, /\* server shutting down\n$/);
  }
  const reasons = room.events.filter((e) => e.type === "left").map((e) =>
    e.type === "left" && e.reason
  );
  assert.deepEqual(reasons, ["shutdown", "shutdown"]);
  await using late = await ChatPeer.connect(room.port);
  await late.waitForEnd();
  assert.equal(late.bytes.length, 0, "a stopping server lets nobody in");
});

Deno.test("ChatServer takes members on any endpoint: an in-memory one talks with a TCP one", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  const [ours, theirs] = memoryPair(["web member", "server side"]);
  room.server.accept(theirs, { name: "web member", host: "::1", transport: "web" });
  const received = readText(ours);
  await alice.waitFor(/\* guest2 joined\n/);
  await ours.write(new TextEncoder().encode("from the web\n"));
  await alice.waitFor(/<guest2> from the web\n/);
  await alice.send("from tcp\n");
  await room.waitForEvent((e) => e.type === "message" && e.text === "from tcp");
  await ours.closeWrite();
  await room.waitForEvent(left("guest2"));
  const text = await within(received, 5_000, "the in-memory member to be closed");
  assert.match(text, /^\* welcome, you are guest2 .*\n<guest1> from tcp\n$/);
});

Deno.test("ChatServer lets a member whose read fails with a reset leave with reason reset", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  let fail: (error: Error) => void = () => {};
  const failing: Endpoint = {
    name: "flaky",
    read: () => new Promise((_, reject) => (fail = reject)),
    write: () => Promise.resolve(),
    closeWrite: () => Promise.resolve(),
    close: () => fail(new Deno.errors.BadResource("closed")),
  };
  room.server.accept(failing, { name: "flaky", host: "192.0.2.1", transport: "web" });
  await alice.waitFor(/\* guest2 joined\n/);
  fail(new Deno.errors.ConnectionReset("reset by peer"));
  const event = await room.waitForEvent(left("guest2"));
  assert.equal(event.type === "left" && event.reason, "reset");
  await alice.waitFor(/\* guest2 left \(connection lost\)\n/);
});

Deno.test("ChatServer keeps relaying a sender's lines while one member's writes never complete", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  await using bob = await room.join();
  const [ours, theirs] = memoryPair(["stuck member", "server side"]);
  let stalled = false; // from then on its writes never complete
  const stuck: Endpoint = {
    ...theirs,
    write: (data) => stalled ? new Promise(() => {}) : theirs.write(data),
  };
  room.server.accept(stuck, { name: "stuck member", host: "::1", transport: "web" });
  await bob.waitFor(/\* guest3 joined\n/);
  stalled = true;
  // Each line is its own read; each waits for bob: a fan-out that waited on the stuck
  // member's writes (rather than at most a few milliseconds) would stall here.
  for (let i = 0; i < 20; i++) {
    await alice.send(`line ${i}\n`);
    await bob.waitFor(new RegExp(`<guest1> line ${i}\n`));
  }
  await ours.closeWrite();
});

Deno.test("ChatServer keeps the order of lines to everyone and a private message in one read", async () => {
  await using room = new TestRoom();
  await using alice = await room.join();
  await using bob = await room.join();
  await alice.waitFor(/\* guest2 joined\n/);
  await alice.send("one\ntwo\n/msg guest2 psst\nthree\n");
  await bob.waitFor(/<guest1> three\n/);
  const said = bob.lines.filter((line) => line.includes("guest1"));
  assert.deepEqual(said.slice(-4), [
    "<guest1> one",
    "<guest1> two",
    "*guest1* psst",
    "<guest1> three",
  ]);
});

/** Reads an endpoint to its end (or until it is closed) as text. */
async function readText(endpoint: Endpoint): Promise<string> {
  const decoder = new TextDecoder();
  const buf = new Uint8Array(4096);
  let text = "";
  try {
    while (true) {
      const n = await endpoint.read(buf);
      if (n === null) break;
      text += decoder.decode(buf.subarray(0, n), { stream: true });
    }
  } catch {
    // closed by the server
  }
  return text;
}

Deno.test("ChatServer never mentions a connection that closes before ANNOUNCE_AFTER_MS", async () => {
  await using room = new TestRoom({ announceAfterMs: 300 });
  await using alice = await room.join();
  const probe = await Deno.connect({ hostname: "127.0.0.1", port: room.port });
  probe.close();
  await using probe2 = await ChatPeer.connect(room.port);
  await probe2.waitFor(/welcome, you are guest3/);
  probe2.close();
  await using bob = await room.join(); // announced after 300 ms of staying
  await alice.waitFor(/\* guest4 joined\n$/);
  assert.doesNotMatch(alice.text, /guest2|guest3/);
  assert.deepEqual(room.events.map((e) => e.type === "joined" && e.nick), ["guest1", "guest4"]);
  assert.ok(room.events.every((e) => e.type !== "left"), JSON.stringify(room.events));
  assert.equal(room.debug.filter((line) => line.includes("before it was announced")).length, 2);
  await bob.send("/nick bob\n");
  await alice.waitFor(/\* guest4 is now known as bob\n$/);
});

Deno.test("ChatServer announces a newcomer whose first line is /nick as that name, once", async () => {
  await using room = new TestRoom({ announceAfterMs: 5_000 });
  const alice = await ChatPeer.connect(room.port);
  await using _alice = alice;
  await alice.waitFor(/welcome/);
  await alice.send("/nick alice\n");
  await room.waitForEvent((e) => e.type === "joined");
  const bob = await ChatPeer.connect(room.port);
  await using _bob = bob;
  await bob.waitFor(/welcome/);
  await bob.send("/nick bob\n");
  await bob.waitFor(/\* guest2 is now known as bob\n/);
  await alice.waitFor(/\* bob joined\n/);
  await alice.send("hi bob\n");
  await bob.waitFor(/<alice> hi bob\n/);
  assert.doesNotMatch(alice.text, /guest2/);
  assert.deepEqual(room.events.map((e) => e.type === "joined" && e.nick).slice(0, 2), [
    "alice",
    "bob",
  ]);
  assert.ok(room.events.every((e) => e.type !== "renamed"));
});
