import assert from "node:assert/strict";
import { completeUtf8Length, concatBytes } from "../lib/bytes.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

Deno.test("concatBytes() joins chunks in order and returns a lone chunk itself", () => {
  assert.deepEqual(concatBytes([bytes(1, 2), bytes(), bytes(3)]), bytes(1, 2, 3));
  const one = bytes(9);
  assert.equal(concatBytes([one]), one);
  assert.deepEqual(concatBytes([]), bytes());
});

Deno.test("completeUtf8Length() stops before a character split at the end", () => {
  const euro = [0xe2, 0x82, 0xac];
  const smile = [0xf0, 0x9f, 0x98, 0x80];
  assert.equal(completeUtf8Length(bytes(0x61, ...euro)), 4);
  assert.equal(completeUtf8Length(bytes(0x61, 0xe2, 0x82)), 1);
  assert.equal(completeUtf8Length(bytes(0x61, 0xe2)), 1);
  assert.equal(completeUtf8Length(bytes(0x61, 0xc3)), 1);
  assert.equal(completeUtf8Length(bytes(...smile.slice(0, 3))), 0);
  assert.equal(completeUtf8Length(bytes(...smile)), 4);
  assert.equal(completeUtf8Length(bytes(0x61, 0xff)), 2); // invalid: complete as is
  assert.equal(completeUtf8Length(bytes(0xf5, 0x80)), 2); // never a lead byte
  assert.equal(completeUtf8Length(bytes(0x80, 0x80, 0x80, 0x80)), 4);
  assert.equal(completeUtf8Length(bytes()), 0);
});
