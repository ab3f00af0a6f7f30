import assert from "node:assert/strict";
import { encodeCommand, RespDecoder, RespError } from "../../lib/net/resp.ts";
import { concatBytes } from "../../lib/bytes.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("encodeCommand() sends arguments as bulk strings with byte lengths", () => {
  assert.equal(text(encodeCommand(["PING"])), "*1\r\n$4\r\nPING\r\n");
  assert.equal(
    text(encodeCommand(["SET", "k", "é", 5])),
    "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n$1\r\n5\r\n",
  );
});

Deno.test("RespDecoder decodes every reply kind", () => {
  const decoder = new RespDecoder();
  const values = decoder.push(
    bytes("+OK\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n*-1\r\n-WRONGPASS bad\r\n"),
  );
  assert.deepEqual(values.slice(0, 6), ["OK", 42, "hello", null, ["a", 1], null]);
  const error = values[6];
  assert.ok(error instanceof RespError);
  assert.equal(error.code, "WRONGPASS");
  assert.equal(error.message, "WRONGPASS bad");
});

Deno.test("RespDecoder waits for replies split anywhere, byte by byte", () => {
  const wire = bytes("*3\r\n$3\r\nabc\r\n*1\r\n$2\r\n\r\n\r\n:-7\r\n+x\r\n");
  const decoder = new RespDecoder();
  const got = [];
  for (const byte of wire) got.push(...decoder.push(new Uint8Array([byte])));
  assert.deepEqual(got, [["abc", ["\r\n"], -7], "x"]);
});

Deno.test("RespDecoder keeps multi-byte UTF-8 split across reads intact", () => {
  const wire = bytes("$4\r\n€x\r\n");
  const decoder = new RespDecoder();
  assert.deepEqual(decoder.push(wire.subarray(0, 6)), []);
  assert.deepEqual(decoder.push(wire.subarray(6)), ["€x"]);
});

Deno.test("RespDecoder rejects what is not RESP", () => {
  assert.throws(() => new RespDecoder().push(bytes("HTTP/1.1 400\r\n")), SyntaxError);
  assert.throws(() => new RespDecoder().push(bytes(":12x\r\n")), SyntaxError);
  assert.throws(() => new RespDecoder().push(bytes("$999999999999\r\n")), RangeError);
});

Deno.test("encodeCommand() counts UTF-8 bytes right for every kind of character", () => {
  const samples = [
    "",
    "ascii",
    "é ü ß",
    "€ ✓ 中文",
    "emoji 😀 and 👍🏽",
    "lone high \ud800 here",
    "lone low \udc00 here",
    "ends high \ud83d",
    "\udc00\ud800",
  ];
  const encoder = new TextEncoder();
  for (const sample of samples) {
    const command = encodeCommand(["SET", sample]);
    const value = encoder.encode(sample);
    const expected = concatBytes([
      encoder.encode(`*2\r\n$3\r\nSET\r\n$${value.length}\r\n`),
      value,
      encoder.encode("\r\n"),
    ]);
    assert.deepEqual(command, expected, JSON.stringify(sample));
  }
});
