import assert from "node:assert/strict";
import {
  drawPrompt,
  leavePrompt,
  printAbove,
  type PromptView,
} from "../../lib/chat/prompt_view.ts";
import { VirtualTerminal } from "../_helpers/vt.ts";

function view(text: string, cursor = text.length, columns = 20, scroll = 0): PromptView {
  return { prompt: "> ", promptWidth: 2, text, cursor, columns, scroll };
}

Deno.test("drawPrompt() draws the prompt, the text and puts the cursor in place", () => {
  const vt = new VirtualTerminal(20, 3).write(drawPrompt(view("hello", 2)).output);
  assert.deepEqual(vt.lines(), ["> hello"]);
  assert.deepEqual([vt.row, vt.column], [0, 4]);
});

Deno.test("drawPrompt() redraws over a longer previous line", () => {
  const vt = new VirtualTerminal(20, 3);
  vt.write(drawPrompt(view("hello world")).output).write(drawPrompt(view("hi")).output);
  assert.deepEqual(vt.lines(), ["> hi"]);
  assert.equal(vt.column, 4);
});

Deno.test("drawPrompt() places the cursor by columns for wide and combining text", () => {
  const vt = new VirtualTerminal(20, 3).write(drawPrompt(view("日本e\u0301x", 4)).output);
  assert.deepEqual(vt.lines(), ["> 日本e\u0301x"]);
  assert.equal(vt.column, 2 + 4 + 1);
});

Deno.test("drawPrompt() scrolls a long line sideways and keeps the cursor visible", () => {
  const text = "abcdefghijklmnopqrstuvwxyz0123456789";
  const end = drawPrompt(view(text, text.length, 20));
  const vt = new VirtualTerminal(20, 3).write(end.output);
  assert.equal(vt.lines().length, 1, "never wraps");
  assert.equal(vt.line(0), "> " + text.slice(text.length - 17));
  assert.equal(vt.column, 19);
  const home = drawPrompt({ ...view(text, 0, 20), scroll: end.scroll });
  vt.write(home.output);
  assert.equal(vt.line(0), "> " + text.slice(0, 17));
  assert.equal(vt.column, 2);
  assert.equal(home.scroll, 0);
});

Deno.test("drawPrompt() keeps the scroll while the cursor stays in view", () => {
  const text = "abcdefghijklmnopqrstuvwxyz0123456789";
  const first = drawPrompt(view(text, text.length, 20));
  const next = drawPrompt({ ...view(text, text.length - 3, 20), scroll: first.scroll });
  assert.equal(next.scroll, first.scroll);
});

Deno.test("drawPrompt() never splits a wide character at the window edge", () => {
  const text = "日本語の文章はとても長いですね";
  for (let cursor = 0; cursor <= text.length; cursor++) {
    const vt = new VirtualTerminal(15, 3).write(drawPrompt(view(text, cursor, 15)).output);
    assert.equal(vt.lines().length, 1);
    assert.ok(vt.column <= 14);
  }
});

Deno.test("drawPrompt() drops the prompt on a terminal too narrow for it", () => {
  const vt = new VirtualTerminal(3, 2).write(drawPrompt(view("abc", 3, 3)).output);
  assert.equal(vt.lines().length, 1);
  assert.ok(!vt.line(0).startsWith(">"));
});

Deno.test("printAbove() prints lines above the prompt and redraws the half-typed text", () => {
  const vt = new VirtualTerminal(30, 5);
  vt.write(drawPrompt(view("half typ", 4, 30)).output);
  vt.write(printAbove(["<bob> hello", "* alice joined"], view("half typ", 4, 30)).output);
  assert.deepEqual(vt.lines(), ["<bob> hello", "* alice joined", "> half typ"]);
  assert.deepEqual([vt.row, vt.column], [2, 6]);
});

Deno.test("printAbove() handles lines as wide as the terminal and wider", () => {
  const vt = new VirtualTerminal(10, 6);
  vt.write(drawPrompt(view("x", 1, 10)).output);
  vt.write(printAbove(["0123456789", "abcdefghijKL"], view("x", 1, 10)).output);
  assert.deepEqual(vt.lines(), ["0123456789", "abcdefghij", "KL", "> x"]);
  assert.deepEqual([vt.row, vt.column], [3, 3]);
});

Deno.test("leavePrompt() keeps a half-typed line and wipes an empty prompt", () => {
  const vt = new VirtualTerminal(20, 3).write(drawPrompt(view("unsent", 2)).output);
  vt.write(leavePrompt(view("unsent", 2)));
  assert.deepEqual(vt.lines(), ["> unsent"]);
  assert.deepEqual([vt.row, vt.column], [1, 0]);
  const empty = new VirtualTerminal(20, 3).write(drawPrompt(view("")).output);
  empty.write(leavePrompt(view("")));
  assert.deepEqual(empty.lines(), []);
});
