/**
 * The web front over real loopback sockets, without a browser: what it serves, which
 * upgrades it refuses, and how a WebSocket member's frames become lines.
 */

import assert from "node:assert/strict";
import type { PeerInfo } from "../../lib/net/peer.ts";
import { serveWeb, type WebFront } from "../../lib/web/web_front.ts";
import type { WebSocketEndpoint } from "../../lib/web/web_socket_endpoint.ts";
import { within } from "../_helpers/wait.ts";

interface Member {
  endpoint: WebSocketEndpoint;
  peer: PeerInfo;
}

/** A front on 127.0.0.1:0 that collects its members (closed on dispose). */
class Front implements AsyncDisposable {
  readonly web: WebFront;
  readonly members: Member[] = [];
  readonly refused: string[] = [];
  #waiters: (() => void)[] = [];

  constructor(
    options: {
      maxLineBytes?: number;
      mayConnect?: (host: string) => boolean;
      admit?: (host: string) => (() => void) | null;
    } = {},
  ) {
    this.web = serveWeb({
      host: "127.0.0.1",
      port: 0,
      maxLineBytes: options.maxLineBytes ?? 64,
      mayConnect: options.mayConnect ?? (() => true),
      ...(options.admit ? { admit: options.admit } : {}),
      onMember: (endpoint, peer) => {
        this.members.push({ endpoint, peer });
        for (const wake of this.#waiters.splice(0)) wake();
      },
      debug: (line) => this.refused.push(line),
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.web.addr.port}`;
  }

  async member(): Promise<Member> {
    while (this.members.length === 0) {
      await within(new Promise<void>((resolve) => this.#waiters.push(resolve)), 5000, "a member");
    }
    return this.members[0]!;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const { endpoint } of this.members) endpoint.close();
    await this.web.shutdown();
  }
}

/** Sends a raw upgrade request and returns the status line (and the open connection). */
async function rawUpgrade(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: string; conn: Deno.TcpConn }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const lines = [
    "GET /chat HTTP/1.1",
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  const buf = new Uint8Array(4096);
  const n = await within(conn.read(buf), 5000, "the upgrade's answer");
  const text = new TextDecoder().decode(buf.subarray(0, n ?? 0));
  return { status: text.split("\r\n")[0] ?? "", conn };
}

/** Opens a WebSocket client and waits until it is open. */
async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error("WebSocket failed to open"));
    }),
    5000,
    "the WebSocket to open",
  );
  return socket;
}

function closed(socket: WebSocket): Promise<CloseEvent> {
  return within(
    new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve)),
    5000,
    "the WebSocket to close",
  );
}

async function readText(endpoint: WebSocketEndpoint): Promise<string | null> {
  const buf = new Uint8Array(1024);
  const n = await within(endpoint.read(buf), 5000, "a line from the WebSocket");
  return n === null ? null : new TextDecoder().decode(buf.subarray(0, n));
}

Deno.test("the front serves the page and its files with a strict CSP, nothing else", async () => {
  await using front = new Front({ maxLineBytes: 300 });
  const page = await fetch(`${front.origin}/`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(html, /<meta name="sockchat-max-line" content="300">/);
  assert.match(html, /<script type="module" src="\/web\/page\/app.js"><\/script>/);
  assert.doesNotMatch(html, /<script>|<style>|\sstyle=|\son\w+=/, "nothing inline");
  const csp = page.headers.get("content-security-policy") ?? "";
  assert.match(csp, new RegExp(`connect-src ws://127\\.0\\.0\\.1:${front.web.addr.port};`));
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  for (
    const [path, type] of [
      ["/web/page/app.js", "text/javascript"],
      ["/web/page/style.css", "text/css"],
      ["/chat/wire_line.js", "text/javascript"],
      ["/output/stable_color.js", "text/javascript"],
      ["/web/page/icon.svg", "image/svg+xml"],
    ]
  ) {
    const response = await fetch(`${front.origin}${path}`);
    const body = await response.text();
    assert.equal(response.status, 200, path);
    assert.ok(response.headers.get("content-type")?.startsWith(type!), path);
    assert.ok(body.length > 100, path);
    assert.ok(response.headers.get("content-security-policy"), path);
  }
  const missing = await fetch(`${front.origin}/etc/passwd`);
  await missing.body?.cancel();
  assert.equal(missing.status, 404);
  const post = await fetch(`${front.origin}/`, { method: "POST", body: "x" });
  await post.body?.cancel();
  assert.equal(post.status, 405);
  const plain = await fetch(`${front.origin}/chat`);
  await plain.body?.cancel();
  assert.equal(plain.status, 426, "/chat without an upgrade");
  assert.equal(front.members.length, 0);
});

Deno.test("an upgrade from another origin is refused with 403 and never joins", async () => {
  await using front = new Front();
  const host = `127.0.0.1:${front.web.addr.port}`;
  for (const origin of ["http://evil.example", "http://127.0.0.1:1", "null"]) {
    const { status, conn } = await rawUpgrade(front.web.addr.port, { Host: host, Origin: origin });
    conn.close();
    assert.equal(status, "HTTP/1.1 403 Forbidden", origin);
  }
  const rebound = await rawUpgrade(front.web.addr.port, {
    Host: `evil.example:${front.web.addr.port}`,
    Origin: `http://evil.example:${front.web.addr.port}`,
  });
  rebound.conn.close();
  assert.equal(rebound.status, "HTTP/1.1 403 Forbidden", "a rebound name");
  const own = await rawUpgrade(front.web.addr.port, { Host: host, Origin: `http://${host}` });
  assert.equal(own.status, "HTTP/1.1 101 Switching Protocols");
  const member = await front.member();
  assert.equal(member.peer.host, "127.0.0.1");
  assert.equal(member.peer.transport, "web");
  own.conn.close();
  assert.equal(front.members.length, 1);
  assert.equal(front.refused.filter((line) => /refused .* \/chat/.test(line)).length, 4);
});

Deno.test("a peer that --allow/--deny turns away gets 403 for the page and the socket", async () => {
  await using front = new Front({ mayConnect: () => false });
  const page = await fetch(`${front.origin}/`);
  assert.equal(page.status, 403);
  assert.match(await page.text(), /not allowed/);
  const { status, conn } = await rawUpgrade(front.web.addr.port, {
    Host: `127.0.0.1:${front.web.addr.port}`,
  });
  conn.close();
  assert.equal(status, "HTTP/1.1 403 Forbidden");
  assert.equal(front.members.length, 0);
});

Deno.test("each text frame is one line; lines written go out as one frame", async () => {
  await using front = new Front();
  const socket = await openSocket(`ws://127.0.0.1:${front.web.addr.port}/chat`);
  const { endpoint, peer } = await front.member();
  assert.match(peer.name, /^127\.0\.0\.1:\d+$/);
  socket.send("hello");
  assert.equal(await readText(endpoint), "hello\n");
  socket.send("héllo wörld");
  assert.equal(await readText(endpoint), "héllo wörld\n");
  const got = new Promise<string>((resolve) => (socket.onmessage = (e) => resolve(e.data)));
  await endpoint.write(new TextEncoder().encode("<bob> hi\n* notice\n"));
  assert.equal(await within(got, 5000, "a frame"), "<bob> hi\n* notice\n");
  const end = closed(socket);
  await endpoint.closeWrite();
  assert.equal((await end).code, 1000);
  assert.equal(await readText(endpoint), null, "the peer's close ends reading");
});

Deno.test("a frame longer than --max-line is refused with 1009 and ends the member", async () => {
  await using front = new Front({ maxLineBytes: 64 });
  const socket = await openSocket(`ws://127.0.0.1:${front.web.addr.port}/chat`);
  const { endpoint } = await front.member();
  socket.send("x".repeat(64));
  assert.equal(await readText(endpoint), "x".repeat(64) + "\n", "64 bytes is fine");
  const end = closed(socket);
  socket.send("é".repeat(33)); // 66 bytes in UTF-8
  assert.equal((await end).code, 1009);
  await assert.rejects(readText(endpoint), /1009: line longer than 64 bytes/);
});

Deno.test("a binary frame is refused with 1003", async () => {
  await using front = new Front();
  const socket = await openSocket(`ws://127.0.0.1:${front.web.addr.port}/chat`);
  const { endpoint } = await front.member();
  const end = closed(socket);
  socket.send(new Uint8Array([1, 2, 3]));
  assert.equal((await end).code, 1003);
  await assert.rejects(readText(endpoint), /1003: text frames only/);
});

Deno.test("a write waits while a peer that does not read holds the send buffer full", async () => {
  await using front = new Front();
  const host = `127.0.0.1:${front.web.addr.port}`;
  const { status, conn } = await rawUpgrade(front.web.addr.port, { Host: host });
  assert.equal(status, "HTTP/1.1 101 Switching Protocols");
  const { endpoint } = await front.member();
  const line = new TextEncoder().encode("x".repeat(63 * 1024) + "\n");
  let written = 0;
  let blocked = false;
  while (written < 256 << 20) {
    const write = endpoint.write(line);
    const done = await Promise.race([
      write.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    if (!done) {
      blocked = true;
      conn.close(); // the peer vanishes: the waiting write fails instead of hanging
      await assert.rejects(within(write, 5000, "the failed write"), Deno.errors.BrokenPipe);
      break;
    }
    written += line.length;
  }
  assert.ok(blocked, `writes never waited (${written} bytes written to a peer that reads none)`);
});

Deno.test("--max-per-ip: a WebSocket over the address's share gets 429; a closed one frees its slot", async () => {
  let open = 0;
  await using front = new Front({
    admit: () => {
      if (open >= 1) return null;
      open++;
      return () => open--;
    },
  });
  const host = `127.0.0.1:${front.web.addr.port}`;
  const first = await rawUpgrade(front.web.addr.port, { Host: host });
  assert.equal(first.status, "HTTP/1.1 101 Switching Protocols");
  await front.member();
  const second = await rawUpgrade(front.web.addr.port, { Host: host });
  second.conn.close();
  assert.equal(second.status, "HTTP/1.1 429 Too Many Requests");
  first.conn.close();
  await within(
    (async () => {
      while (open > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    5000,
    "the slot to be given back",
  );
});
