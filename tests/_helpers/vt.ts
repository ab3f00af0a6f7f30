/**
 * A tiny terminal emulator for unit tests of terminal output: enough of VT100 to replay
 * what the interactive client writes (CR, LF, CR-LF, erase line, erase screen, cursor
 * right, cursor home, SGR colours ignored, wide characters, autowrap) and to check the
 * resulting rows and the cursor. Anything else it does not know fails the test.
 * @module
 */

import { graphemes, graphemeWidth } from "../../lib/chat/text_width.ts";

/** A virtual screen of `columns` × `rows` cells. */
export class VirtualTerminal {
  readonly columns: number;
  readonly rows: number;
  #cells: string[][];
  row = 0;
  column = 0;
  /** Set after writing the last column: the next character wraps first. */
  #pendingWrap = false;

  constructor(columns = 40, rows = 10) {
    this.columns = columns;
    this.rows = rows;
    this.#cells = Array.from({ length: rows }, () => Array(columns).fill(" "));
  }

  /** Replays `output`. */
  write(output: string): this {
    let i = 0;
    while (i < output.length) {
      const char = output[i]!;
      if (char === "\r") {
        this.column = 0;
        this.#pendingWrap = false;
        i++;
      } else if (char === "\n") {
        this.#lineFeed();
        this.#pendingWrap = false;
        i++;
      } else if (char === "\x1b") {
        // deno-lint-ignore no-control-regex
        const match = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(output.slice(i));
        if (!match) throw new Error(`Unknown escape at ${JSON.stringify(output.slice(i, i + 8))}`);
        this.#csi(match[1]!, match[2]!);
        i += match[0].length;
      } else {
        const rest = output.slice(i);
        // deno-lint-ignore no-control-regex
        const next = rest.search(/[\r\n\x1b]/);
        const text = next === -1 ? rest : rest.slice(0, next);
        for (const g of graphemes(text)) this.#put(g);
        i += text.length;
      }
    }
    return this;
  }

  /** The text of row `n` without trailing spaces. */
  line(n: number): string {
    return this.#cells[n]!.filter((c) => c !== "").join("").replace(/ +$/, "");
  }

  /** All rows, trailing blank rows dropped. */
  lines(): string[] {
    const all = Array.from({ length: this.rows }, (_, n) => this.line(n));
    while (all.length > 0 && all[all.length - 1] === "") all.pop();
    return all;
  }

  #put(g: string): void {
    const width = graphemeWidth(g);
    if (width === 0) return;
    if (this.#pendingWrap || this.column + width > this.columns) {
      this.column = 0;
      this.#lineFeed();
      this.#pendingWrap = false;
    }
    const row = this.#cells[this.row]!;
    row[this.column] = g;
    if (width === 2) row[this.column + 1] = "";
    this.column += width;
    if (this.column >= this.columns) {
      this.column = this.columns - 1;
      this.#pendingWrap = true;
    }
  }

  #lineFeed(): void {
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.#cells.shift();
    this.#cells.push(Array(this.columns).fill(" "));
  }

  #csi(params: string, final: string): void {
    const n = Number(params || "1");
    switch (final) {
      case "K":
        if (params !== "2") throw new Error(`Unsupported erase ${params}K`);
        this.#cells[this.row] = Array(this.columns).fill(" ");
        return;
      case "J":
        if (params !== "2") throw new Error(`Unsupported erase ${params}J`);
        this.#cells = Array.from({ length: this.rows }, () => Array(this.columns).fill(" "));
        return;
      case "H":
        this.row = 0;
        this.column = 0;
        this.#pendingWrap = false;
        return;
      case "C":
        this.column = Math.min(this.columns - 1, this.column + n);
        this.#pendingWrap = false;
        return;
      case "m":
        return;
      default:
        throw new Error(`Unsupported CSI ${params}${final}`);
    }
  }
}
