/**
 * A WebSocket member in a real chat server, over real loopback sockets: it is held to
 * the same bounded outbox as a TCP member, and a vanished one leaves like a reset one.
 */

import assert from "node:assert/strict";
import { ChatServer } from "../../lib/chat/server.ts";
import { connEndpoint } from "../../lib/net/endpoint.ts";
import type { ChatEvent } from "../../lib/output/events.ts";
import { serveWeb, type WebFront } from "../../lib/web/web_front.ts";
import { ChatPeer } from "../_helpers/chat.ts";
import { deadlineFor, within } from "../_helpers/wait.ts";

/** A chat server with a TCP listener and a web front on loopback, recording events. */
class WebRoom implements AsyncDisposable {
  readonly events: ChatEvent[] = [];
  readonly server: ChatServer;
  readonly web: WebFront;
  readonly port: number;
  readonly #listener: Deno.TcpListener;
  readonly #accepting: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor() {
    this.server = new ChatServer({
      operatorName: "host",
      historySize: 0,
      maxLineBytes: 32_000,
      maxClients: 10,
      access: { allow: [], deny: [] },
      outboxLimitBytes: 256 * 1024,
    }, {
      onEvent: (event) => {
        this.events.push(event);
        for (const wake of this.#waiters.splice(0)) wake();
      },
      onOperatorLine: () => {},
      debug: () => {},
    });
    const server = this.server;
    this.web = serveWeb({
      host: "127.0.0.1",
      port: 0,
      maxLineBytes: 32_000,
      mayConnect: () => true,
      onMember: (endpoint, peer) => server.accept(endpoint, peer),
      debug: () => {},
    });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#listener = listener;
    this.port = listener.addr.port;
    this.#accepting = (async () => {
      for await (const conn of listener) {
        const name = `127.0.0.1:${(conn.remoteAddr as Deno.NetAddr).port}`;
        server.accept(connEndpoint(conn, name), { name, host: "127.0.0.1", transport: "tcp" });
      }
    })().catch(() => {});
  }

  async waitForEvent(match: (event: ChatEvent) => boolean): Promise<ChatEvent> {
    using timer = deadlineFor(15_000);
    while (true) {
      const found = this.events.find(match);
      if (found) return found;
      const woke = new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (await timer.race(woke) === "timeout") {
        throw new Error(`No such event; got ${JSON.stringify(this.events)}`);
      }
    }
  }

  /** A WebSocket member that completes the handshake and then never reads a byte. */
  async stuckMember(): Promise<Deno.TcpConn> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: this.web.addr.port });
    const request = [
      "GET /chat HTTP/1.1",
      `Host: 127.0.0.1:${this.web.addr.port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
    ];
    await conn.write(new TextEncoder().encode(request.join("\r\n") + "\r\n\r\n"));
    const buf = new Uint8Array(256);
    const n = await within(conn.read(buf), 5000, "the upgrade");
    assert.match(new TextDecoder().decode(buf.subarray(0, n ?? 0)), /^HTTP\/1\.1 101 /);
    await this.waitForEvent((e) => e.type === "joined" && e.transport === "web");
    return conn;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await within(this.server.shutdown(), 5000, "the chat server to shut down");
    await this.web.shutdown();
  }
}

const leftWeb = (e: ChatEvent) => e.type === "left" && e.nick === "guest3";

Deno.test("a web member that stops reading is dropped by its outbox; the others get every line", async () => {
  await using room = new WebRoom();
  await using talker = await ChatPeer.connect(room.port);
  await talker.waitFor(/welcome/);
  await using listener = await ChatPeer.connect(room.port);
  await listener.waitFor(/welcome/);
  const stuck = await room.stuckMember();
  try {
    const line = "y".repeat(16_000);
    let sent = 0;
    while (!room.events.some(leftWeb) && sent < 20_000) {
      await talker.send(`${sent} ${line}\n`);
      sent++;
      if (sent % 8 === 0) await listener.waitFor(new RegExp(`<guest1> ${sent - 1} y`));
    }
    const event = await room.waitForEvent(leftWeb);
    assert.equal(event.type === "left" && event.reason, "slow");
    await talker.send("after the drop\n");
    await listener.waitFor(/<guest1> after the drop\n/);
    const received = listener.lines.filter((l) => l.startsWith("<guest1> ") && l.length > 16_000);
    assert.equal(received.length, sent, "the listener got every line");
    assert.match(
      talker.text,
      /\* guest3 was disconnected \(not reading: too much unsent output\)\n/,
    );
  } finally {
    stuck.close();
  }
});

Deno.test("a web member whose connection vanishes leaves with reset", async () => {
  await using room = new WebRoom();
  await using alice = await ChatPeer.connect(room.port);
  await alice.waitFor(/welcome/);
  await using bob = await ChatPeer.connect(room.port);
  await bob.waitFor(/welcome/);
  const stuck = await room.stuckMember();
  stuck.close(); // no close frame: gone
  const event = await room.waitForEvent(leftWeb);
  assert.equal(event.type === "left" && event.reason, "reset");
  await alice.waitFor(/\* guest3 left/);
});
