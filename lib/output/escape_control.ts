/**
 * Makes untrusted text safe to print on a terminal: control characters (C0, DEL, C1)
 * and bidirectional-override characters become visible escapes (`\n`, `\x1b`,
 * `\u{202e}`), so a peer cannot move the cursor, change colours or reorder the line.
 * @module
 */

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

// C0 controls, DEL, C1 controls, and the bidi controls (LRM/RLM, ALM, embeddings,
// overrides and isolates), plus the backslash so escapes stay unambiguous.
// deno-lint-ignore no-control-regex -- matching control characters is the point
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g;

/** Replaces every unsafe character of `text` with a visible escape. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}
