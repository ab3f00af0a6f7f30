/**
 * ANSI colours, used only when the stream is a terminal and colour is not turned off
 * (`--no-color` or `NO_COLOR`).
 * @module
 */

import { stableColorCode } from "./stable_color.js";

export { stableColorCode };

/** A function that wraps text in one colour, or returns it unchanged. */
export type Paint = (text: string) => string;

/** The palette handed to formatters; every entry is the identity when colour is off. */
export interface Colors {
  enabled: boolean;
  dim: Paint;
  bold: Paint;
  red: Paint;
  yellow: Paint;
  green: Paint;
  cyan: Paint;
  /** A stable colour picked from the text itself (for nicknames). */
  stable: Paint;
  /** `text` in the colour with SGR code `code` (a nickname colour). */
  code: (code: number, text: string) => string;
}

function sgr(code: number): Paint {
  return (text) => `\x1b[${code}m${text}\x1b[0m`;
}

/** Builds the palette; `enabled` false gives identity functions. */
export function makeColors(enabled: boolean): Colors {
  if (!enabled) {
    const id: Paint = (text) => text;
    return {
      enabled,
      dim: id,
      bold: id,
      red: id,
      yellow: id,
      green: id,
      cyan: id,
      stable: id,
      code: (_code, text) => text,
    };
  }
  return {
    enabled,
    dim: sgr(2),
    bold: sgr(1),
    red: sgr(31),
    yellow: sgr(33),
    green: sgr(32),
    cyan: sgr(36),
    stable: (text) => sgr(stableColorCode(text))(text),
    code: (code, text) => sgr(code)(text),
  };
}

/** Decides whether to colour a stream: a terminal, and neither `--no-color` nor `NO_COLOR`. */
export function shouldColor(isTerminal: boolean, flag: boolean, env: string | undefined): boolean {
  return isTerminal && flag && (env === undefined || env === "");
}
