/**
 * How the interactive client shows received lines: sanitised first (a hostile server or a
 * plain `nc` peer cannot put escape sequences on your terminal), then, with colour on,
 * nicknames painted and notices dimmed. Recognises the chat server's wire format:
 * `<nick> text`, `** nick action`, `*nick* text` (private), `-> *nick* text` (your
 * private message) and `* notice`; any other line is shown as is.
 *
 * It follows the conversation: the replayed history (between `-- history --` and
 * `-- now --`) is dimmed, so old lines do not pass for new ones; and the people present
 * get distinct colours (`NickColors`: joins, leaves and renames are read from the
 * server's notices).
 * @module
 */

import type { Colors } from "../output/color.ts";
import { sanitiseText } from "../output/sanitise.ts";
import { NickColors } from "../output/nick_colors.ts";
import { HISTORY_END, HISTORY_START, parseWireLine } from "./protocol.ts";

/** The received lines of one session, shown terminal-safe and coloured. */
export class ChatDisplay {
  readonly #colors: Colors;
  readonly #nicks = new NickColors();
  #inHistory = false;

  constructor(colors: Colors) {
    this.#colors = colors;
  }

  /** The terminal-safe, coloured form of a received line (`line` has no line ending). */
  line(line: string): string {
    const text = sanitiseText(line);
    const colors = this.#colors;
    if (text === HISTORY_START || text === HISTORY_END) {
      this.#inHistory = text === HISTORY_START;
      return colors.dim(text);
    }
    if (this.#inHistory) return colors.dim(text);
    const wire = parseWireLine(text);
    if ("nick" in wire) {
      return wire.before + colors.code(this.#nicks.colorOf(wire.nick), wire.nick) + wire.after;
    }
    if (wire.kind === "notice") {
      this.#follow(text);
      return colors.dim(text);
    }
    return text;
  }

  /** Joins, leaves and renames, as the server's notices tell them. */
  #follow(notice: string): void {
    let match = /^\* (\S+) is now known as (\S+)$/.exec(notice);
    if (match) return this.#nicks.renamed(match[1]!, match[2]!);
    match = /^\* (\S+) joined$/.exec(notice);
    if (match) {
      this.#nicks.colorOf(match[1]!);
      return;
    }
    match = /^\* (\S+) (left|was disconnected|was removed by)\b/.exec(notice);
    if (match) this.#nicks.left(match[1]!);
  }
}

/** A line the client itself says (`* connection closed by server`), dimmed with colour on. */
export function localNotice(text: string, colors: Colors): string {
  return colors.dim(`* ${sanitiseText(text)}`);
}
