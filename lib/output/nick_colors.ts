/**
 * Nickname colours that tell the people present apart: each nickname gets the lowest
 * colour no one present has (on its join, or when first seen), keeps it while present
 * (also across a rename), and gives it back when it leaves. Only when more people are
 * present than the palette has colours does a newcomer share one (its stable colour).
 * Case does not matter (`Alice` is `alice`). Pure bookkeeping: the caller says who joined,
 * left or was renamed.
 * @module
 */

import { stableColorCode } from "./stable_color.js";

/**
 * The palette, in the order it is handed out: the six normal colours first (red last, so
 * that the first people do not look like errors), then their bright forms.
 */
export const NICK_PALETTE: readonly number[] = [36, 32, 33, 35, 34, 31, 96, 92, 93, 95, 94, 91];

/** Who has which colour right now. */
export class NickColors {
  readonly #palette: readonly number[];
  /** nickname (lower case) → SGR code. */
  readonly #byNick = new Map<string, number>();

  constructor(palette: readonly number[] = NICK_PALETTE) {
    if (palette.length === 0) throw new RangeError("The palette needs at least one colour");
    this.#palette = palette;
  }

  /** The colour of `nick`, given it now if it has none. */
  colorOf(nick: string): number {
    const key = nick.toLowerCase();
    const known = this.#byNick.get(key);
    if (known !== undefined) return known;
    const taken = new Set(this.#byNick.values());
    const code = this.#palette.find((c) => !taken.has(c)) ?? stableColorCode(nick);
    this.#byNick.set(key, code);
    return code;
  }

  /** `nick` left: its colour is free again. */
  left(nick: string): void {
    this.#byNick.delete(nick.toLowerCase());
  }

  /** `oldNick` is now `nick`: same person, same colour. */
  renamed(oldNick: string, nick: string): void {
    const code = this.#byNick.get(oldNick.toLowerCase());
    this.#byNick.delete(oldNick.toLowerCase());
    if (code !== undefined) this.#byNick.set(nick.toLowerCase(), code);
  }
}
