import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { type DatagramInput, datagramSource } from "../../lib/net/datagram_source.ts";
import type { ByteSource } from "../../lib/net/stdio.ts";

function chunks(...parts: string[]): ByteSource {
  const queue = parts.map(utf8);
  return {
    read(buf) {
      const next = queue.shift();
      if (next === undefined) return Promise.resolve(null);
      buf.set(next);
      return Promise.resolve(next.length);
    },
  };
}

async function collect(input: DatagramInput, count: number, maxPayload = 100): Promise<string[]> {
  const out: string[] = [];
  const signal = new AbortController().signal;
  for await (const d of datagramSource(input, { count, maxPayload, signal })) {
    out.push(new TextDecoder().decode(d));
    if (out.length > 20) break;
  }
  return out;
}

Deno.test("datagramSource() repeats a message --count times", async () => {
  assert.deepEqual(await collect({ kind: "message", message: utf8("m") }, 3), ["m", "m", "m"]);
});

Deno.test("datagramSource() gives stdin lines, replayed for --count", async () => {
  const stdin = chunks("a\nb", "\nc");
  assert.deepEqual(await collect({ kind: "lines", stdin }, 2), ["a", "b", "c", "a", "b", "c"]);
});

Deno.test("datagramSource() with --count 0 goes on until stopped", async () => {
  const out = await collect({ kind: "message", message: utf8("x") }, 0);
  assert.equal(out.length, 21);
});

Deno.test("datagramSource() sends all of stdin as one datagram with --raw, or refuses it", async () => {
  assert.deepEqual(await collect({ kind: "whole", stdin: chunks("a\n", "b") }, 1), ["a\nb"]);
  assert.deepEqual(await collect({ kind: "whole", stdin: chunks() }, 1), [""]);
  await assert.rejects(
    collect({ kind: "whole", stdin: chunks("12345", "678") }, 1, 7),
    /^RangeError: stdin holds more than 7 bytes, too large for one datagram$/,
  );
});

Deno.test("datagramSource() sends nothing for empty stdin in line mode, even repeated", async () => {
  assert.deepEqual(await collect({ kind: "lines", stdin: chunks() }, 0), []);
});
