import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { makeColors } from "../../lib/output/color.ts";
import { payloadText, terminalLine } from "../../lib/output/datagram_format.ts";

Deno.test("payloadText() drops one trailing newline and names empty and binary payloads", () => {
  assert.equal(payloadText(utf8("hello\n")), "hello");
  assert.equal(payloadText(utf8("hello\r\n")), "hello");
  assert.equal(payloadText(utf8("two\nlines\n\n")), "two^Jlines^J");
  assert.equal(payloadText(new Uint8Array(0)), "(empty datagram)");
  assert.equal(payloadText(new Uint8Array([0xff, 0x00, 0x41])), "(3 bytes, not UTF-8: ff 00 41)");
  assert.equal(
    payloadText(new Uint8Array(20).fill(0xff)),
    `(20 bytes, not UTF-8: ${Array(16).fill("ff").join(" ")} …)`,
  );
});

Deno.test("terminalLine() shows the time, the sender and the sanitised text", () => {
  const at = new Date(2026, 0, 2, 3, 4, 5);
  assert.equal(
    terminalLine("127.0.0.1:5000", utf8("hi \x1b[31m\n"), makeColors(false), at),
    "03:04:05 127.0.0.1:5000  hi ^[[31m\n",
  );
});
