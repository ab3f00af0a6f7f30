/**
 * Pure `--expect` matching: patterns are matched in order against the text received so
 * far. Each pattern is searched in what came after the previous pattern's match, so
 * `--expect A --expect B` means "A, then later B". Memory and time stay bounded: the
 * text kept for the pattern being searched is at most `EXPECT_WINDOW_CHARS` characters
 * (older text is dropped), so a match can never reach further back than that.
 * @module
 */

/**
 * How much received text (UTF-16 code units: 64 KiB of ASCII) a pattern is matched
 * against. Small enough that re-running a pattern after every read stays cheap.
 */
export const EXPECT_WINDOW_CHARS = 1 << 16;

/** One pattern that matched. */
export interface ExpectMatch {
  /** Position of the pattern among the `--expect` options, from 0. */
  index: number;
  /** The pattern's source, as given. */
  pattern: string;
  /** The text it matched. */
  text: string;
  /** Capture groups, when the pattern has any (unmatched groups are `null`). */
  groups?: (string | null)[];
}

/** Matches received bytes (decoded as UTF-8) against patterns in order. */
export class ExpectMatcher {
  readonly patterns: readonly RegExp[];
  #next = 0;
  #window = "";
  #windowChars: number;
  #decoder = new TextDecoder("utf-8");

  constructor(patterns: readonly RegExp[], windowChars = EXPECT_WINDOW_CHARS) {
    this.patterns = patterns.map((p) => new RegExp(p.source, p.flags.replace(/[gy]/g, "")));
    this.#windowChars = windowChars;
  }

  /** True once every pattern has matched. */
  get done(): boolean {
    return this.#next >= this.patterns.length;
  }

  /** The pattern being waited for, or `undefined` when done. */
  get pending(): { index: number; pattern: string } | undefined {
    const pattern = this.patterns[this.#next];
    return pattern === undefined ? undefined : { index: this.#next, pattern: pattern.source };
  }

  /** Feeds received bytes; returns the patterns that matched because of them, in order. */
  push(bytes: Uint8Array): ExpectMatch[] {
    if (this.done) return [];
    const text = this.#decoder.decode(bytes, { stream: true });
    const matches: ExpectMatch[] = [];
    // A big read is fed a window at a time, so no search ever covers more than two windows.
    let at = 0;
    do {
      this.#window += text.slice(at, at + this.#windowChars);
      this.#search(matches);
      at += this.#windowChars;
    } while (at < text.length && !this.done);
    return matches;
  }

  #search(matches: ExpectMatch[]): void {
    while (!this.done) {
      const pattern = this.patterns[this.#next]!;
      const found = pattern.exec(this.#window);
      if (found === null) break;
      matches.push(toMatch(this.#next, pattern, found));
      this.#window = this.#window.slice(found.index + found[0].length);
      this.#next++;
    }
    if (this.done) this.#window = "";
    else if (this.#window.length > this.#windowChars) {
      this.#window = this.#window.slice(this.#window.length - this.#windowChars);
    }
  }
}

function toMatch(index: number, pattern: RegExp, found: RegExpExecArray): ExpectMatch {
  const match: ExpectMatch = { index, pattern: pattern.source, text: found[0] };
  if (found.length > 1) match.groups = found.slice(1).map((g) => g ?? null);
  return match;
}
