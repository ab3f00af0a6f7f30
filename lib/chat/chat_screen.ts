/**
 * The interactive client's screen, pure: raw key bytes and received lines in, the exact
 * terminal output and the user's actions (send a line, quit, leave) out. It joins the
 * key decoder, the line editor and the prompt view, so the I/O shell only moves bytes
 * and runs timers. Received lines always go above the prompt, and the half-typed line
 * is redrawn intact after them.
 * @module
 */

import type { Colors } from "../output/color.ts";
import { ChatDisplay, localNotice } from "./chat_display.ts";
import { KeyDecoder } from "./key_decoder.ts";
import { LineEditor } from "./line_editor.ts";
import {
  CLEAR_SCREEN,
  drawPrompt,
  leavePrompt,
  printAbove,
  type PromptView,
} from "./prompt_view.ts";
import { textWidth } from "./text_width.ts";

/** What the user asked for with the keys just typed. */
export type ScreenAction =
  /** Enter: send `line` (without its newline). */
  | { kind: "send"; line: string }
  /** `/quit` was entered: send `line`, then leave. */
  | { kind: "quit"; line: string }
  /** Ctrl-D on an empty line. */
  | { kind: "eof" }
  /** Ctrl-C. */
  | { kind: "interrupt" };

/** Terminal output plus the actions the input asked for. */
export interface ScreenUpdate {
  output: string;
  actions: ScreenAction[];
}

/** Settings of a screen. */
export interface ScreenOptions {
  /** Terminal width in columns. */
  columns: number;
  colors: Colors;
  /** The prompt text (default `"> "`). */
  prompt?: string;
  /**
   * Whether a sent line stays on screen after the prompt (default true). The operator's
   * console turns it off: the line comes back once, as the transcript shows it.
   */
  keepSent?: boolean;
  /**
   * Whether `/quit` and Ctrl-D leave (default true). The operator's console stays: its
   * `/quit` is sent as typed, and Ctrl-D is reported (`eof`) but the prompt remains.
   */
  mayLeave?: boolean;
}

/** True for a line that asks to leave: `/quit` with an optional reason. */
export function isQuitCommand(line: string): boolean {
  return /^\/quit(\s|$)/i.test(line.trim());
}

/** The screen of one interactive session. */
export class ChatScreen {
  readonly #decoder = new KeyDecoder();
  readonly #editor = new LineEditor();
  readonly #colors: Colors;
  readonly #display: ChatDisplay;
  readonly #prompt: string;
  readonly #promptWidth: number;
  readonly #keepSent: boolean;
  readonly #mayLeave: boolean;
  #columns: number;
  #scroll = 0;
  /** Set once the user asked to leave: later keys are ignored. */
  #leaving = false;

  constructor(options: ScreenOptions) {
    const prompt = options.prompt ?? "> ";
    this.#colors = options.colors;
    this.#display = new ChatDisplay(options.colors);
    this.#prompt = options.colors.bold(prompt);
    this.#promptWidth = textWidth(prompt);
    this.#keepSent = options.keepSent ?? true;
    this.#mayLeave = options.mayLeave ?? true;
    this.#columns = Math.max(1, options.columns);
  }

  /** The line being typed (for tests and diagnostics). */
  get text(): string {
    return this.#editor.text;
  }

  /** True while a lone ESC waits: call `flushEscape()` after `ESCAPE_TIMEOUT_MS`. */
  get escapePending(): boolean {
    return this.#decoder.pending;
  }

  /** The first draw of the prompt. */
  start(): string {
    return this.#draw();
  }

  /** Handles raw bytes typed on the terminal. */
  input(bytes: Uint8Array): ScreenUpdate {
    return this.#keys(this.#decoder.feed(bytes));
  }

  /** Settles a pending lone ESC (after the escape timeout). */
  flushEscape(): ScreenUpdate {
    return this.#keys(this.#decoder.flush());
  }

  /** Shows received lines (raw, unsanitised text without line endings) above the prompt. */
  received(lines: readonly string[]): string {
    if (lines.length === 0) return "";
    return this.#above(lines.map((line) => this.#display.line(line)));
  }

  /** Shows lines that are ready for the terminal (sanitised, coloured) above the prompt. */
  print(lines: readonly string[]): string {
    return lines.length === 0 ? "" : this.#above([...lines]);
  }

  /** Shows a notice of the client itself (`* connection closed by server`). */
  notice(text: string): string {
    return this.#above([localNotice(text, this.#colors)]);
  }

  /** The terminal was resized. */
  resize(columns: number): string {
    this.#columns = Math.max(1, columns);
    return this.#draw();
  }

  /** Leaves the prompt row for good; a half-typed line stays visible. */
  leave(): string {
    this.#leaving = true;
    return leavePrompt(this.#view());
  }

  /** Notices printed at exit: the prompt row is gone, so they are plain lines. */
  finalNotice(text: string): string {
    return `${localNotice(text, this.#colors)}\r\n`;
  }

  #keys(keys: ReturnType<KeyDecoder["feed"]>): ScreenUpdate {
    let output = "";
    const actions: ScreenAction[] = [];
    let dirty = false;
    for (const key of keys) {
      if (this.#leaving) break;
      const outcome = this.#editor.apply(key);
      switch (outcome.kind) {
        case "none":
          break;
        case "changed":
          dirty = true;
          break;
        case "clear-screen":
          output += CLEAR_SCREEN;
          dirty = true;
          break;
        case "submit": {
          // The sent line stays in the scrollback as typed, like a shell's.
          if (this.#keepSent) {
            output += this.#above([this.#prompt + outcome.line]);
            dirty = false;
          } else dirty = true;
          if (this.#mayLeave && isQuitCommand(outcome.line)) {
            actions.push({ kind: "quit", line: outcome.line });
            this.#leaving = true;
          } else {
            actions.push({ kind: "send", line: outcome.line });
          }
          break;
        }
        case "eof":
        case "interrupt":
          actions.push({ kind: outcome.kind });
          if (outcome.kind === "interrupt" || this.#mayLeave) this.#leaving = true;
          break;
      }
    }
    if (dirty && !this.#leaving) output += this.#draw();
    return { output, actions };
  }

  #view(): PromptView {
    return {
      prompt: this.#prompt,
      promptWidth: this.#promptWidth,
      text: this.#editor.text,
      cursor: this.#editor.cursor,
      columns: this.#columns,
      scroll: this.#scroll,
    };
  }

  #draw(): string {
    if (this.#leaving) return "";
    const draw = drawPrompt(this.#view());
    this.#scroll = draw.scroll;
    return draw.output;
  }

  #above(lines: string[]): string {
    if (this.#leaving) return lines.map((line) => `\r\x1b[2K${line}\r\n`).join("");
    const draw = printAbove(lines, this.#view());
    this.#scroll = draw.scroll;
    return draw.output;
  }
}
