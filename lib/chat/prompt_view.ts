/**
 * Terminal output for the prompt line, pure: the editor's state in, the exact bytes to
 * write out. The prompt always lives on one screen row: a line wider than the terminal
 * scrolls sideways so the cursor stays visible, so redrawing never has to guess how the
 * terminal wrapped. Incoming lines are printed above it: carriage return, clear the row,
 * the lines, then the prompt with the half-typed text and the cursor where they were.
 * @module
 */

import { graphemes, graphemeWidth } from "./text_width.ts";

/** Clears the whole current row (the cursor stays where it is). */
export const CLEAR_LINE = "\x1b[2K";
/** Clears the screen and homes the cursor (Ctrl-L). */
export const CLEAR_SCREEN = "\x1b[H\x1b[2J";

/** What the prompt row shows. */
export interface PromptView {
  /** The prompt as written (may hold colour codes). */
  prompt: string;
  /** Columns the prompt takes. */
  promptWidth: number;
  /** The line being edited (no control characters). */
  text: string;
  /** Cursor as a UTF-16 offset into `text`. */
  cursor: number;
  /** Terminal width in columns. */
  columns: number;
  /** First column of `text` shown, from the previous draw (0 at first). */
  scroll: number;
}

/** The bytes to write and the scroll offset to keep for the next draw. */
export interface PromptDraw {
  output: string;
  scroll: number;
}

/** Redraws the prompt row: prompt, the visible part of the text, cursor in place. */
export function drawPrompt(view: PromptView): PromptDraw {
  const showPrompt = view.columns > view.promptWidth + 1;
  const promptWidth = showPrompt ? view.promptWidth : 0;
  // The last column stays free: writing there would leave the terminal in its
  // pending-wrap state and the next redraw would land on the wrong row.
  const room = Math.max(1, view.columns - promptWidth - 1);
  const cells = layout(view.text);
  const total = cells.reduce((sum, cell) => sum + cell.width, 0);
  const cursorColumn = columnAt(cells, view.cursor);
  let scroll = Math.min(view.scroll, Math.max(0, total - room));
  if (total <= room) scroll = 0;
  else if (cursorColumn < scroll) scroll = Math.max(0, cursorColumn - Math.floor(room / 2));
  else if (cursorColumn > scroll + room) scroll = cursorColumn - room;
  let visible = "";
  for (const cell of cells) {
    const end = cell.column + cell.width;
    if (end <= scroll || end > scroll + room) {
      if (cell.column > scroll + room) break;
      continue;
    }
    visible += cell.column < scroll ? " ".repeat(end - scroll) : cell.text;
  }
  const column = promptWidth + cursorColumn - scroll;
  const output = "\r" + CLEAR_LINE + (showPrompt ? view.prompt : "") + visible + "\r" +
    (column > 0 ? `\x1b[${column}C` : "");
  return { output, scroll };
}

/**
 * Prints `lines` (already safe for the terminal) above the prompt, then redraws the
 * prompt with the half-typed text intact.
 */
export function printAbove(lines: readonly string[], view: PromptView): PromptDraw {
  const above = lines.map((line) => `\r${CLEAR_LINE}${line}\r\n`).join("");
  const draw = drawPrompt(view);
  return { output: above + draw.output, scroll: draw.scroll };
}

/**
 * Leaves the prompt row for good (on exit): a half-typed line stays visible on its own
 * row so nothing typed is lost from sight; an empty prompt is wiped.
 */
export function leavePrompt(view: PromptView): string {
  if (view.text === "") return `\r${CLEAR_LINE}`;
  return `\r${CLEAR_LINE}${view.prompt}${view.text}\r\n`;
}

interface Cell {
  text: string;
  /** UTF-16 offset of the grapheme in the line. */
  offset: number;
  column: number;
  width: number;
}

function layout(text: string): Cell[] {
  const cells: Cell[] = [];
  let offset = 0;
  let column = 0;
  for (const part of graphemes(text)) {
    const width = graphemeWidth(part);
    cells.push({ text: part, offset, column, width });
    offset += part.length;
    column += width;
  }
  return cells;
}

function columnAt(cells: Cell[], cursor: number): number {
  let column = 0;
  for (const cell of cells) {
    if (cell.offset >= cursor) break;
    column = cell.column + cell.width;
  }
  return column;
}
