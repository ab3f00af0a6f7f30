import assert from "node:assert/strict";
import { type SplitLine, TextLineSplitter } from "../../lib/chat/text_line_splitter.ts";
import { utf8 } from "../_helpers/bytes.ts";

const texts = (lines: SplitLine[]) => lines.map((line) => line.text);

Deno.test("TextLineSplitter splits on LF and drops one CR before it", () => {
  const splitter = new TextLineSplitter(100);
  assert.deepEqual(texts(splitter.push(utf8("a\nb\r\nc\r\r\n\n"))), ["a", "b", "c\r", ""]);
  assert.equal(splitter.hasPartial, false);
});

Deno.test("TextLineSplitter joins a line that arrives in several reads", () => {
  const splitter = new TextLineSplitter(100);
  assert.deepEqual(splitter.push(utf8("hel")), []);
  assert.equal(splitter.hasPartial, true);
  assert.deepEqual(texts(splitter.push(utf8("lo\nwor"))), ["hello"]);
  assert.deepEqual(texts(splitter.push(utf8("ld\n"))), ["world"]);
});

Deno.test("TextLineSplitter keeps a character split across reads whole", () => {
  const splitter = new TextLineSplitter(100);
  const data = utf8("€😀\n");
  const lines: string[] = [];
  for (const byte of data) lines.push(...texts(splitter.push(new Uint8Array([byte]))));
  assert.deepEqual(lines, ["€😀"]);
});

Deno.test("TextLineSplitter turns invalid bytes into U+FFFD", () => {
  const splitter = new TextLineSplitter(100);
  assert.deepEqual(texts(splitter.push(new Uint8Array([0x61, 0xff, 0xfe, 0x0a]))), [
    "a\ufffd\ufffd",
  ]);
});

Deno.test("TextLineSplitter takePartial() hands out text without newline, keeping a split char", () => {
  const splitter = new TextLineSplitter(100);
  splitter.push(new Uint8Array([0x68, 0x69, 0xe2, 0x82]));
  assert.deepEqual(splitter.takePartial(), { text: "hi", cut: false });
  assert.equal(splitter.pendingBytes, 2);
  assert.equal(splitter.takePartial(), null); // only an incomplete character left
  assert.deepEqual(texts(splitter.push(new Uint8Array([0xac, 0x0a]))), ["€"]);
  assert.equal(splitter.takePartial(), null);
});

Deno.test("TextLineSplitter takePartial() drops a trailing CR", () => {
  const splitter = new TextLineSplitter(100);
  splitter.push(utf8("hello\r"));
  assert.equal(splitter.takePartial()?.text, "hello");
  assert.deepEqual(texts(splitter.push(utf8("\n"))), [""]);
});

Deno.test("TextLineSplitter end() flushes the rest, a dangling partial character as U+FFFD", () => {
  const splitter = new TextLineSplitter(100);
  splitter.push(new Uint8Array([0x61, 0xe2]));
  assert.deepEqual(splitter.end(), { text: "a\ufffd", cut: false });
  assert.equal(splitter.end(), null);
});

Deno.test("TextLineSplitter cuts an over-long line and drops the rest up to LF", () => {
  const splitter = new TextLineSplitter(10);
  const first = splitter.push(utf8("0123456789abcdef"));
  assert.deepEqual(first, [{ text: "0123456789", cut: true }]);
  assert.equal(splitter.pendingBytes, 0);
  assert.deepEqual(splitter.push(utf8("more and more")), []);
  assert.deepEqual(splitter.push(utf8("end\nnext\n")), [{ text: "next", cut: false }]);
});

Deno.test("TextLineSplitter cuts an over-long line that arrives in one chunk with its LF", () => {
  const splitter = new TextLineSplitter(4);
  assert.deepEqual(splitter.push(utf8("abcdefgh\nok\n")), [
    { text: "abcd", cut: true },
    { text: "ok", cut: false },
  ]);
});

Deno.test("TextLineSplitter accepts a line of exactly the cap", () => {
  const splitter = new TextLineSplitter(4);
  assert.deepEqual(splitter.push(utf8("ab")), []);
  assert.deepEqual(splitter.push(utf8("cd\n")), [{ text: "abcd", cut: false }]);
});

Deno.test("TextLineSplitter cuts at a character boundary", () => {
  const splitter = new TextLineSplitter(5);
  assert.deepEqual(splitter.push(utf8("ab€€\n")), [{ text: "ab€", cut: true }]);
});

Deno.test("TextLineSplitter memory stays within the cap however much arrives without LF", () => {
  const splitter = new TextLineSplitter(1000);
  const chunk = new Uint8Array(4096).fill(0x61);
  let cut = 0;
  for (let i = 0; i < 100; i++) {
    cut += splitter.push(chunk).filter((line) => line.cut).length;
    assert.ok(splitter.pendingBytes <= 1000);
  }
  assert.equal(cut, 1);
  assert.equal(splitter.takePartial(), null); // the quiet moment ends the cut line
  assert.deepEqual(texts(splitter.push(utf8("x\n"))), ["x"]);
});
