/**
 * The chat server's own output: text lines on stdout (timestamped on a terminal), or
 * events with `--json`, written so that a slow stdout never holds the room back.
 * @module
 */

import type { ChatEvent } from "./events.ts";
import { formatClock } from "./format.ts";
import type { OutputIo } from "./output_io.ts";
import { NickColors } from "./nick_colors.ts";
import { formatChatEvent } from "./text_format.ts";

const encoder = new TextEncoder();

/** Most transcript bytes waiting for a slow stdout before lines are left out: 4 MiB. */
const TRANSCRIPT_BACKLOG_BYTES = 4 << 20;

type TranscriptItem = { line: string } | { event: ChatEvent };

/**
 * The server's own output: text lines on stdout (timestamped on a terminal), or events
 * with `--json`. What arrives in one tick goes out in one write. When stdout does not
 * keep up (a slow terminal or pipe), lines are left out rather than piling up in memory,
 * and a note says how many.
 */
export class Transcript {
  #ctx: OutputIo;
  #pending: TranscriptItem[] = [];
  #pendingBytes = 0;
  #unwrittenBytes = 0;
  #dropped = 0;
  /** The people present get distinct colours (see `NickColors`). */
  readonly #nicks = new NickColors();

  constructor(ctx: OutputIo) {
    this.#ctx = ctx;
  }

  event(event: ChatEvent, at: Date): void {
    if (this.#ctx.reporter.json) {
      this.#add({ event }, 96 + ("text" in event ? event.text.length : 0));
    } else {
      this.#add({
        line: this.#stamp(formatChatEvent(event, this.#ctx.stdoutColors, this.#nicks), at),
      });
    }
  }

  operatorLine(line: string): void {
    if (this.#ctx.reporter.json) this.#ctx.reporter.info(line);
    else this.#add({ line: this.#stamp(line, new Date()) });
  }

  /** Resolves once every line so far is written to stdout. */
  flushed(): Promise<void> {
    if (this.#pending.length > 0) this.#flush();
    return this.#ctx.stdout.flush();
  }

  #stamp(line: string, at: Date): string {
    const stamp = this.#ctx.stdoutIsTerminal
      ? this.#ctx.stdoutColors.dim(`[${formatClock(at)}]`) + " "
      : "";
    return stamp + line + "\n";
  }

  #add(item: TranscriptItem, size = "line" in item ? item.line.length : 0): void {
    if (this.#unwrittenBytes + this.#pendingBytes + size > TRANSCRIPT_BACKLOG_BYTES) {
      this.#dropped++;
      return;
    }
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(item);
    this.#pendingBytes += size;
  }

  #flush(): void {
    if (this.#pending.length === 0) return; // flushed() got here first
    const items = this.#pending;
    const size = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#dropped > 0 && this.#unwrittenBytes < TRANSCRIPT_BACKLOG_BYTES / 2) {
      const note = `${this.#dropped} chat lines not shown: stdout is not keeping up`;
      this.#dropped = 0;
      if (this.#ctx.reporter.json) this.#ctx.reporter.warn(note);
      else items.unshift({ line: `* (${note})\n` });
    }
    let text = "";
    for (const item of items) {
      if ("event" in item) this.#ctx.reporter.emit(item.event);
      else text += item.line;
    }
    if (text !== "") this.#ctx.stdout.enqueue(encoder.encode(text));
    this.#unwrittenBytes += size;
    this.#ctx.stdout.flush().then(() => (this.#unwrittenBytes -= size));
  }
}
