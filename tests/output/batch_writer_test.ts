import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { concat } from "../_helpers/cli.ts";
import { BatchWriter } from "../../lib/output/batch_writer.ts";
import { OrderedWriter } from "../../lib/output/writer.ts";

/** A sink whose writes complete only when released, recording each write. */
function slowSink() {
  const writes: Uint8Array[] = [];
  let release: (() => void) | null = null;
  return {
    writes,
    release: () => {
      const r = release;
      release = null;
      r?.();
    },
    sink: {
      write(p: Uint8Array): Promise<number> {
        writes.push(p.slice());
        return new Promise((resolve) => (release = () => resolve(p.length)));
      },
    },
  };
}

Deno.test("BatchWriter gathers appends made while a write is running into one write", async () => {
  const slow = slowSink();
  const batch = new BatchWriter(new OrderedWriter(slow.sink));
  batch.append(utf8("a"));
  batch.appendByte(0x0a);
  await Promise.resolve();
  await Promise.resolve();
  for (let i = 0; i < 100; i++) batch.append(utf8(`${i}\n`));
  while (slow.writes.length < 1) await new Promise((r) => setTimeout(r, 0));
  slow.release();
  while (slow.writes.length < 2) await new Promise((r) => setTimeout(r, 0));
  slow.release();
  await batch.flush();
  assert.equal(slow.writes.length, 2, "a first write, then everything that gathered meanwhile");
  const expected = "a\n" + Array.from({ length: 100 }, (_, i) => `${i}\n`).join("");
  assert.equal(new TextDecoder().decode(concat(slow.writes)), expected);
});

Deno.test("BatchWriter reports a backlog above its high-water mark until drained", async () => {
  const slow = slowSink();
  const batch = new BatchWriter(new OrderedWriter(slow.sink), 10);
  batch.append(utf8("first"));
  while (slow.writes.length < 1) await new Promise((r) => setTimeout(r, 0));
  batch.append(new Uint8Array(11));
  assert.equal(batch.backlogged, true);
  const drained = batch.drain();
  slow.release();
  while (slow.writes.length < 2) await new Promise((r) => setTimeout(r, 0));
  slow.release();
  await drained;
  assert.equal(batch.backlogged, false);
  await batch.flush();
  assert.equal(concat(slow.writes).length, 16);
});

Deno.test("BatchWriter remembers a write error and drops later appends", async () => {
  const batch = new BatchWriter(
    new OrderedWriter({ write: () => Promise.reject(new Deno.errors.BrokenPipe("gone")) }),
  );
  batch.append(utf8("x"));
  await batch.flush();
  assert.ok(batch.error instanceof Deno.errors.BrokenPipe);
  batch.append(utf8("y"));
  await batch.flush();
});
