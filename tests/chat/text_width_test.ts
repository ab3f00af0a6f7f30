import assert from "node:assert/strict";
import { codePointWidth, graphemes, textWidth } from "../../lib/chat/text_width.ts";

Deno.test("textWidth() counts ASCII and Latin as one column each", () => {
  assert.equal(textWidth("hello"), 5);
  assert.equal(textWidth("héllo wörld"), 11);
  assert.equal(textWidth(""), 0);
});

Deno.test("textWidth() counts CJK, fullwidth and emoji as two columns", () => {
  assert.equal(textWidth("日本語"), 6);
  assert.equal(textWidth("한국"), 4);
  assert.equal(textWidth("ＡＢ"), 4);
  assert.equal(textWidth("👍"), 2);
  assert.equal(textWidth("👩‍👩‍👧"), 2);
  assert.equal(textWidth("🇫🇷"), 2);
  assert.equal(textWidth("❤️"), 2);
});

Deno.test("textWidth() counts combining marks and zero-width characters as nothing", () => {
  assert.equal(textWidth("e\u0301"), 1);
  assert.equal(textWidth("a\u200bb"), 2);
  assert.equal(codePointWidth(0x0301), 0);
  assert.equal(codePointWidth(0x200d), 0);
  assert.equal(codePointWidth(0x1b), 0);
});

Deno.test("graphemes() keeps clusters whole", () => {
  assert.deepEqual(graphemes("ae\u0301👩‍👩‍👧"), ["a", "e\u0301", "👩‍👩‍👧"]);
});
