/**
 * How one received datagram looks on stdout, per output format: a labelled, sanitised
 * line for a terminal, or a hex dump. (The `lines` and `raw` formats write the payload
 * itself and need no formatting; `json` is a `datagram` event.)
 * @module
 */

import type { Colors } from "./color.ts";
import { sanitiseText } from "./sanitise.ts";
import { formatClock } from "./format.ts";
import { hexDump } from "./hex_dump.ts";

/** Where and how datagrams are printed. */
export type DatagramFormat = "terminal" | "lines" | "raw" | "hex" | "json";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Shows a payload as safe text: one trailing newline dropped, sanitised exactly like chat text. */
export function payloadText(data: Uint8Array): string {
  if (data.length === 0) return "(empty datagram)";
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    const head = Array.from(data.subarray(0, 16), (b) => b.toString(16).padStart(2, "0"));
    return `(${data.length} bytes, not UTF-8: ${head.join(" ")}${data.length > 16 ? " …" : ""})`;
  }
  return sanitiseText(text.replace(/\r?\n$/, ""));
}

/** `12:00:01 127.0.0.1:5000  hello` — one line (with `\n`) for a terminal. */
export function terminalLine(from: string, data: Uint8Array, colors: Colors, now: Date): string {
  return `${colors.dim(formatClock(now))} ${colors.stable(from)}  ${payloadText(data)}\n`;
}

/** A header naming the sender and size, then the hex dump of the payload. */
export function hexBlock(from: string, data: Uint8Array): string {
  return `${from} (${data.length} ${data.length === 1 ? "byte" : "bytes"})\n${hexDump(data)}`;
}
