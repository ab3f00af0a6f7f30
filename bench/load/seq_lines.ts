/**
 * Finding message numbers in a chat server's output for the fan-out load generator:
 * every bench message is a line ending in `@SEQ`; whatever prefix a server adds
 * (`<guest5> `, `<user5> `) and every other line (greetings, joins) is ignored. `ncat
 * --chat` prefixes each chunk it read rather than each line, so its `<user5> ` can land
 * inside a line, even inside `@SEQ`: such a prefix is skipped. Lines may be split across
 * reads; only the end of a line matters, so at most 64 bytes are kept.
 * @module
 */

const AT = 64; // "@"
const CR = 13;
const NEWLINE = 10;
const SPACE = 32;
const LT = 60; // "<"
const GT = 62; // ">"
const KEEP = 64;

/** Parses `@DIGITS` (and an optional CR) at the end of the line `buf[start, end)`; -1 if absent. */
export function seqOf(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  let scale = 1;
  let i = end - 1;
  if (i >= start && buf[i] === CR) i--;
  while (i >= start) {
    if (buf[i] === SPACE && i - 1 >= start && buf[i - 1] === GT) {
      const open = buf.lastIndexOf(LT, i - 2);
      if (open < start) return -1;
      i = open - 1; // an ncat prefix inside the line
      continue;
    }
    const digit = buf[i]! - 48;
    if (digit < 0 || digit > 9) break;
    value += digit * scale;
    scale *= 10;
    i--;
  }
  return scale > 1 && i >= start && buf[i] === AT ? value : -1;
}

/** One connection's stream of lines: calls `onSeq` for each line ending in `@SEQ`. */
export class SeqLines {
  #carry = new Uint8Array(KEEP);
  #carryLength = 0;

  /** Feeds one read's bytes. */
  push(chunk: Uint8Array, onSeq: (seq: number) => void): void {
    let start = 0;
    if (this.#carryLength > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.#append(chunk);
        return;
      }
      this.#append(chunk.subarray(0, nl));
      const seq = seqOf(this.#carry, 0, this.#carryLength);
      if (seq >= 0) onSeq(seq);
      this.#carryLength = 0;
      start = nl + 1;
    }
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) {
        this.#append(chunk.subarray(start));
        return;
      }
      const seq = seqOf(chunk, start, nl);
      if (seq >= 0) onSeq(seq);
      start = nl + 1;
    }
  }

  #append(part: Uint8Array): void {
    if (this.#carryLength + part.length > KEEP) {
      const joined = new Uint8Array(this.#carryLength + part.length);
      joined.set(this.#carry.subarray(0, this.#carryLength));
      joined.set(part, this.#carryLength);
      this.#carry.set(joined.subarray(joined.length - KEEP));
      this.#carryLength = KEEP;
      return;
    }
    this.#carry.set(part, this.#carryLength);
    this.#carryLength += part.length;
  }
}
