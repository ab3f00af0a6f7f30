import assert from "node:assert/strict";
import { decodeEscapes } from "../../lib/cli/escapes.ts";
import { UsageError } from "../../lib/errors.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);

Deno.test("decodeEscapes() turns every documented escape into its byte", () => {
  assert.deepEqual(decodeEscapes("\\n\\r\\t\\\\\\0"), bytes(0x0a, 0x0d, 0x09, 0x5c, 0x00));
  assert.deepEqual(decodeEscapes("\\x00\\x7f\\x80\\xff\\xAb"), bytes(0, 0x7f, 0x80, 0xff, 0xab));
});

Deno.test("decodeEscapes() sends plain text as UTF-8 and mixes it with raw bytes", () => {
  assert.deepEqual(
    decodeEscapes("PING\\r\\n"),
    new TextEncoder().encode("PING\r\n"),
  );
  assert.deepEqual(decodeEscapes("é\\xe9"), bytes(0xc3, 0xa9, 0xe9));
  assert.deepEqual(decodeEscapes(""), bytes());
  assert.deepEqual(decodeEscapes("a\\\\n"), bytes(0x61, 0x5c, 0x6e));
  assert.deepEqual(decodeEscapes("\\x41BC"), bytes(0x41, 0x42, 0x43));
});

Deno.test("decodeEscapes() rejects unknown and incomplete escapes as usage errors", () => {
  const cases: [string, RegExp][] = [
    ["a\\q", /^Invalid --send "a\\q": unknown escape "\\q" \(escapes: /],
    ["\\x4", /"\\x" needs two hex digits/],
    ["\\xZZ", /"\\x" needs two hex digits/],
    ["end\\", /a lone backslash at the end/],
    ["\\u0041", /unknown escape "\\u"/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => decodeEscapes(text), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("decodeEscapes() decodes a long argument without blowing the stack", () => {
  const text = "ab\\n".repeat(50_000);
  const out = decodeEscapes(text);
  assert.equal(out.length, 150_000);
  assert.equal(out[2], 0x0a);
});
