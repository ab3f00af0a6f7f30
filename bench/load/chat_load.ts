/**
 * The chat fan-out load generator, the same program for every chat server (sockchat's
 * chat mode, `ncat --chat`): one Deno process holding CLIENTS connections to one room.
 * Every message is a line ending in `@SEQ`; whatever prefix the server adds (`<guest5> `,
 * `<user5> `) and whatever else it sends (greetings, joins, announcements) is ignored, so
 * the parser only looks for lines ending in `@` and digits. Send times are kept here, so a
 * delivery's latency is its read time minus its send time on one clock.
 *
 * Modes:
 * - `fanout`: every client connects (one at a time, each after its greeting) and the
 *   greeting traffic goes quiet. Then a blast: 16 sender loops send one message per
 *   write from rotating clients, at most 256 messages not yet delivered to
 *   every other client, for DURATION ms, then the rest is awaited: deliveries per
 *   second. Then paced load: one message every PACE ms from a rotating sender for
 *   DURATION ms, every delivery's latency recorded (p50, p99).
 * - `stuck`: the first client never reads. While only it and one sender are in the room,
 *   the sender writes what the stuck client's kernel queues hold plus 256 KiB (FILL_MS at
 *   most; `ncat --chat` blocks on it). Then the other clients join (a greeting not
 *   arriving within 1.5 s means the server stalled: `"stalled":true`) and the paced load
 *   runs. A message not delivered by the end counts with the time it waited.
 *
 * Prints one JSON line: `{"mode","clients","messages","deliveries","expected","rate",
 * "p50","p99","undelivered",…}` (latencies in ms).
 *
 * Usage: deno run -A bench/load/chat_load.ts PORT CLIENTS fanout|stuck DURATION_MS
 *        [PACE_MS=2] [FILL_MS=1000] [FILL_LINE_BYTES=60000]
 * @module
 */

import { SeqLines } from "./seq_lines.ts";

const [portArg, clientsArg, mode = "fanout", durationArg, paceArg, fillArg, padArg] = Deno.args;
const port = Number(portArg);
const clients = Number(clientsArg ?? 200);
const durationMs = Number(durationArg ?? 1000);
const paceMs = Number(paceArg ?? 2);
const fillMs = Number(fillArg ?? 1000);
const fillLineBytes = Number(padArg ?? 60000);
if (!(port > 0) || !(clients >= 3) || !["fanout", "stuck"].includes(mode)) {
  console.error("usage: chat_load.ts PORT CLIENTS fanout|stuck DURATION_MS [PACE] [FILL] [PAD]");
  Deno.exit(2);
}

/** Most messages in flight (a few KiB per client, far below sockchat's 1 MiB queue). */
const WINDOW = 256;
const SENDERS = 16;
const MAX_MESSAGES = 1 << 21;
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Send time of each message (performance.now()), and how many clients got it. */
const sentAt = new Float64Array(MAX_MESSAGES);
const received = new Uint16Array(MAX_MESSAGES);
let sent = 0;
let completed = 0;
let deliveries = 0;
let lastDelivery = 0;
let recording = false;
const latencies: number[] = [];
/** Blast senders waiting for the window to move (a message reached every receiver). */
let waiters: (() => void)[] = [];

/** The client that never reads: the first, so later greetings prove it was accepted. */
const stuckIndex = mode === "stuck" ? 0 : -1;
const receivers = mode === "stuck" ? clients - 2 : clients - 1;

interface Client {
  conn: Deno.TcpConn;
  lines: SeqLines;
  bytes: number;
}

function deliver(seq: number, now: number): void {
  if (seq >= sent) return;
  deliveries++;
  lastDelivery = now;
  if (recording) latencies.push(now - sentAt[seq]!);
  if (++received[seq]! === receivers) {
    completed++;
    if (waiters.length > 0) {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    }
  }
}

function onData(client: Client, chunk: Uint8Array, now: number): void {
  client.bytes += chunk.length;
  client.lines.push(chunk, (seq) => deliver(seq, now));
}

async function readLoop(client: Client): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  try {
    while (true) {
      const n = await client.conn.read(buf);
      if (n === null) return;
      onData(client, buf.subarray(0, n), performance.now());
    }
  } catch {
    // closed at the end
  }
}

