/**
 * The sender of the chat fan-out load generator, a Worker: its own thread and event loop,
 * so how fast it writes does not depend on how busy the receivers keep the generator
 * (a paste or a bot writes at its own speed, whoever is listening). It owns the sender's
 * connection and answers the messages of `chat_load.ts`:
 *
 * - `{connect: port}` → connects, waits for the greeting → `{ready: true}`;
 * - `{send: {first, count, paceMs, writeLines, sentAt}}` → writes lines `first…` (as
 *   fast as the socket takes them, `writeLines` per write, or one every `paceMs` ms),
 *   storing each line's send time in the shared `sentAt` on the generator's clock →
 *   `{done: true}`;
 * - `{fill: {target, lineBytes, maxMs}}` → the stuck run's first step (see `chat_load.ts`)
 *   → `{filled: {written, blocked, ms, port}}` (port: the sender's own).
 * @module
 */

/// <reference lib="deno.worker" />

import { within } from "./within.ts";

const TEXT = "the quick brown fox jumps over the lazy dog";
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let conn: Deno.TcpConn | undefined;
/** Milliseconds to add to this thread's `performance.now()` to get the generator's. */
let clockOffset = 0;

/** Line `seq` as the bench sends it. */
function lineText(seq: number): string {
  return `${TEXT} @${seq}\n`;
}

async function writeAll(data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await conn!.write(data.subarray(offset));
}

interface SendOrder {
  first: number;
  count: number;
  paceMs: number;
  writeLines: number;
  sentAt: SharedArrayBuffer;
}

async function send(order: SendOrder): Promise<void> {
  const sentAt = new Float64Array(order.sentAt);
  const start = performance.now();
  const end = order.first + order.count;
  for (let seq = order.first; seq < end;) {
    const n = order.paceMs > 0 ? 1 : Math.min(order.writeLines, end - seq);
    if (order.paceMs > 0) {
      const wait = start + (seq - order.first) * order.paceMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    let text = "";
    for (let i = seq; i < seq + n; i++) text += lineText(i);
    await writeAll(encoder.encode(text));
    const now = performance.now() + clockOffset;
    for (let i = seq; i < seq + n; i++) sentAt[i] = now;
    seq += n;
  }
}

async function fill(target: number, lineBytes: number, maxMs: number) {
  const chunk = encoder.encode(("x".repeat(lineBytes - 1) + "\n").repeat(4));
  const t0 = performance.now();
  let written = 0;
  let blocked = false;
  while (written < target && performance.now() - t0 < maxMs) {
    const n = await within(conn!.write(chunk), 200);
    if (n === null) {
      blocked = true;
      break;
    }
    written += n;
  }
  const ms = performance.now() - t0;
  if (!blocked) {
    // Short lines push the long ones out of the server's history.
    for (let i = 0; i < 25; i++) await within(conn!.write(encoder.encode("flush\n")), 100);
  }
  return { written, blocked, ms, port: (conn!.localAddr as Deno.NetAddr).port };
}

self.onmessage = async (event: MessageEvent) => {
  const message = event.data;
  if (message.connect !== undefined) {
    clockOffset = performance.timeOrigin - message.timeOrigin;
    conn = await Deno.connect({ hostname: "127.0.0.1", port: message.connect });
    conn.setNoDelay(true);
    const ok = await within(conn.read(new Uint8Array(4096)), 5000);
    self.postMessage({ ready: ok !== null });
  } else if (message.send !== undefined) {
    await send(message.send);
    self.postMessage({ done: true });
  } else if (message.fill !== undefined) {
    const { target, lineBytes, maxMs } = message.fill;
    self.postMessage({ filled: await fill(target, lineBytes, maxMs) });
  }
};
