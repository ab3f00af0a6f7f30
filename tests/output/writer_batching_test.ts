import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { OrderedWriter } from "../../lib/output/writer.ts";

function gatedSink() {
  const writes: string[] = [];
  const gates: (() => void)[] = [];
  return {
    writes,
    open: () => gates.shift()?.(),
    sink: {
      write(p: Uint8Array): Promise<number> {
        writes.push(new TextDecoder().decode(p));
        return new Promise((resolve) => gates.push(() => resolve(p.length)));
      },
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("OrderedWriter.enqueue() coalesces chunks queued behind a running write", async () => {
  const gated = gatedSink();
  const out = new OrderedWriter(gated.sink);
  out.enqueue(utf8("a"));
  await tick();
  out.enqueue(utf8("b"));
  out.enqueue(utf8("c"));
  assert.equal(out.queuedBytes, 3);
  gated.open();
  await tick();
  gated.open();
  await out.flush();
  assert.deepEqual(gated.writes, ["a", "bc"]);
  assert.equal(out.queuedBytes, 0);
});

Deno.test("OrderedWriter keeps order between enqueue() and write()", async () => {
  const gated = gatedSink();
  const out = new OrderedWriter(gated.sink);
  out.enqueue(utf8("1"));
  const written = out.write(utf8("2"));
  out.enqueue(utf8("3"));
  out.enqueue(utf8("4"));
  for (let i = 0; i < 3; i++) {
    await tick();
    gated.open();
  }
  await written;
  await out.flush();
  assert.deepEqual(gated.writes, ["1", "2", "34"]);
});