/**
 * Connects clients `from` to `to - 1`, one at a time, each waiting for its first bytes
 * (the greeting) before the next connects: `ncat --chat` listens with a backlog of 10
 * and accepts slowly, and a full backlog drops SYNs (a 1 s retransmit each). Returns
 * false when a client got no greeting within `greetMs` (the server stalled).
 */
async function connectClients(from: number, to: number, greetMs: number): Promise<boolean> {
  for (let i = from; i < to; i++) {
    const conn = await within(Deno.connect({ hostname: "127.0.0.1", port }), greetMs);
    if (conn === null) return false;
    conn.setNoDelay(true);
    const client = { conn, lines: new SeqLines(), bytes: 0 };
    all.push(client);
    if (i === stuckIndex) continue;
    readers.push(readLoop(client));
    const until = performance.now() + greetMs;
    while (client.bytes === 0) {
      if (performance.now() > until) return false;
      await sleep(1);
    }
  }
  return true;
}

/** `promise`'s value, or null after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until no client got a byte for `quietMs` (at most `maxMs`). */
async function settle(quietMs: number, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  let last = -1;
  let since = performance.now();
  while (performance.now() < until) {
    const total = all.reduce((sum, c) => sum + c.bytes, 0);
    if (total !== last) {
      last = total;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return;
    await sleep(20);
  }
}

function senderFor(seq: number): number {
  return stuckIndex >= 0 ? 1 + seq % (clients - 1) : seq % clients;
}

function messageBytes(seq: number): Uint8Array {
  return encoder.encode(`m @${seq}\n`);
}

/** Blast: SENDERS loops, each owning every SENDERS-th client, window-limited. */
async function blast(all: Client[], forMs: number): Promise<void> {
  const stopAt = performance.now() + forMs;
  const busy = new Set<number>();
  const loop = async () => {
    while (performance.now() < stopAt) {
      if (sent - completed >= WINDOW || sent >= MAX_MESSAGES) {
        const woken = new Promise<void>((resolve) => waiters.push(resolve));
        await Promise.race([woken, sleep(50)]);
        continue;
      }
      const seq = sent;
      const who = senderFor(seq);
      if (busy.has(who)) {
        await sleep(0);
        continue;
      }
      busy.add(who);
      const line = messageBytes(seq);
      sentAt[seq] = performance.now();
      sent++;
      const conn = all[who]!.conn;
      let offset = 0;
      while (offset < line.length) offset += await conn.write(line.subarray(offset));
      busy.delete(who);
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, loop));
}

async function paced(all: Client[], forMs: number): Promise<void> {
  const start = performance.now();
  let next = start;
  while (performance.now() - start < forMs && sent < MAX_MESSAGES) {
    const seq = sent;
    sentAt[seq] = performance.now();
    sent++;
    const line = messageBytes(seq);
    const conn = all[senderFor(seq)]!.conn;
    // Not awaited one by one: a stalled server must not stall the clock.
    conn.write(line).catch(() => {});
    next += paceMs;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
}

/** Waits until every message sent so far reached every receiver (at most `maxMs`). */
async function awaitAll(maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  while (completed < sent && performance.now() < until) await sleep(5);
}

/**
 * The stuck client's connection as the kernel sees it (`/proc/net/tcp`): bytes waiting
 * in its receive queue plus in the server's send queue, and whether it is still open
 * (ESTABLISHED). Gone or closing means the server dropped it.
 */
function stuckPath(stuckPort: number): { bytes: number; open: boolean } {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const mine = `:${hex(stuckPort)}`;
  const server = `:${hex(port)}`;
  let bytes = 0;
  let open = false;
  for (const line of Deno.readTextFileSync("/proc/net/tcp").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const [tx, rx] = f[4]!.split(":").map((v) => parseInt(v, 16));
    if (f[1]!.endsWith(mine) && f[2]!.endsWith(server)) {
      bytes += rx!;
      open = f[3] === "01";
    } else if (f[1]!.endsWith(server) && f[2]!.endsWith(mine)) {
      bytes += tx!;
    }
  }
  return { bytes, open };
}

/** The most a connection's kernel queues hold: the largest send buffer plus a receive window. */
function kernelQueueBytes(): number {
  const max = (path: string, field: number) =>
    Number(Deno.readTextFileSync(path).trim().split(/\s+/)[field]);
  return max("/proc/sys/net/ipv4/tcp_wmem", 2) + max("/proc/sys/net/ipv4/tcp_rmem", 1);
}

/**
 * The stuck phase's first step, while only the stuck client and one sender are in the
 * room: the sender writes `lineBytes`-long lines, 4 per write, until it wrote what the
 * stuck client's kernel queues hold (see `kernelQueueBytes`) plus 256 KiB, which then
 * wait in the server, or until a write does not finish within 200 ms (the server blocked
 * on the stuck client), or `maxMs` passed. Then a few short lines push the long ones out
 * of the server's history, so newcomers are not replayed megabytes.
 */
async function fill(maxMs: number, lineBytes: number): Promise<Record<string, unknown>> {
  const stuckPort = (all[stuckIndex]!.conn.localAddr as Deno.NetAddr).port;
  const sender = all[1]!.conn;
  const target = kernelQueueBytes() + 256 * 1024;
  const line = "x".repeat(lineBytes - 1) + "\n";
  const chunk = encoder.encode(line.repeat(4));
  const t0 = performance.now();
  let written = 0;
  let blocked = false;
  while (written < target && performance.now() - t0 < maxMs) {
    const n = await within(sender.write(chunk), 200);
    if (n === null) {
      blocked = true;
      break;
    }
    written += n;
  }
  const ms = performance.now() - t0;
  if (!blocked) {
    for (let i = 0; i < 25; i++) await within(sender.write(encoder.encode("flush\n")), 100);
  }
  await sleep(50);
  const path = stuckPath(stuckPort);
  return {
    fillMs: ms,
    fillWritten: written,
    fillBlocked: blocked,
    stuckQueued: path.bytes,
    stuckOpenAfterFill: path.open,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const all: Client[] = [];
const readers: Promise<void>[] = [];

/** Blast for `forMs`, then wait for every delivery: deliveries per second. */
async function measureBlast(forMs: number): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const firstDeliveries = deliveries;
  await blast(all, forMs);
  await awaitAll(5000);
  const ms = lastDelivery - t0;
  return {
    blastMessages: sent,
    blastDeliveries: deliveries - firstDeliveries,
    blastMs: ms,
    rate: (deliveries - firstDeliveries) / ms * 1000,
  };
}

/** Paced messages for `forMs`; latency of every delivery (undelivered ones: a lower bound). */
async function measurePaced(forMs: number): Promise<Record<string, unknown>> {
  const firstPaced = sent;
  recording = true;
  await paced(all, forMs);
  await awaitAll(1000);
  recording = false;
  const end = performance.now();
  let undelivered = 0;
  for (let seq = firstPaced; seq < sent; seq++) {
    for (let k = received[seq]!; k < receivers; k++) {
      latencies.push(end - sentAt[seq]!);
      undelivered++;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    pacedMessages: sent - firstPaced,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    undelivered,
  };
}

let result: Record<string, unknown>;
if (mode === "fanout") {
  if (!await connectClients(0, clients, 5000)) throw new Error("a client got no greeting in 5 s");
  await settle(200, 5000);
  const blasted = await measureBlast(durationMs);
  await settle(100, 2000);
  result = { ...blasted, ...await measurePaced(durationMs) };
} else {
  if (!await connectClients(0, 2, 5000)) throw new Error("a client got no greeting in 5 s");
  await settle(100, 2000);
  const filled = await fill(fillMs, fillLineBytes);
  const joined = await connectClients(2, clients, 1500);
  const stuckPort = (all[stuckIndex]!.conn.localAddr as Deno.NetAddr).port;
  if (joined) {
    await settle(100, 2000);
    result = { ...filled, stalled: false, ...await measurePaced(durationMs) };
  } else {
    // The server stopped accepting and relaying: nothing to measure but that.
    result = { ...filled, stalled: true, joined: all.length, p50: NaN, p99: NaN };
  }
  result.stuckOpenAtEnd = stuckPath(stuckPort).open;
}
const expected = sent * receivers;
for (const client of all) {
  try {
    client.conn.close();
  } catch {
    // closed
  }
}
await within(Promise.all(readers), 1000);
console.log(JSON.stringify({ mode, clients, messages: sent, deliveries, expected, ...result }));
// A connect to a stalled server may still be pending: do not wait for it.
Deno.exit(0);
