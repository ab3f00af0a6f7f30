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

/** True when `text` needs no change to be shown safely. */
export function isSafeText(text: string): boolean {
  return !UNSAFE.test(text) && text.isWellFormed();
}

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

/**
 * The length of the longest prefix of `bytes` that does not end inside a multi-byte
 * UTF-8 character: a character split across two reads stays whole if only this prefix
 * is decoded now and the rest is kept for the next read. Invalid bytes count as
 * complete (they decode to U+FFFD either way).
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  // A character is at most 4 bytes: look back at most 3 bytes for its lead byte.
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 && byte <= 0xf4
      ? 4
      : byte >= 0xe0 && byte <= 0xef
      ? 3
      : byte >= 0xc2 && byte <= 0xdf
      ? 2
      : 1;
    return need > back ? end - back : end;
  }
  return end;
}

/**
 * A streaming lossy UTF-8 decoder: characters split across chunks are decoded whole,
 * invalid bytes become U+FFFD. For callers that get text in pieces (TCP reads).
 */
export class Utf8Stream {
  #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  /** Decodes the next chunk; an incomplete character at its end waits for the next one. */
  decode(chunk: Uint8Array): string {
    return this.#decoder.decode(chunk, { stream: true });
  }

  /** Ends the stream: a dangling incomplete character becomes U+FFFD. */
  end(): string {
    return this.#decoder.decode();
  }
}
