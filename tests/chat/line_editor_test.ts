import assert from "node:assert/strict";
import type { Key, KeyName } from "../../lib/chat/key_decoder.ts";
import { HISTORY_LIMIT, LineEditor } from "../../lib/chat/line_editor.ts";

const k = (name: KeyName): Key => ({ kind: "key", name });
const t = (text: string): Key => ({ kind: "text", text });

/** Applies keys; returns the editor. */
function edit(...keys: (Key | string)[]): LineEditor {
  const editor = new LineEditor();
  for (const key of keys) editor.apply(typeof key === "string" ? t(key) : key);
  return editor;
}

/** The line with `|` at the cursor. */
function shown(editor: LineEditor): string {
  return editor.text.slice(0, editor.cursor) + "|" + editor.text.slice(editor.cursor);
}

Deno.test("LineEditor inserts text at the cursor", () => {
  assert.equal(shown(edit("hello")), "hello|");
  assert.equal(shown(edit("hllo", k("home"), k("right"), "e")), "he|llo");
  assert.equal(shown(edit("world", k("home"), "hello ")), "hello |world");
});

Deno.test("LineEditor leaves control and bidi characters out of the line", () => {
  assert.equal(shown(edit("a\x1b[2Kb\u202ec\u2066d\r\ne\u0085f")), "a[2Kbcdef|");
  assert.equal(edit("\x07").apply(t("\x00")).kind, "none");
});

Deno.test("LineEditor moves and deletes whole graphemes (accents, emoji, CJK)", () => {
  const accented = "e\u0301"; // é as e + combining acute
  assert.equal(shown(edit(`a${accented}b`, k("left"), k("left"))), `a|${accented}b`);
  assert.equal(shown(edit(`a${accented}`, k("backspace"))), "a|");
  const family = "👩‍👩‍👧";
  assert.equal(shown(edit(`x${family}y`, k("left"), k("backspace"))), "x|y");
  assert.equal(shown(edit("日本語", k("home"), k("delete"))), "|本語");
  assert.equal(shown(edit("🇫🇷🇩🇪", k("left"))), "🇫🇷|🇩🇪");
});

Deno.test("LineEditor backspace, delete and Ctrl-D at the edges", () => {
  assert.equal(edit().apply(k("backspace")).kind, "none");
  assert.equal(shown(edit("ab", k("backspace"))), "a|");
  assert.equal(edit("ab").apply(k("delete")).kind, "none");
  assert.equal(shown(edit("abc", k("home"), k("delete"))), "|bc");
  assert.equal(shown(edit("abc", k("left"), k("eof"))), "ab|");
  assert.equal(edit("abc").apply(k("eof")).kind, "none");
});

Deno.test("LineEditor Home/End, Ctrl-A/E and word moves", () => {
  assert.equal(shown(edit("one two", k("home"))), "|one two");
  assert.equal(shown(edit("one two", k("home"), k("end"))), "one two|");
  assert.equal(shown(edit("one two  three", k("word-left"))), "one two  |three");
  assert.equal(shown(edit("one two  three", k("word-left"), k("word-left"))), "one |two  three");
  assert.equal(shown(edit("one two  three", k("home"), k("word-right"))), "one| two  three");
  assert.equal(edit("x").apply(k("right")).kind, "none");
});

Deno.test("LineEditor Ctrl-U, Ctrl-K, Ctrl-W, Alt-D kill and Ctrl-Y yanks", () => {
  assert.equal(shown(edit("hello world", k("word-left"), k("kill-to-start"))), "|world");
  assert.equal(shown(edit("hello world", k("word-left"), k("kill-to-end"))), "hello |");
  assert.equal(shown(edit("hello big  world", k("kill-word-back"))), "hello big  |");
  assert.equal(shown(edit("hello big world", k("kill-word-back"), k("kill-word-back"))), "hello |");
  assert.equal(shown(edit("a b c", k("home"), k("kill-word-forward"))), "| b c");
  assert.equal(
    shown(edit("hello world", k("kill-word-back"), k("home"), k("yank"))),
    "world|hello ",
  );
  assert.equal(edit("x").apply(k("yank")).kind, "none");
});

Deno.test("LineEditor Ctrl-T swaps the graphemes around the cursor", () => {
  assert.equal(shown(edit("abc", k("left"), k("transpose"))), "acb|");
  assert.equal(shown(edit("abc", k("transpose"))), "acb|");
  assert.equal(shown(edit("a日", k("transpose"))), "日a|");
  assert.equal(edit("abc", k("home")).apply(k("transpose")).kind, "none");
});

Deno.test("LineEditor Enter submits the line and empties the editor", () => {
  const editor = edit("hello", k("home"));
  assert.deepEqual(editor.apply(k("enter")), { kind: "submit", line: "hello" });
  assert.equal(shown(editor), "|");
  assert.deepEqual(editor.apply(k("enter")), { kind: "submit", line: "" });
});

Deno.test("LineEditor Ctrl-D on an empty line is EOF, Ctrl-C always interrupts", () => {
  assert.deepEqual(edit().apply(k("eof")), { kind: "eof" });
  assert.deepEqual(edit("typed").apply(k("interrupt")), { kind: "interrupt" });
  assert.deepEqual(edit().apply(k("clear-screen")), { kind: "clear-screen" });
  assert.deepEqual(edit("x").apply(k("escape")), { kind: "none" });
});

Deno.test("LineEditor history: up/down browse, the draft comes back, no blanks or repeats", () => {
  const editor = edit("one", k("enter"), "two", k("enter"), k("enter"), "two", k("enter"), "dra");
  assert.deepEqual(editor.history, ["one", "two"]);
  editor.apply(k("up"));
  assert.equal(shown(editor), "two|");
  editor.apply(k("up"));
  assert.equal(shown(editor), "one|");
  assert.equal(editor.apply(k("up")).kind, "none");
  editor.apply(k("down"));
  editor.apply(k("down"));
  assert.equal(shown(editor), "dra|");
  assert.equal(editor.apply(k("down")).kind, "none");
});

Deno.test("LineEditor submits an edited history entry as a new entry", () => {
  const editor = edit("hello", k("enter"), k("up"), " again");
  assert.deepEqual(editor.apply(k("enter")), { kind: "submit", line: "hello again" });
  assert.deepEqual(editor.history, ["hello", "hello again"]);
  editor.apply(k("up"));
  assert.equal(editor.text, "hello again");
});

Deno.test("LineEditor keeps at most HISTORY_LIMIT entries", () => {
  const editor = new LineEditor();
  for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
    editor.insert(`line ${i}`);
    editor.apply(k("enter"));
  }
  assert.equal(editor.history.length, HISTORY_LIMIT);
  assert.equal(editor.history[0], "line 5");
});
