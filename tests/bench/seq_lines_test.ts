import assert from "node:assert/strict";
import { SeqLines, seqOf } from "../../bench/load/seq_lines.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** [message lines counted after each chunk, the last message number]. */
function counts(chunks: string[]): [number[], number] {
  const lines = new SeqLines();
  return [chunks.map((chunk) => lines.push(bytes(chunk))), lines.last];
}

Deno.test("seqOf reads @DIGITS at a line's end, with or without CR", () => {
  const line = bytes("<guest5> m @1234");
  assert.equal(seqOf(line, 0, line.length), 1234);
  const crlf = bytes("<user5> m @7\r");
  assert.equal(seqOf(crlf, 0, crlf.length), 7);
  assert.equal(seqOf(bytes("@0"), 0, 2), 0);
});

Deno.test("seqOf ignores lines without a number after @", () => {
  for (const text of ["* guest3 joined", "m @", "m @12x", "1234", ""]) {
    const line = bytes(text);
    assert.equal(seqOf(line, 0, line.length), -1, text);
  }
});

Deno.test("SeqLines counts every message and skips greetings and notices", () => {
  assert.deepEqual(
    counts([
      "* welcome, you are guest1 (1 here).\n<guest2> m @0\n* guest3 joined\n<guest2> m @1\n",
    ]),
    [[2], 1],
  );
});

Deno.test("SeqLines counts runs of messages in bulk and keeps the last number", () => {
  assert.deepEqual(counts(["<g> m @7\n<g> m @8\n<g> m @9\n<g> m @1"]), [[3], 9]);
  assert.deepEqual(counts(["<g> m @7\n<g> m @8\n<g> m @9\n<g> m @1", "0\n"]), [[3, 1], 10]);
});

Deno.test("SeqLines joins lines split across reads, also long ones", () => {
  assert.deepEqual(counts(["<guest2> m @1", "23\n<gu", "est4> m @", "5\n"]), [[0, 1, 0, 1], 5]);
  assert.deepEqual(
    counts(["<g> " + "x".repeat(200), "y".repeat(100) + " @42", "\n"]),
    [[0, 0, 1], 42],
  );
  assert.deepEqual(counts(["<g> m @9", "", "\n"]), [[0, 0, 1], 9]);
});

Deno.test("SeqLines handles ncat's several lines per prefix", () => {
  assert.deepEqual(counts(["<user4> m @1\nm @2\n"]), [[2], 2]);
  assert.deepEqual(counts(["<user4> m @1\nm @2<user4> 3\n"]), [[2], 23]);
});

Deno.test("seqOf skips an ncat prefix that landed inside the line", () => {
  for (const text of ["m @12<user4> 34", "m @<user4> 1234", "m <user4> @1234"]) {
    const line = bytes(text);
    assert.equal(seqOf(line, 0, line.length), 1234, text);
  }
  const prefixOnly = bytes("<user4> ");
  assert.equal(seqOf(prefixOnly, 0, prefixOnly.length), -1);
});
