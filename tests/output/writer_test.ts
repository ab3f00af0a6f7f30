import assert from "node:assert/strict";
import { OrderedWriter, writeAll } from "../../lib/output/writer.ts";

class SlowSink {
  written: number[] = [];
  write(p: Uint8Array): Promise<number> {
    const n = Math.min(3, p.length); // partial writes
    this.written.push(...p.subarray(0, n));
    return Promise.resolve(n);
  }
}

Deno.test("writeAll() loops on partial writes", async () => {
  const sink = new SlowSink();
  await writeAll(sink, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  assert.deepEqual(sink.written, [1, 2, 3, 4, 5, 6, 7]);
});

Deno.test("OrderedWriter keeps the order of queued writes", async () => {
  const sink = new SlowSink();
  const writer = new OrderedWriter(sink);
  writer.enqueue(new Uint8Array([1, 2, 3, 4]));
  const second = writer.write(new Uint8Array([5, 6]));
  writer.enqueue(new Uint8Array([7]));
  await second;
  await writer.flush();
  assert.deepEqual(sink.written, [1, 2, 3, 4, 5, 6, 7]);
});

Deno.test("OrderedWriter remembers a vanished reader and rejects later writes", async () => {
  let calls = 0;
  const writer = new OrderedWriter({
    write() {
      calls++;
      return Promise.reject(new Deno.errors.BrokenPipe("gone"));
    },
  });
  await assert.rejects(writer.write(new Uint8Array([1])), Deno.errors.BrokenPipe);
  assert.ok(writer.broken);
  await assert.rejects(writer.write(new Uint8Array([2])), Deno.errors.BrokenPipe);
  assert.equal(calls, 1);
});
