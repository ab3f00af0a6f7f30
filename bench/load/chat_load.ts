/**
 * The chat fan-out load generator, the same program for every chat server (sockchat's
 * chat mode, `ncat --chat`): one Deno process holding CLIENTS connections to one room.
 * One client sends, every other client is a receiver counting lines: what a room looks
 * like to its users when one of them pastes or a bot posts. `chat_check.py` is the same
 * method written independently in Python; the bench runs both and shows them side by side.
 *
 * Every message is a line `the quick brown fox jumps over the lazy dog @SEQ`; whatever
 * prefix the server adds (`<guest5> `, `<user5> `, see `seq_lines.ts`) and whatever else it
 * sends (greetings, joins, replayed history) is ignored. Each receiver must get every
 * message exactly once and in order. A delivery's latency is its read time minus the time
 * the write that completed it returned, on one clock.
 *
 * Modes:
 * - `fanout`: every client connects (one at a time, each after its greeting) and the
 *   greetings go quiet. Then a blast: the sender writes BLAST lines, WRITE_LINES per
 *   write, as fast as its socket takes them: deliveries per second from the first write
 *   to the last delivery, and their latency. Then paced: one line every PACE_MS ms,
 *   PACED lines: latency p50, p99.
 * - `stuck`: the first client never reads. While only it and the sender are in the
 *   room, the sender writes what the stuck client's kernel queues hold plus 256 KiB
 *   (FILL_MS at most; `ncat --chat` blocks on it). Then the other clients join (a greeting
 *   not arriving within 1.5 s means the server stalled: `"stalled":true`) and the paced
 *   phase runs. A message not delivered by the end counts with the time it waited.
 *
 * Prints one JSON line: `{"mode","clients","blast":{rate,ms,p50,p99,deliveries,expected,
 * undelivered},"paced":{…},…}` (times in ms).
 *
 * Usage: deno run -A bench/load/chat_load.ts PORT CLIENTS fanout|stuck BLAST PACED
 *        [PACE_MS=1] [WRITE_LINES=1] [FILL_MS=1000] [FILL_LINE_BYTES=40000]
 * @module
 */

import { SeqLines } from "./seq_lines.ts";
import { within } from "./within.ts";

const [portArg, clientsArg, mode, blastArg, pacedArg, paceArg, writeArg, fillArg, padArg] =
  Deno.args;
const port = Number(portArg);
const clients = Number(clientsArg);
const blastLines = Number(blastArg);
const pacedLines = Number(pacedArg);
const paceMs = Number(paceArg ?? 1);
const writeLines = Number(writeArg ?? 1);
const fillMs = Number(fillArg ?? 1000);
/**
 * 40,000-byte fill lines: a newcomer is replayed the last 20 lines (`--history`), and 20
 * lines of 60,000 bytes (1.2 MB) are more than sockchat lets a client have unsent (1 MiB):
 * a newcomer joining before the fill is out of the history was dropped as not reading.
 */
