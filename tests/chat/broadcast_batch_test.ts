import assert from "node:assert/strict";
import { BroadcastBatch } from "../../lib/chat/broadcast_batch.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | null) => data === null ? null : new TextDecoder().decode(data);

Deno.test("BroadcastBatch joins the waiting lines into one buffer shared by everyone", () => {
  const batch = new BroadcastBatch();
  assert.equal(batch.pending, false);
  batch.add(bytes("<a> one\n"), 1);
  batch.add(bytes("<a> two\n"), 1);
  assert.equal(batch.pending, true);
  const bytesFor = batch.take();
  assert.equal(batch.pending, false);
  assert.equal(text(bytesFor(2)), "<a> one\n<a> two\n");
  assert.equal(bytesFor(3), bytesFor(2), "the same buffer, built once");
});

Deno.test("BroadcastBatch leaves a sender's own lines out of what it gets, keeping the order", () => {
  const batch = new BroadcastBatch();
  batch.add(bytes("<a> 1\n"), 1);
  batch.add(bytes("<b> 2\n"), 2);
  batch.add(bytes("<a> 3\n"), 1);
  batch.add(bytes("* notice\n"));
  const bytesFor = batch.take();
  assert.equal(text(bytesFor(1)), "<b> 2\n* notice\n");
  assert.equal(text(bytesFor(2)), "<a> 1\n<a> 3\n* notice\n");
  assert.equal(text(bytesFor(9)), "<a> 1\n<b> 2\n<a> 3\n* notice\n");
});

Deno.test("BroadcastBatch gives a sender nothing when all the lines are its own", () => {
  const batch = new BroadcastBatch();
  batch.add(bytes("<a> mine\n"), 1);
  const bytesFor = batch.take();
  assert.equal(bytesFor(1), null);
  assert.equal(text(bytesFor(2)), "<a> mine\n");
});
