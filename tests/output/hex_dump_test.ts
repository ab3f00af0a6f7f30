import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { hexDump } from "../../lib/output/hex_dump.ts";
import { hexBlock } from "../../lib/output/datagram_format.ts";

Deno.test("hexDump() matches hexdump -C: two groups of eight, ASCII column, padded last row", () => {
  assert.equal(
    hexDump(utf8("0123456789abcdefXYZ")),
    "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n" +
      "00000010  58 59 5a                                          |XYZ|\n",
  );
});

Deno.test("hexDump() shows non-printable bytes as dots and nothing for no bytes", () => {
  assert.equal(
    hexDump(new Uint8Array([0, 0x7f, 0x80, 0xff, 0x20, 0x7e])),
    "00000000  00 7f 80 ff 20 7e                                 |.... ~|\n",
  );
  assert.equal(hexDump(new Uint8Array(0)), "");
});

Deno.test("hexDump() addresses rows from a start offset, as hexdump -C -s does", () => {
  assert.equal(
    hexDump(utf8("fghijklmnopqrstuvwxy"), 5),
    "00000005  66 67 68 69 6a 6b 6c 6d  6e 6f 70 71 72 73 74 75  |fghijklmnopqrstu|\n" +
      "00000015  76 77 78 79                                       |vwxy|\n",
  );
});

Deno.test("hexBlock() heads the dump with the sender and the size", () => {
  assert.equal(hexBlock("127.0.0.1:9", new Uint8Array(0)), "127.0.0.1:9 (0 bytes)\n");
  assert.equal(
    hexBlock("[::1]:9", utf8("A")),
    "[::1]:9 (1 byte)\n00000000  41                                                |A|\n",
  );
});