const fillLineBytes = Number(padArg ?? 40000);
if (
  !(port > 0) || !(clients >= 3) || !["fanout", "stuck"].includes(mode ?? "") ||
  !(blastLines >= 0) || !(pacedLines >= 1) || !(writeLines >= 1)
) {
  console.error("usage: chat_load.ts PORT CLIENTS fanout|stuck BLAST PACED [PACE] [WRITE] …");
  Deno.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Send time of each message (performance.now()). */
const total = blastLines + pacedLines;
const sentAtBuffer = new SharedArrayBuffer(total * 8);
const sentAt = new Float64Array(sentAtBuffer);
let sent = 0;
let deliveries = 0;
let lastDelivery = 0;
/** The reads of the current phase: read time, first message number, how many (flat). */
let reads: number[] = [];
let counting = false;
let errors = 0;

/**
 * The client that never reads comes first, so later greetings prove it was accepted;
 * then the sender, then the receivers.
 */
const stuckIndex = mode === "stuck" ? 0 : -1;
const senderIndex = stuckIndex + 1;
const receivers = clients - 1 - (stuckIndex >= 0 ? 1 : 0);

interface Client {
  conn: Deno.TcpConn;
  lines: SeqLines;
  bytes: number;
  /** The message number this receiver expects next. */
  next: number;
}

const all: Client[] = [];
const readers: Promise<void>[] = [];

async function readLoop(client: Client): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  try {
    while (true) {
      const n = await client.conn.read(buf);
      if (n === null) return;
      const now = performance.now();
      client.bytes += n;
      const count = client.lines.push(buf.subarray(0, n));
      // Before counting: greetings, history replayed from an earlier run.
      if (!counting || count === 0) continue;
      const first = client.next;
      client.next += count;
      if (client.lines.last !== client.next - 1 || client.next > sent) errors++;
      reads.push(now, first, count);
      deliveries += count;
      lastDelivery = now;
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
    if (i === senderIndex) {
      const message = { connect: port, timeOrigin: performance.timeOrigin };
      if (await within(ask<boolean>(message, "ready"), greetMs) !== true) return false;
      continue;
    }
    const conn = await within(Deno.connect({ hostname: "127.0.0.1", port }), greetMs);
    if (conn === null) return false;
    conn.setNoDelay(true);
    const client = { conn, lines: new SeqLines(), bytes: 0, next: 0 };
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

/** Waits until no client got a byte for `quietMs` (at most `maxMs`). */
async function settle(quietMs: number, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  let last = -1;
  let since = performance.now();
  while (performance.now() < until) {
    const bytes = all.reduce((sum, c) => sum + c.bytes, 0);
    if (bytes !== last) {
      last = bytes;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return;
    await sleep(20);
  }
}

/** Waits until every message sent so far reached every receiver (at most `maxMs`). */
async function awaitAll(maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  while (deliveries < expectedSoFar() && performance.now() < until) await sleep(5);
}

let phaseFirstSeq = 0;
let phaseFirstDelivery = 0;
const expectedSoFar = () => phaseFirstDelivery + (sent - phaseFirstSeq) * receivers;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Runs one phase; a message not delivered by `waitMs` after it counts with its wait. */
async function phase(count: number, pace: number, waitMs: number) {
  phaseFirstSeq = sent;
  phaseFirstDelivery = deliveries;
  reads = [];
  counting = true;
  const t0 = performance.now();
  await send(count, pace);
  await awaitAll(waitMs);
  const end = performance.now();
  const latencies: number[] = [];
  for (let i = 0; i < reads.length; i += 3) {
    const [now, first, count] = [reads[i]!, reads[i + 1]!, reads[i + 2]!];
    for (let seq = first; seq < first + count; seq++) latencies.push(now - sentAt[seq]!);
  }
  let undelivered = 0;
  for (const client of all) {
    if (client === all[stuckIndex]) continue;
    for (let seq = client.next; seq < sent; seq++) {
      latencies.push(end - sentAt[seq]!);
      undelivered++;
    }
  }
  latencies.sort((a, b) => a - b);
  const got = deliveries - phaseFirstDelivery;
  const ms = lastDelivery - t0;
  return {
    deliveries: got,
    expected: (sent - phaseFirstSeq) * receivers,
    undelivered,
    ms,
    rate: ms > 0 ? got / ms * 1000 : 0,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/**
 * A client's connection as the kernel sees it (`/proc/net/tcp`): bytes waiting in its
 * receive queue plus in the server's send queue (or, `toServer`, in its send queue plus
 * the server's receive queue), and whether it is still open (ESTABLISHED). Gone or closing
 * means the server dropped it.
 */
function connectionPath(clientPort: number, toServer = false): { bytes: number; open: boolean } {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const mine = `:${hex(clientPort)}`;
  const server = `:${hex(port)}`;
  let bytes = 0;
  let open = false;
  for (const line of Deno.readTextFileSync("/proc/net/tcp").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const [tx, rx] = f[4]!.split(":").map((v) => parseInt(v, 16));
    if (f[1]!.endsWith(mine) && f[2]!.endsWith(server)) {
      bytes += toServer ? tx! : rx!;
      open = f[3] === "01";
    } else if (f[1]!.endsWith(server) && f[2]!.endsWith(mine)) {
      bytes += toServer ? rx! : tx!;
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
 * The stuck run's first step, while only the stuck client and the sender are in the
 * room: the sender writes FILL_LINE_BYTES-long lines, 4 per write, until it wrote what the stuck
 * client's kernel queues hold (see `kernelQueueBytes`) plus 256 KiB, which then wait in
 * the server, or until a write does not finish within 200 ms (the server blocked on the
 * stuck client), or FILL_MS passed. Then a few short lines push the long ones out of
 * the server's history, so newcomers are not replayed megabytes, and the newcomers wait
 * (at most 5 s) until the server has read all of it: joining in the middle of megabytes
 * of backlog, a fresh connection can be dropped as not reading (its 1 MiB of unsent
 * lines fills before its kernel buffers have grown).
 */
async function fill(): Promise<Record<string, unknown>> {
  const stuckPort = (all[stuckIndex]!.conn.localAddr as Deno.NetAddr).port;
  const target = kernelQueueBytes() + 256 * 1024;
  const filled = await ask<{ written: number; blocked: boolean; ms: number; port: number }>(
    { fill: { target, lineBytes: fillLineBytes, maxMs: fillMs } },
    "filled",
  );
  const until = performance.now() + 5000;
  while (connectionPath(filled.port, true).bytes > 0 && performance.now() < until) {
    await sleep(10);
  }
  await sleep(50);
  const path = connectionPath(stuckPort);
  return {
    fillMs: filled.ms,
    fillWritten: filled.written,
    fillBlocked: filled.blocked,
    stuckQueued: path.bytes,
    stuckOpenAfterFill: path.open,
  };
}

/** The sender (a Worker, see `chat_sender.ts`). */
const sender = new Worker(new URL("./chat_sender.ts", import.meta.url), { type: "module" });

/** Posts `message` to the sender and waits for its answer's `key`. */
function ask<T>(message: unknown, key: string): Promise<T> {
  return new Promise((resolve) => {
    sender.onmessage = (event: MessageEvent) => {
      if (key in event.data) resolve(event.data[key]);
    };
    sender.postMessage(message);
  });
}

/** The sender sends `count` lines (all at once, or one every `pace` ms). */
async function send(count: number, pace: number): Promise<void> {
  const first = sent;
  sent += count; // counted as sent at once: a delivery may arrive before `done`
  const order = { send: { first, count, paceMs: pace, writeLines, sentAt: sentAtBuffer } };
  // Bounded: a server that stopped reading must not hang the bench.
  await within(ask(order, "done"), count * pace + 30_000);
}

let result: Record<string, unknown>;
if (mode === "fanout") {
  if (!await connectClients(0, clients, 5000)) throw new Error("a client got no greeting in 5 s");
  await settle(200, 5000);
  const blasted = blastLines > 0 ? await phase(blastLines, 0, 30_000) : null;
  await settle(100, 2000);
  result = { blast: blasted, paced: await phase(pacedLines, paceMs, 1000) };
} else {
  if (!await connectClients(0, 2, 5000)) throw new Error("a client got no greeting in 5 s");
  await settle(100, 2000);
  const filled = await fill();
  const joined = await connectClients(2, clients, 1500);
  const stuckPort = (all[stuckIndex]!.conn.localAddr as Deno.NetAddr).port;
  if (joined) {
    await settle(100, 2000);
    result = { ...filled, stalled: false, paced: await phase(pacedLines, paceMs, 1000) };
  } else {
    // The server stopped accepting and relaying: nothing to measure but that.
    result = { ...filled, stalled: true, joined: all.length };
  }
  result.stuckOpenAtEnd = connectionPath(stuckPort).open;
}
for (const client of all) {
  try {
    client.conn.close();
  } catch {
    // closed
  }
}
await within(Promise.all(readers), 1000);
console.log(JSON.stringify({ mode, clients, errors, ...result }));
// A connect to a stalled server may still be pending: do not wait for it.
Deno.exit(0);
