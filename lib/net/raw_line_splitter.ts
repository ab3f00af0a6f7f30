/**
 * Splitting a byte stream into lines for `udp send` (one datagram per line): binary-safe,
 * streaming, each line without its `\n` (or `\r\n`), and bounded so a line that can
 * never fit in a datagram is refused instead of buffered forever.
 * @module
 */

/** Splits chunks into lines. */
export class RawLineSplitter {
  readonly #maxLine: number;
  #pending: Uint8Array[] = [];
  #pendingLength = 0;

  /** `maxLine`: the longest line accepted (without its terminator). */
  constructor(maxLine: number) {
    this.#maxLine = maxLine;
  }

  /**
   * Yields the complete lines in `chunk` (copies, without terminators), lazily, so the
   * lines before a too-long one are still delivered.
   * @throws {RangeError} when a line grows beyond `maxLine` bytes.
   */
  *push(chunk: Uint8Array): Generator<Uint8Array> {
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.#keep(chunk.subarray(start));
        break;
      }
      this.#keep(chunk.subarray(start, newline));
      yield this.#take(true);
      start = newline + 1;
    }
  }

  /** The last line when the input did not end with a newline, else `null`. */
  end(): Uint8Array | null {
    return this.#pendingLength === 0 ? null : this.#take(false);
  }

  #keep(part: Uint8Array): void {
    if (part.length === 0) return;
    this.#pendingLength += part.length;
    // One byte of slack: a `\r` before the `\n` is not part of the line.
    if (this.#pendingLength > this.#maxLine + 1) {
      throw new RangeError(
        `line of more than ${this.#maxLine} bytes is too large for one datagram`,
      );
    }
    this.#pending.push(part.slice());
  }

  #take(terminated: boolean): Uint8Array {
    const line = new Uint8Array(this.#pendingLength);
    let offset = 0;
    for (const part of this.#pending) {
      line.set(part, offset);
      offset += part.length;
    }
    this.#pending = [];
    this.#pendingLength = 0;
    const end = terminated && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    if (end > this.#maxLine) {
      throw new RangeError(`line of ${end} bytes is too large for one datagram`);
    }
    return end === line.length ? line : line.subarray(0, end);
  }
}
