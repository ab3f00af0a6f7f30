import assert from "node:assert/strict";
import { PayloadDecoder } from "../../lib/output/payload_decoder.ts";
import { utf8 } from "../_helpers/bytes.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);

Deno.test("PayloadDecoder carries a character split across chunks whole in the later payload", () => {
  const decoder = new PayloadDecoder();
  const text = utf8("añ€😀");
  assert.deepEqual(decoder.push(text.subarray(0, 2)), { bytes: 1, text: "a" });
  assert.deepEqual(decoder.push(text.subarray(2, 4)), { bytes: 2, text: "ñ" });
  assert.deepEqual(decoder.push(text.subarray(4, 7)), { bytes: 3, text: "€" });
  assert.deepEqual(decoder.push(text.subarray(7, 8)), { bytes: 0, text: "" });
  assert.deepEqual(decoder.push(text.subarray(8)), { bytes: 4, text: "😀" });
  assert.equal(decoder.flush(), null);
});

Deno.test("PayloadDecoder never drops bytes held back when the next chunk is not UTF-8", () => {
  const decoder = new PayloadDecoder();
  assert.deepEqual(decoder.push(bytes(0x61, 0xc3)), { bytes: 1, text: "a" });
  assert.deepEqual(decoder.push(bytes(0xff, 0x62)), { bytes: 3, base64: btoa("\xc3\xff\x62") });
  assert.deepEqual(decoder.push(utf8("ok")), { bytes: 2, text: "ok" });
});

Deno.test("PayloadDecoder.flush() returns an unfinished character at the end as base64", () => {
  const decoder = new PayloadDecoder();
  decoder.push(bytes(0x61, 0xe2, 0x82));
  assert.deepEqual(decoder.flush(), { bytes: 2, base64: btoa("\xe2\x82") });
  assert.equal(decoder.flush(), null);
});
