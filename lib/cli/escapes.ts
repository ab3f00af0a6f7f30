/**
 * Pure decoding of `--send TEXT`: backslash escapes `\n`, `\r`, `\t`, `\\`, `\0` and `\xHH`
 * (one raw byte) in otherwise UTF-8 text.
 * @module
 */

import { concatBytes } from "../bytes.ts";
import { UsageError } from "../errors.ts";

const SIMPLE: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, "\\": 0x5c, "0": 0x00 };

const encoder = new TextEncoder();

/**
 * Decodes `text` into the bytes to send. Everything but an escape is sent as UTF-8.
 * @throws {UsageError} naming `option` and the value for an unknown or incomplete escape.
 * @example decodeEscapes("PING\\r\\n") // bytes of "PING\r\n"
 */
export function decodeEscapes(text: string, option = "--send"): Uint8Array {
  const parts: Uint8Array[] = [];
  let literalStart = 0;
  const flush = (end: number) => {
    if (end > literalStart) parts.push(encoder.encode(text.slice(literalStart, end)));
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") continue;
    flush(i);
    const next = text[i + 1];
    const simple = next === undefined ? undefined : SIMPLE[next];
    if (simple !== undefined) {
      parts.push(Uint8Array.of(simple));
      i += 1;
    } else if (next === "x") {
      const hex = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw invalid(text, option, `"\\x" needs two hex digits, as in \\x1b`);
      }
      parts.push(Uint8Array.of(parseInt(hex, 16)));
      i += 3;
    } else if (next === undefined) {
      throw invalid(text, option, "a lone backslash at the end (write \\\\ for one backslash)");
    } else {
      throw invalid(text, option, `unknown escape "\\${next}"`);
    }
    literalStart = i + 1;
  }
  flush(text.length);
  return concatBytes(parts);
}

function invalid(text: string, option: string, why: string): UsageError {
  return new UsageError(
    `Invalid ${option} "${text}": ${why} (escapes: \\n \\r \\t \\\\ \\0 \\xHH)`,
  );
}
