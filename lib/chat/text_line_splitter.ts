/**
 * Splitting a byte stream into text lines, pure and incremental: chunks in (as TCP reads
 * deliver them), decoded lines out. A line ends at LF; one CR right before the LF is
 * dropped (telnet sends CRLF). Lines are decoded as lossy UTF-8 (invalid bytes become
 * U+FFFD) only once complete, so a character split across reads stays whole.
 *
 * Memory is bounded: at most `maxLineBytes` of an unfinished line are kept. A longer
 * line is cut there: its first `maxLineBytes` bytes (backed off to a character
 * boundary) come out as one line marked `cut`, and the rest, up to the next LF, is
 * dropped.
 *
 * `takePartial()` is for the quiet flush: text that arrived without a newline is handed
 * out as a line once the sender has been quiet for a while (the caller owns the timer).
 * @module
 */

import { completeUtf8Length } from "../bytes.ts";
import { decodeUtf8Lossy } from "../output/sanitise.ts";

/** One line out of the splitter (without its line ending, not yet sanitised). */
export interface SplitLine {
  text: string;
  /** True when the line was longer than the cap and was cut. */
  cut: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/** Incremental LF splitter with a length cap. */
export class TextLineSplitter {
  readonly maxLineBytes: number;
  /** Bytes of the unfinished line (a copy: the caller reuses its read buffer). */
  #pending: Uint8Array | null = null;
  #pendingLength = 0;
  /** True while dropping the rest of a line that was cut. */
  #discarding = false;

  constructor(maxLineBytes: number) {
    if (!(maxLineBytes >= 1)) throw new RangeError("maxLineBytes must be at least 1");
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of an unfinished line held right now. */
  get pendingBytes(): number {
    return this.#pendingLength;
  }

  /** True when an unfinished line is waiting (the quiet-flush timer should run). */
  get hasPartial(): boolean {
    return this.#pendingLength > 0;
  }

  /** Feeds one chunk; returns the lines it completed (possibly none). */
  push(chunk: Uint8Array): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      if (this.#discarding) {
        if (lf !== -1) this.#discarding = false;
      } else if (this.#pendingLength === 0 && lf !== -1 && end - start <= this.maxLineBytes) {
        lines.push({ text: decodeLine(chunk.subarray(start, end)), cut: false }); // fast path
      } else {
        this.#append(chunk.subarray(start, end), lines);
        if (lf !== -1 && !this.#discarding) lines.push(this.#takePending(false));
        else if (lf !== -1) this.#discarding = false;
      }
      if (lf === -1) break;
      start = lf + 1;
    }
    return lines;
  }

  /**
   * The quiet flush: hands out the unfinished line (up to its last complete character)
   * as a line of its own, or `null` when there is none. Also ends a cut line's dropping.
   */
  takePartial(): SplitLine | null {
    this.#discarding = false;
    if (this.#pendingLength === 0) return null;
    const bytes = this.#pending!.subarray(0, this.#pendingLength);
    const complete = completeUtf8Length(bytes);
    if (complete === 0) return null;
    const text = decodeLine(bytes.subarray(0, complete));
    const rest = bytes.slice(complete);
    this.#pending = rest.length > 0 ? rest : null;
    this.#pendingLength = rest.length;
    return { text, cut: false };
  }

  /** End of stream: the unfinished line, if any (a dangling partial character → U+FFFD). */
  end(): SplitLine | null {
    this.#discarding = false;
    if (this.#pendingLength === 0) return null;
    return this.#takePending(false);
  }

  #append(bytes: Uint8Array, lines: SplitLine[]): void {
    const room = this.maxLineBytes - this.#pendingLength;
    if (bytes.length > room) {
      this.#store(bytes.subarray(0, room));
      const all = this.#pending!.subarray(0, this.#pendingLength);
      const keep = completeUtf8Length(all);
      this.#pendingLength = keep;
      lines.push(this.#takePending(true));
      this.#discarding = true;
      return;
    }
    this.#store(bytes);
  }

  #store(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const needed = this.#pendingLength + bytes.length;
    if (this.#pending === null || this.#pending.length < needed) {
      // Grow geometrically but never beyond the cap: memory follows what was really sent.
      const size = Math.min(this.maxLineBytes, Math.max(needed, 2 * (this.#pending?.length ?? 0)));
      const grown = new Uint8Array(Math.max(size, needed));
      if (this.#pending !== null) grown.set(this.#pending.subarray(0, this.#pendingLength));
      this.#pending = grown;
    }
    this.#pending.set(bytes, this.#pendingLength);
    this.#pendingLength = needed;
  }

  #takePending(cut: boolean): SplitLine {
    const bytes = this.#pending?.subarray(0, this.#pendingLength) ?? new Uint8Array(0);
    const text = decodeLine(bytes);
    this.#pending = null; // release the memory a long line needed
    this.#pendingLength = 0;
    return { text, cut };
  }
}

/** Decodes a line's bytes, dropping one CR before the (already removed) LF. */
function decodeLine(bytes: Uint8Array): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return decodeUtf8Lossy(bytes.subarray(0, end));
}
