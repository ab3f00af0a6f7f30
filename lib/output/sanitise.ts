/**
 * Making untrusted chat text safe to show on a terminal, and decoding untrusted bytes.
 *
 * `sanitiseText` neutralises everything that could move the cursor, erase, recolour,
 * retitle or reorder what a person sees, so that a line can never overwrite or fake
 * another line or its `<nick>` prefix. Neutralised code points are shown visibly, never
 * passed raw, in one documented way:
 *
 * - C0 controls and DEL in caret notation, as `cat -v` shows them: ESC → `^[`,
 *   CR → `^M`, LF → `^J`, backspace → `^H`, NUL → `^@`, DEL → `^?`. An ANSI/CSI/OSC
 *   sequence therefore shows as harmless text: `\x1b[2K` → `^[[2K`.
 * - TAB becomes one space.
 * - C1 controls (U+0080–U+009F, including NEL U+0085 and the one-byte CSI U+009B), the
 *   line and paragraph separators U+2028/U+2029, and the bidirectional controls
 *   (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) as `\uXXXX`
 *   (four upper-case hex digits): U+202E → `\u202E`.
 * - Lone UTF-16 surrogates become U+FFFD.
 *
 * Everything else, including all valid non-ASCII text and emoji (with their joiners),
 * is kept as is.
 * @module
 */

/** Code points that `sanitiseText` replaces (control characters on purpose). */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");

/** The visible form of one unsafe code point (see the module doc). */
export function visibleForm(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x09) return " ";
  if (code < 0x20) return "^" + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return "^?";
  return "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Neutralises `text` for display: control characters, escape sequences, line breaks
 * and bidi controls become visible text (see the module doc). Returns `text` itself
 * when nothing needs changing.
 * @example
 * sanitiseText("hi\r<bob> fake"); // "hi^M<bob> fake"
 * sanitiseText("\x1b[2Kgone");    // "^[[2Kgone"
 */
export function sanitiseText(text: string): string {
  const whole = text.isWellFormed() ? text : text.toWellFormed();
  if (!UNSAFE.test(whole)) return whole;
  return whole.replace(UNSAFE_ALL, visibleForm);
}

const lossyDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Decodes UTF-8, turning every invalid byte sequence into U+FFFD (never throws).
 * A leading byte-order mark is kept (it is text the sender sent).
 */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return lossyDecoder.decode(bytes);
}
