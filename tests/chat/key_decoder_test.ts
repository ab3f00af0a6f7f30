import assert from "node:assert/strict";
import { type Key, KeyDecoder } from "../../lib/chat/key_decoder.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const key = (name: string): Key => ({ kind: "key", name } as Key);
const text = (value: string): Key => ({ kind: "text", text: value });

function decode(...chunks: (string | Uint8Array)[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) => decoder.feed(typeof chunk === "string" ? utf8(chunk) : chunk));
}

Deno.test("KeyDecoder turns printable input into one text key per run", () => {
  assert.deepEqual(decode("hello"), [text("hello")]);
  assert.deepEqual(decode("héllo 日本 👩‍👩‍👧"), [text("héllo 日本 👩‍👩‍👧")]);
});

Deno.test("KeyDecoder completes a UTF-8 character split across reads", () => {
  const bytes = utf8("é日👍");
  const keys = decode(...Array.from(bytes, (b) => new Uint8Array([b])));
  assert.equal(keys.map((k) => (k.kind === "text" ? k.text : "")).join(""), "é日👍");
});

Deno.test("KeyDecoder maps control bytes to editing keys", () => {
  assert.deepEqual(decode("\x01\x05\x02\x06\x15\x0b\x17\x19\x14\x0c\x10\x0e\x03\x04"), [
    key("home"),
    key("end"),
    key("left"),
    key("right"),
    key("kill-to-start"),
    key("kill-to-end"),
    key("kill-word-back"),
    key("yank"),
    key("transpose"),
    key("clear-screen"),
    key("up"),
    key("down"),
    key("interrupt"),
    key("eof"),
  ]);
  assert.deepEqual(decode("\x7f\x08"), [key("backspace"), key("backspace")]);
});

Deno.test("KeyDecoder treats CR, LF and CRLF each as one Enter", () => {
  assert.deepEqual(decode("a\rb"), [text("a"), key("enter"), text("b")]);
  assert.deepEqual(decode("a\nb"), [text("a"), key("enter"), text("b")]);
  assert.deepEqual(decode("a\r\nb"), [text("a"), key("enter"), text("b")]);
  assert.deepEqual(decode("a\r", "\nb"), [text("a"), key("enter"), text("b")]);
  assert.deepEqual(decode("\r\r"), [key("enter"), key("enter")]);
});

Deno.test("KeyDecoder decodes CSI and SS3 cursor keys, also with modifiers", () => {
  assert.deepEqual(decode("\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F"), [
    key("up"),
    key("down"),
    key("right"),
    key("left"),
    key("home"),
    key("end"),
  ]);
  assert.deepEqual(decode("\x1bOA\x1bOD\x1bOH\x1bOF"), [
    key("up"),
    key("left"),
    key("home"),
    key("end"),
  ]);
  assert.deepEqual(decode("\x1b[1~\x1b[3~\x1b[4~\x1b[7~\x1b[8~"), [
    key("home"),
    key("delete"),
    key("end"),
    key("home"),
    key("end"),
  ]);
  assert.deepEqual(decode("\x1b[1;5C\x1b[1;5D\x1b[1;3D"), [
    key("word-right"),
    key("word-left"),
    key("word-left"),
  ]);
});

Deno.test("KeyDecoder decodes Alt (meta) keys", () => {
  assert.deepEqual(decode("\x1bb\x1bf\x1bd\x1b\x7f"), [
    key("word-left"),
    key("word-right"),
    key("kill-word-forward"),
    key("kill-word-back"),
  ]);
});

Deno.test("KeyDecoder completes an escape sequence split across reads", () => {
  assert.deepEqual(decode("ab\x1b", "[", "1;5", "C", "cd"), [
    text("ab"),
    key("word-right"),
    text("cd"),
  ]);
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.feed(utf8("\x1b")), []);
  assert.equal(decoder.pending, true);
  assert.deepEqual(decoder.feed(utf8("[A")), [key("up")]);
  assert.equal(decoder.pending, false);
});

Deno.test("KeyDecoder settles a lone ESC only on flush()", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.feed(utf8("\x1b")), []);
  assert.deepEqual(decoder.flush(), [key("escape")]);
  assert.deepEqual(decoder.feed(utf8("x")), [text("x")]);
  assert.deepEqual(decoder.flush(), []);
});

Deno.test("KeyDecoder drops unknown and unfinished sequences, never as text", () => {
  assert.deepEqual(decode("\x1b[200~x\x1b[99Zy\x1b[5~z"), [text("x"), text("y"), text("z")]);
  assert.deepEqual(decode("\x1b]0;title\x07ok"), [text("0;titleok")]);
  const decoder = new KeyDecoder();
  decoder.feed(utf8("\x1b[12;"));
  assert.deepEqual(decoder.flush(), []);
  assert.deepEqual(decoder.feed(utf8("q")), [text("q")]);
});

Deno.test("KeyDecoder lets a control key break off a pending sequence", () => {
  assert.deepEqual(decode("\x1b[", "\x03"), [key("interrupt")]);
  assert.deepEqual(decode("\x1b", "\r"), [key("escape"), key("enter")]);
  assert.deepEqual(decode("\x1b\x1b[A"), [key("escape"), key("up")]);
});

Deno.test("KeyDecoder drops C1 controls, invalid UTF-8 and other control bytes", () => {
  assert.deepEqual(decode(new Uint8Array([0xc2, 0x9b, 0x61])), [text("a")]);
  assert.deepEqual(decode(new Uint8Array([0xff, 0x61, 0xc3, 0x62])), [text("ab")]);
  assert.deepEqual(decode(new Uint8Array([0xed, 0xa0, 0x80, 0x63])), [text("c")]);
  assert.deepEqual(decode("a\x00\x07\x1cb"), [text("ab")]);
  assert.deepEqual(decode("a\tb"), [text("a b")]);
});
