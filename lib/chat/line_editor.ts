/**
 * The interactive client's line editor: a pure state machine over keys. It holds the
 * line being typed, the cursor (always on a grapheme boundary, so a letter with its
 * accents or an emoji sequence moves and deletes as one), the history and the last
 * killed text. Enter gives the submitted line; Ctrl-C and Ctrl-D on an empty line give
 * signals. It draws nothing: `prompt_view.ts` turns its state into terminal output.
 * @module
 */

import type { Key, KeyName } from "./key_decoder.ts";
import { graphemes } from "./text_width.ts";

/** What applying a key did. */
export type EditOutcome =
  /** Nothing to redraw. */
  | { kind: "none" }
  /** The line or the cursor changed: redraw the prompt. */
  | { kind: "changed" }
  /** Enter: `line` is the submitted text; the editor is empty again. */
  | { kind: "submit"; line: string }
  /** Ctrl-D on an empty line. */
  | { kind: "eof" }
  /** Ctrl-C. */
  | { kind: "interrupt" }
  /** Ctrl-L: clear the screen, then redraw. */
  | { kind: "clear-screen" };

/** How many submitted lines the history keeps. */
export const HISTORY_LIMIT = 1000;

/**
 * Characters never taken into the line: control characters, line/paragraph separators
 * and bidirectional controls (they would reorder or hide what is shown and sent).
 */
const UNWANTED = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NONE: EditOutcome = { kind: "none" };
const CHANGED: EditOutcome = { kind: "changed" };

/** Line editing with history. */
export class LineEditor {
  #text = "";
  /** UTF-16 offset into `#text`, always on a grapheme boundary. */
  #cursor = 0;
  #history: string[] = [];
  /** Index into history while browsing; `history.length` means the line being typed. */
  #historyIndex = 0;
  /** The line being typed, kept while browsing history. */
  #draft = "";
  #killed = "";

  /** The current line. */
  get text(): string {
    return this.#text;
  }

  /** Cursor position as a UTF-16 offset into `text`. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Submitted lines, oldest first. */
  get history(): readonly string[] {
    return this.#history;
  }

  /** Applies one key. */
  apply(key: Key): EditOutcome {
    if (key.kind === "text") return this.insert(key.text);
    return this.#named(key.name);
  }

  /** Inserts text at the cursor (control and bidi characters are left out). */
  insert(text: string): EditOutcome {
    const clean = text.replace(UNWANTED, "");
    if (clean === "") return NONE;
    const before = this.#text.slice(0, this.#cursor) + clean;
    this.#text = before + this.#text.slice(this.#cursor);
    this.#cursor = this.#snap(before.length);
    return CHANGED;
  }

  #named(name: KeyName): EditOutcome {
    switch (name) {
      case "enter":
        return this.#submit();
      case "interrupt":
        return { kind: "interrupt" };
      case "eof":
        return this.#text === "" ? { kind: "eof" } : this.#deleteForward();
      case "clear-screen":
        return { kind: "clear-screen" };
      case "backspace":
        return this.#deleteRange(this.#prevBoundary(), this.#cursor, false);
      case "delete":
        return this.#deleteForward();
      case "left":
        return this.#moveTo(this.#prevBoundary());
      case "right":
        return this.#moveTo(this.#nextBoundary());
      case "home":
        return this.#moveTo(0);
      case "end":
        return this.#moveTo(this.#text.length);
      case "word-left":
        return this.#moveTo(this.#wordStart());
      case "word-right":
        return this.#moveTo(this.#wordEnd());
      case "kill-to-start":
        return this.#deleteRange(0, this.#cursor, true);
      case "kill-to-end":
        return this.#deleteRange(this.#cursor, this.#text.length, true);
      case "kill-word-back":
        return this.#deleteRange(this.#wordStart(), this.#cursor, true);
      case "kill-word-forward":
        return this.#deleteRange(this.#cursor, this.#wordEnd(), true);
      case "yank":
        return this.#killed === "" ? NONE : this.insert(this.#killed);
      case "transpose":
        return this.#transpose();
      case "up":
        return this.#browse(-1);
      case "down":
        return this.#browse(1);
      case "escape":
        return NONE;
    }
  }

  #submit(): EditOutcome {
    const line = this.#text;
    if (line !== "" && this.#history[this.#history.length - 1] !== line) {
      this.#history.push(line);
      if (this.#history.length > HISTORY_LIMIT) this.#history.shift();
    }
    this.#historyIndex = this.#history.length;
    this.#draft = "";
    this.#text = "";
    this.#cursor = 0;
    return { kind: "submit", line };
  }

  #browse(step: -1 | 1): EditOutcome {
    const target = this.#historyIndex + step;
    if (target < 0 || target > this.#history.length) return NONE;
    if (this.#historyIndex === this.#history.length) this.#draft = this.#text;
    this.#historyIndex = target;
    this.#text = target === this.#history.length ? this.#draft : this.#history[target]!;
    this.#cursor = this.#text.length;
    return CHANGED;
  }

  #moveTo(position: number): EditOutcome {
    if (position === this.#cursor) return NONE;
    this.#cursor = position;
    return CHANGED;
  }

  #deleteForward(): EditOutcome {
    return this.#deleteRange(this.#cursor, this.#nextBoundary(), false);
  }

  #deleteRange(start: number, end: number, kill: boolean): EditOutcome {
    if (start >= end) return NONE;
    if (kill) this.#killed = this.#text.slice(start, end);
    this.#text = this.#text.slice(0, start) + this.#text.slice(end);
    this.#cursor = start;
    return CHANGED;
  }

  #transpose(): EditOutcome {
    const parts = graphemes(this.#text);
    let index = this.#graphemeIndex(parts);
    if (parts.length < 2 || index === 0) return NONE;
    if (index === parts.length) index -= 1; // at the end: swap the last two
    const left = parts[index - 1]!;
    parts[index - 1] = parts[index]!;
    parts[index] = left;
    this.#text = parts.join("");
    this.#cursor = parts.slice(0, index + 1).join("").length;
    return CHANGED;
  }

  /** Number of graphemes before the cursor. */
  #graphemeIndex(parts: string[]): number {
    let offset = 0;
    let index = 0;
    while (index < parts.length && offset < this.#cursor) offset += parts[index++]!.length;
    return index;
  }

  #boundaries(): number[] {
    const result = [0];
    let offset = 0;
    for (const part of graphemes(this.#text)) result.push(offset += part.length);
    return result;
  }

  /** The nearest grapheme boundary at or after `offset`. */
  #snap(offset: number): number {
    return this.#boundaries().find((b) => b >= offset) ?? this.#text.length;
  }

  #prevBoundary(): number {
    return this.#boundaries().findLast((b) => b < this.#cursor) ?? 0;
  }

  #nextBoundary(): number {
    return this.#boundaries().find((b) => b > this.#cursor) ?? this.#text.length;
  }

  /** Start of the word before the cursor (words are separated by white space). */
  #wordStart(): number {
    let i = this.#cursor;
    while (i > 0 && /\s/.test(this.#text[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(this.#text[i - 1]!)) i--;
    return i;
  }

  /** End of the word after the cursor. */
  #wordEnd(): number {
    const text = this.#text;
    let i = this.#cursor;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    return i;
  }
}
