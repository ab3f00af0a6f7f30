/**
 * The last N public chat lines, replayed to newcomers (`--history N`). A fixed-size ring:
 * adding is O(1) and memory never exceeds N lines.
 * @module
 */

/** A ring buffer of the last `size` lines. */
export class History {
  readonly size: number;
  #lines: string[] = [];
  #next = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError("History size must be >= 0");
    this.size = size;
  }

  /** Remembers `line`, forgetting the oldest once full. */
  add(line: string): void {
    if (this.size === 0) return;
    if (this.#lines.length < this.size) {
      this.#lines.push(line);
      return;
    }
    this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.size;
  }

  /** The remembered lines, oldest first. */
  lines(): string[] {
    return [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
  }
}
