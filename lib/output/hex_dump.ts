/**
 * A canonical hex dump (like `hexdump -C`): offset, 16 bytes in hex in two groups of
 * eight, then the printable ASCII.
 * @module
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Hex dump lines of `bytes`, each ending in `\n`; empty string for no bytes. Rows are
 * addressed from `start` (the offset of `bytes[0]` in a longer stream), as
 * `hexdump -C -v -s START` shows a file: the same layout, no line ending with the total.
 * @example hexDump(utf8("hi")) === "00000000  68 69                                             |hi|\n"
 */
export function hexDump(bytes: Uint8Array, start = 0): string {
  let out = "";
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    let hex = "";
    let ascii = "";
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += " ";
      const byte = row[i];
      if (byte === undefined) {
        hex += "   ";
        continue;
      }
      hex += ` ${HEX[byte]}`;
      ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".";
    }
    out += `${(start + offset).toString(16).padStart(8, "0")} ${hex}  |${ascii}|\n`;
  }
  return out;
}
