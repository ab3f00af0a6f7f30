import assert from "node:assert/strict";
import { Outbox } from "../../lib/chat/outbox.ts";
import { concat } from "../_helpers/cli.ts";
import { utf8 } from "../_helpers/bytes.ts";

/** A sink that records writes; `block()` holds the next write until `unblock()`. */
function sink() {
  const writes: Uint8Array[] = [];
  let release: (() => void) | null = null;
  let blocked = false;
  return {
    writes,
    block() {
      blocked = true;
    },
    unblock() {
      blocked = false;
      release?.();
    },
    async write(p: Uint8Array): Promise<void> {
      if (blocked) await new Promise<void>((resolve) => (release = resolve));
      writes.push(p.slice());
    },
  };
}

Deno.test("Outbox batches lines queued in one tick into one write", async () => {
  const s = sink();
  const box = new Outbox(s, 1000, () => assert.fail("no error expected"));
  box.push(utf8("a\n"));
  box.push(utf8("b\n"));
  box.push(utf8("c\n"));
  await box.drained();
  assert.equal(s.writes.length, 1);
  assert.equal(new TextDecoder().decode(s.writes[0]), "a\nb\nc\n");
  assert.equal(box.queuedBytes, 0);
});

Deno.test("Outbox splits a backlog into bounded writes and keeps order", async () => {
  const s = sink();
  const box = new Outbox(s, 1 << 20, () => {});
  const chunks = [0, 1, 2, 3].map((i) => new Uint8Array(40 * 1024).fill(0x61 + i));
  for (const chunk of chunks) box.push(chunk);
  await box.drained();
  assert.ok(s.writes.length > 1, "one write per batch, not one huge write");
  assert.deepEqual(concat(s.writes), concat(chunks));
});

Deno.test("Outbox refuses lines past its limit while the peer does not read", async () => {
  const s = sink();
  s.block();
  const box = new Outbox(s, 10, () => {});
  assert.ok(box.push(utf8("12345")));
  await Promise.resolve(); // the first write is now stuck
  assert.ok(box.push(utf8("67890")));
  assert.equal(box.push(utf8("x")), false);
  assert.equal(box.queuedBytes, 10);
  assert.ok(box.push(utf8("forced"), true));
  s.unblock();
  await box.drained();
  assert.equal(new TextDecoder().decode(concat(s.writes)), "1234567890forced");
});

Deno.test("Outbox: a forced replay larger than the limit does not count against the live lines", async () => {
  const s = sink();
  s.block();
  const box = new Outbox(s, 10, () => {});
  assert.ok(box.push(utf8("history-longer-than-the-limit\n"), true));
  await Promise.resolve(); // the replay's write is now stuck (a slow link)
  assert.ok(box.push(utf8("live-one\n")), "the first live line fits the limit");
  assert.equal(box.push(utf8("live-two\n")), false, "past the limit: refused");
  s.unblock();
  await box.drained();
  assert.equal(
    new TextDecoder().decode(concat(s.writes)),
    "history-longer-than-the-limit\nlive-one\n",
  );
  assert.equal(box.queuedBytes, 0);
  s.block();
  assert.ok(box.push(utf8("12345")));
  await Promise.resolve();
  assert.ok(box.push(utf8("67890")));
  assert.equal(box.push(utf8("x")), false, "the forced bytes left no allowance behind");
  s.unblock();
  await box.drained();
});

Deno.test("Outbox reports a failed write once and then ignores pushes", async () => {
  const errors: unknown[] = [];
  const box = new Outbox(
    {
      write: () => Promise.reject(new Deno.errors.BrokenPipe("gone")),
    },
    100,
    (error) => errors.push(error),
  );
  box.push(utf8("x"));
  await box.drained();
  assert.ok(box.push(utf8("y")));
  await box.drained();
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof Deno.errors.BrokenPipe);
});

Deno.test("Outbox.close() drops what is queued", async () => {
  const s = sink();
  s.block();
  const box = new Outbox(s, 100, () => {});
  box.push(utf8("first"));
  await Promise.resolve();
  box.push(utf8("second"));
  box.close();
  s.unblock();
  await box.drained();
  assert.equal(new TextDecoder().decode(concat(s.writes)), "first");
});
