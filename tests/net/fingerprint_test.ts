import assert from "node:assert/strict";
import { fingerprintOf, formatFingerprint, parseFingerprint } from "../../lib/net/fingerprint.ts";

const HEX = "7d30bec528e7eaebadce766f3e98b0e31ca948033ff05a38d0a9164bd181f5cd";
const COLONS =
  "7D:30:BE:C5:28:E7:EA:EB:AD:CE:76:6F:3E:98:B0:E3:1C:A9:48:03:3F:F0:5A:38:D0:A9:16:4B:D1:81:F5:CD";

Deno.test("parseFingerprint() accepts hex with or without colons, any case, with a sha256 prefix", () => {
  for (
    const text of [
      HEX,
      HEX.toUpperCase(),
      COLONS,
      COLONS.toLowerCase(),
      `sha256:${HEX}`,
      `SHA256:${COLONS}`,
      `sha-256:${HEX}`,
      `SHA256 Fingerprint=${COLONS}`,
      `  ${COLONS}\n`,
    ]
  ) {
    assert.equal(parseFingerprint(text), HEX, text);
  }
});

Deno.test("parseFingerprint() rejects wrong lengths, non-hex and misplaced colons", () => {
  for (
    const text of [
      "",
      "abc",
      HEX.slice(2),
      `${HEX}00`,
      HEX.replace("7", "g"),
      `7:D${COLONS.slice(2)}`,
      "md5:" + HEX,
    ]
  ) {
    assert.throws(() => parseFingerprint(text), (error: Error) => {
      assert.ok(error instanceof RangeError);
      assert.equal(
        error.message,
        `Invalid fingerprint "${text}": expected a SHA-256 fingerprint, 64 hex digits (colons optional)`,
      );
      return true;
    });
  }
});

Deno.test("formatFingerprint() writes openssl's form; fingerprintOf() is SHA-256 of the DER", async () => {
  assert.equal(formatFingerprint(HEX), COLONS);
  assert.equal(formatFingerprint(new Uint8Array([0, 1, 254, 255])), "00:01:FE:FF");
  // SHA-256("abc"), a published test vector.
  assert.equal(
    await fingerprintOf(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
