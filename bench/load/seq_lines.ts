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

/** How often `byte` occurs in `buf[start, end)`. */
function countByte(buf: Uint8Array, byte: number, start: number, end: number): number {
  let count = 0;
  for (let i = buf.indexOf(byte, start); i >= 0 && i < end; i = buf.indexOf(byte, i + 1)) count++;
  return count;
}

/**
 * One connection's stream of lines, counted in bulk: `push` returns how many message
 * lines (lines ending in `@SEQ`) a read completed, and `last` is the last one's number.
 * When every complete line of a read is a message (one `@` per line, the usual case),
 * only the last line is parsed, so the counting keeps up with a fast server.
 */
export class SeqLines {
  /** The number of the last message line seen (-1 before the first). */
  last = -1;
  #carry = new Uint8Array(KEEP);
  #carryLength = 0;

  /** Feeds one read's bytes; returns the number of message lines it completed. */
  push(chunk: Uint8Array): number {
    let count = 0;
    let start = 0;
    if (this.#carryLength > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.#append(chunk);
        return 0;
      }
      this.#append(chunk.subarray(0, nl));
      count += this.#take(this.#carry, 0, this.#carryLength);
      this.#carryLength = 0;
      start = nl + 1;
    }
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end > start) {
      const lines = countByte(chunk, NEWLINE, start, end);
      if (countByte(chunk, AT, start, end) === lines) {
        const lastStart = chunk.lastIndexOf(NEWLINE, end - 2) + 1;
        count += lines - 1 + this.#take(chunk, Math.max(start, lastStart), end - 1);
      } else {
        for (let from = start; from < end;) {
          const nl = chunk.indexOf(NEWLINE, from);
          count += this.#take(chunk, from, nl);
          from = nl + 1;
        }
      }
    }
    if (end < chunk.length) this.#append(chunk.subarray(Math.max(start, end)));
    return count;
  }

  /** Parses one line; 1 (and `last` set) when it is a message line. */
  #take(buf: Uint8Array, start: number, end: number): number {
    const seq = seqOf(buf, start, end);
    if (seq < 0) return 0;
    this.last = seq;
    return 1;
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
