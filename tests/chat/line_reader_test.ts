import assert from "node:assert/strict";
import { readLines } from "../../lib/chat/line_reader.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import { utf8 } from "../_helpers/bytes.ts";
import { within } from "../_helpers/wait.ts";

Deno.test("readLines() delivers lines, flushes quiet text and the rest at the end", async () => {
  const [a, b] = memoryPair();
  const lines: { text: string; at: number }[] = [];
  const started = performance.now();
  const reading = readLines(b, {
    maxLineBytes: 100,
    quietMs: 50,
    onLine: (line) => lines.push({ text: line.text, at: performance.now() - started }),
  });
  await a.write(utf8("one\ntw"));
  await a.write(utf8("o\nquiet"));
  await within(
    (async () => {
      while (lines.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    2_000,
    "the quiet flush",
  );
  assert.ok(lines[2]!.at >= 45, `flushed after ${lines[2]!.at} ms`);
  await a.write(utf8("tail"));
  await a.closeWrite();
  await within(reading, 2_000, "readLines to end");
  assert.deepEqual(lines.map((l) => l.text), ["one", "two", "quiet", "tail"]);
});

Deno.test("readLines() cuts over-long lines and rejects with the read error", async () => {
  const lines: string[] = [];
  let reads = 0;
  const source = {
    read(buf: Uint8Array): Promise<number | null> {
      reads++;
      if (reads > 3) return Promise.reject(new Deno.errors.ConnectionReset("reset"));
      buf.fill(0x61, 0, 1000);
      return Promise.resolve(Math.min(1000, buf.length));
    },
  };
  await assert.rejects(
    readLines(source, { maxLineBytes: 10, onLine: (line) => lines.push(line.text) }),
    Deno.errors.ConnectionReset,
  );
  assert.deepEqual(lines, ["a".repeat(10)]);
});
