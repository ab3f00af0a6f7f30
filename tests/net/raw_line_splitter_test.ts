import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { RawLineSplitter } from "../../lib/net/raw_line_splitter.ts";

const decode = (lines: Iterable<Uint8Array>) => [...lines].map((l) => new TextDecoder().decode(l));

Deno.test("RawLineSplitter splits across chunks, drops \\n and \\r\\n, keeps empty lines", () => {
  const splitter = new RawLineSplitter(100);
  assert.deepEqual(decode(splitter.push(utf8("a\r\nb"))), ["a"]);
  assert.deepEqual(decode(splitter.push(utf8("c\n\n"))), ["bc", ""]);
  assert.deepEqual(decode(splitter.push(utf8("tail"))), []);
  assert.equal(new TextDecoder().decode(splitter.end()!), "tail");
  assert.equal(splitter.end(), null);
});

Deno.test("RawLineSplitter keeps a lone \\r inside a line and binary bytes as they are", () => {
  const splitter = new RawLineSplitter(100);
  const lines = [...splitter.push(new Uint8Array([0, 0x0d, 0xff, 0x0a]))];
  assert.deepEqual(lines, [new Uint8Array([0, 0x0d, 0xff])]);
});

Deno.test("RawLineSplitter accepts a line of exactly maxLine bytes (plus \\r\\n), refuses longer", () => {
  const ok = new RawLineSplitter(4);
  assert.deepEqual(decode(ok.push(utf8("abcd\r\nefgh\n"))), ["abcd", "efgh"]);
  const long = new RawLineSplitter(4);
  const lines: string[] = [];
  assert.throws(() => {
    for (const line of long.push(utf8("ok\nabcde\n"))) lines.push(new TextDecoder().decode(line));
  }, /^RangeError: line of 5 bytes is too large for one datagram$/);
  assert.deepEqual(lines, ["ok"], "lines before the long one still come out");
  const unterminated = new RawLineSplitter(4);
  assert.throws(() => [...unterminated.push(utf8("abcdef"))], /line of more than 4 bytes/);
});
