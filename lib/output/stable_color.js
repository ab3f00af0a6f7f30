// @ts-check
/**
 * The stable nickname colour, shared by the terminal (`color.ts` paints it as an SGR code)
 * and the browser page (served as a module and mapped to a CSS class), so that alice has
 * the same colour everywhere. Plain JavaScript with JSDoc types: the browser loads it as
 * is, with no build step.
 * @module
 */

/** The SGR foreground codes a nickname can get (normal and bright, no black or white). */
export const STABLE_CODES = Object.freeze([31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96]);

/**
 * Picks one of `STABLE_CODES` from a string, ignoring case (FNV-1a hash).
 * @param {string} text
 * @returns {number}
 */
export function stableColorCode(text) {
  let hash = 0x811c9dc5;
  for (const char of text.toLowerCase()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return STABLE_CODES[hash % STABLE_CODES.length] ?? 36;
}
