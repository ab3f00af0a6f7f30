import assert from "node:assert/strict";
import { NoticeBatch } from "../../lib/chat/notice_batch.ts";
import { utf8 } from "../_helpers/bytes.ts";

const text = (bytes: Uint8Array | null) => bytes === null ? null : new TextDecoder().decode(bytes);

Deno.test("NoticeBatch gives each client only the notices from after it joined, in order", () => {
  const batch = new NoticeBatch();
  const oldTimer = batch.mark(); // client 1 joined before the burst
  const joined2 = batch.mark();
  batch.add(utf8("* guest2 joined\n"), 2);
  const joined3 = batch.mark();
  batch.add(utf8("* guest3 joined\n"), 3);
  batch.add(utf8("* guest1 left\n"));
  assert.ok(batch.pending);
  assert.ok(batch.waitingFor(oldTimer));
  assert.ok(!batch.waitingFor(batch.mark()));
  const bytesFor = batch.take();
  assert.equal(batch.pending, false);
  assert.equal(text(bytesFor(1, oldTimer)), "* guest2 joined\n* guest3 joined\n* guest1 left\n");
  assert.equal(text(bytesFor(2, joined2)), "* guest3 joined\n* guest1 left\n");
  assert.equal(text(bytesFor(3, joined3)), "* guest1 left\n");
  assert.equal(text(bytesFor(4, batch.mark())), null);
});

Deno.test("NoticeBatch shares one buffer among clients that get every notice", () => {
  const batch = new NoticeBatch();
  const before = batch.mark();
  batch.add(utf8("* a joined\n"), 10);
  batch.add(utf8("* b joined\n"), 11);
  const bytesFor = batch.take();
  assert.equal(bytesFor(1, before), bytesFor(2, before));
  assert.equal(text(bytesFor(10, before)), "* b joined\n");
});

Deno.test("NoticeBatch sums up a burst of joins in one line, keeping other notices in order", () => {
  const batch = new NoticeBatch();
  const before = batch.mark();
  batch.add(utf8("* guest1 left\n"));
  for (let i = 2; i <= 8; i++) batch.add(utf8(`* guest${i} joined\n`), i, true);
  batch.add(utf8("* guest2 is now known as bob\n"));
  const midway = 5; // a client that joined after guest5's join sees only the later joins
  const bytesFor = batch.take();
  assert.equal(
    text(bytesFor(100, before)),
    "* guest1 left\n* 7 people joined (/who lists everyone here)\n* guest2 is now known as bob\n",
  );
  assert.equal(
    text(bytesFor(6, midway)),
    "* guest7 joined\n* guest8 joined\n* guest2 is now known as bob\n",
  );
});

Deno.test("NoticeBatch keeps a few joins as they are", () => {
  const batch = new NoticeBatch();
  const before = batch.mark();
  for (let i = 1; i <= 5; i++) batch.add(utf8(`* g${i} joined\n`), i, true);
  assert.equal(
    text(batch.take()(100, before)),
    "* g1 joined\n* g2 joined\n* g3 joined\n* g4 joined\n* g5 joined\n",
  );
});
