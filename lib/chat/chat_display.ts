/**
 * How the interactive client shows one received line: sanitised first (a hostile server
 * or a plain `nc` peer cannot put escape sequences on your terminal), then, with colour
 * on, the nickname painted in its stable colour and notices dimmed. Recognises the chat
 * server's wire format: `<nick> text`, `** nick action`, `*nick* text` (private),
 * `-> *nick* text` (your private message) and `* notice`; any other line is shown as is.
 * @module
 */

import type { Colors } from "../output/color.ts";
import { sanitiseText } from "../output/sanitise.ts";
import { parseWireLine } from "./protocol.ts";

/** The terminal-safe, coloured form of a received line (`line` has no line ending). */
export function displayLine(line: string, colors: Colors): string {
  const text = sanitiseText(line);
  if (!colors.enabled) return text;
  const wire = parseWireLine(text);
  if ("nick" in wire) return wire.before + colors.stable(wire.nick) + wire.after;
  return wire.kind === "notice" ? colors.dim(text) : text;
}

/** A line the client itself says (`* connection closed by server`), dimmed with colour on. */
export function localNotice(text: string, colors: Colors): string {
  return colors.dim(`* ${sanitiseText(text)}`);
}
