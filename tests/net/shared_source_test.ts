import assert from "node:assert/strict";
import { SharedSource } from "../../lib/net/shared_source.ts";

/** A source whose reads resolve only when the test pushes data. */
function controlledSource() {
  const waiting: ((chunk: Uint8Array | null) => void)[] = [];
  return {
    read(buf: Uint8Array): Promise<number | null> {
      return new Promise((resolve) => {
        waiting.push((chunk) => {
          if (chunk === null) return resolve(null);
          buf.set(chunk);
          resolve(chunk.length);
        });
      });
    },
    push(chunk: Uint8Array | null) {
      waiting.shift()?.(chunk);
    },
  };
}

Deno.test("SharedSource keeps data that arrives after its reader was released", async () => {
  const source = controlledSource();
  const shared = new SharedSource(source, 16);
  const first = shared.lease();
  const abandoned = first.read(new Uint8Array(16));
  first.release();
  source.push(new Uint8Array([1, 2, 3]));
  assert.equal(await abandoned, 0);
  const buf = new Uint8Array(16);
  assert.equal(await shared.lease().read(buf), 3);
  assert.deepEqual([...buf.subarray(0, 3)], [1, 2, 3]);
});

Deno.test("SharedSource keeps what a small buffer could not take, then reports EOF", async () => {
  const source = controlledSource();
  const reader = new SharedSource(source, 16).lease();
  const small = new Uint8Array(2);
  const first = reader.read(small);
  source.push(new Uint8Array([1, 2, 3, 4, 5]));
  assert.equal(await first, 2);
  assert.equal(await reader.read(small), 2);
  assert.deepEqual([...small], [3, 4]);
  assert.equal(await reader.read(small), 1);
  const end = reader.read(small);
  source.push(null);
  assert.equal(await end, null);
  assert.equal(await reader.read(small), null);
});
