import assert from "node:assert/strict";
import { decodeUtf8Lossy, sanitiseText } from "../../lib/output/sanitise.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

/** Safe to show: no control, separator or bidi character, and no lone surrogate. */
function isSafeText(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/.test(text) &&
    text.isWellFormed();
}

Deno.test("sanitiseText() keeps valid text, accents, CJK, emoji and ZWJ sequences as is", () => {
  for (const text of ["hello", "héllo wörld", "日本語", "👩‍👩‍👧 ok", "a<b>c", "ﬁ ⁂ €", ""]) {
    assert.equal(sanitiseText(text), text);
    assert.ok(isSafeText(text));
  }
});

Deno.test("sanitiseText() shows CR, LF, backspace and other C0 controls in caret notation", () => {
  assert.equal(sanitiseText("hi\r<bob> fake"), "hi^M<bob> fake");
  assert.equal(sanitiseText("a\nb"), "a^Jb");
  assert.equal(sanitiseText("abc\b\b\bxyz"), "abc^H^H^Hxyz");
  assert.equal(sanitiseText("\x00\x07\x0b\x0c\x1f"), "^@^G^K^L^_");
  assert.equal(sanitiseText("del\x7f"), "del^?");
});

Deno.test("sanitiseText() turns ANSI CSI and OSC sequences into visible text", () => {
  assert.equal(sanitiseText("\x1b[2K\x1b[1Afake"), "^[[2K^[[1Afake");
  assert.equal(sanitiseText("\x1b]0;pwned\x07"), "^[]0;pwned^G");
  assert.equal(sanitiseText("\x1b]8;;http://x\x1b\\link"), "^[]8;;http://x^[\\link");
  assert.equal(sanitiseText("\x9b2J"), "\\u009B2J"); // one-byte CSI (C1)
});

Deno.test("sanitiseText() shows NEL, line/paragraph separators and bidi controls as \\uXXXX", () => {
  assert.equal(sanitiseText("a\u0085b\u2028c\u2029d"), "a\\u0085b\\u2028c\\u2029d");
  assert.equal(sanitiseText("\u202Eevil"), "\\u202Eevil");
  for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069]) {
    const hex = code.toString(16).toUpperCase();
    assert.equal(sanitiseText(`x${String.fromCharCode(code)}y`), `x\\u${hex}y`);
  }
  assert.equal(sanitiseText("\u200e\u200f\u061c"), "\\u200E\\u200F\\u061C");
});

Deno.test("sanitiseText() turns TAB into a space and lone surrogates into U+FFFD", () => {
  assert.equal(sanitiseText("a\tb"), "a b");
  assert.equal(sanitiseText("x\ud800y"), "x\ufffdy");
  assert.ok(!isSafeText("x\udc00"));
});

Deno.test("sanitiseText() output never contains a control, separator or bidi character", () => {
  let all = "";
  for (let code = 0; code < 0x3000; code++) {
    if (code < 0xd800 || code > 0xdfff) all += String.fromCharCode(code);
  }
  const out = sanitiseText(all);
  assert.ok(isSafeText(out));
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(out, /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
});

Deno.test("decodeUtf8Lossy() turns invalid bytes into U+FFFD and keeps a BOM", () => {
  assert.equal(decodeUtf8Lossy(bytes(0x68, 0xff, 0x69)), "h\ufffdi");
  assert.equal(decodeUtf8Lossy(bytes(0xc3)), "\ufffd");
  assert.equal(decodeUtf8Lossy(bytes(0xef, 0xbb, 0xbf, 0x41)), "\ufeffA");
  assert.equal(decodeUtf8Lossy(bytes(0xed, 0xa0, 0x80)), "\ufffd\ufffd\ufffd"); // surrogate
});
