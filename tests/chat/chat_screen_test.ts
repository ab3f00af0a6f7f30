import assert from "node:assert/strict";
import { ChatScreen, isQuitCommand } from "../../lib/chat/chat_screen.ts";
import { makeColors } from "../../lib/output/color.ts";
import { VirtualTerminal } from "../_helpers/vt.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

function setup(columns = 40) {
  const screen = new ChatScreen({ columns, colors: makeColors(false) });
  const vt = new VirtualTerminal(columns, 8);
  vt.write(screen.start());
  const type = (text: string) => {
    const update = screen.input(utf8(text));
    vt.write(update.output);
    return update.actions;
  };
  return { screen, vt, type };
}

Deno.test("ChatScreen echoes typed text on the prompt row", () => {
  const { vt, type } = setup();
  assert.deepEqual(type("hello"), []);
  assert.deepEqual(vt.lines(), ["> hello"]);
  assert.equal(vt.column, 7);
});

Deno.test("ChatScreen shows received lines above a half-typed line, which stays intact", () => {
  const { screen, vt, type } = setup();
  type("half typed\x1b[D\x1b[D");
  vt.write(screen.received(["<bob> hi there", "* carol joined"]));
  assert.deepEqual(vt.lines(), ["<bob> hi there", "* carol joined", "> half typed"]);
  assert.deepEqual([vt.row, vt.column], [2, 10]);
  type("X");
  assert.equal(vt.line(2), "> half typXed");
  assert.equal(screen.text, "half typXed");
});

Deno.test("ChatScreen sanitises what it receives", () => {
  const { screen, vt } = setup();
  vt.write(screen.received(["\x1b[2J\x1b[Hpwned\r<alice> fake"]));
  assert.deepEqual(vt.lines(), ["^[[2J^[[Hpwned^M<alice> fake", ">"]);
});

Deno.test("ChatScreen Enter sends the line and leaves it in the scrollback", () => {
  const { vt, type } = setup();
  assert.deepEqual(type("hello\r"), [{ kind: "send", line: "hello" }]);
  assert.deepEqual(vt.lines(), ["> hello", ">"]);
  assert.deepEqual([vt.row, vt.column], [1, 2]);
  assert.deepEqual(type("a\rb\r"), [{ kind: "send", line: "a" }, { kind: "send", line: "b" }]);
});

Deno.test("ChatScreen /quit, Ctrl-D and Ctrl-C end the input", () => {
  assert.deepEqual(setup().type("/quit bye\rignored\r"), [{ kind: "quit", line: "/quit bye" }]);
  assert.deepEqual(setup().type("\x04"), [{ kind: "eof" }]);
  assert.deepEqual(setup().type("abc\x03more\r"), [{ kind: "interrupt" }]);
  assert.deepEqual(setup().type("abc\x04"), []);
});

Deno.test("ChatScreen leave() keeps unsent text visible, then plain lines follow", () => {
  const { screen, vt, type } = setup();
  type("unsent\x03");
  vt.write(screen.leave()).write(screen.finalNotice("connection closed by server"));
  assert.deepEqual(vt.lines(), ["> unsent", "* connection closed by server"]);
  assert.deepEqual([vt.row, vt.column], [2, 0]);
});

Deno.test("ChatScreen after /quit shows the server's goodbye as plain lines", () => {
  const { screen, vt, type } = setup();
  type("/quit\r");
  vt.write(screen.received(["* bye"])).write(screen.leave());
  assert.deepEqual(vt.lines(), ["> /quit", "* bye"]);
  assert.deepEqual([vt.row, vt.column], [2, 0]);
});

Deno.test("ChatScreen settles a lone Esc after the timeout and keeps the line", () => {
  const { screen, vt, type } = setup();
  type("ab\x1b");
  assert.equal(screen.escapePending, true);
  vt.write(screen.flushEscape().output);
  assert.equal(screen.escapePending, false);
  type("c");
  assert.equal(vt.line(0), "> abc");
});

Deno.test("ChatScreen Ctrl-L clears the screen and redraws the prompt", () => {
  const { screen, vt, type } = setup();
  vt.write(screen.received(["one", "two"]));
  type("draft\x0c");
  assert.deepEqual(vt.lines(), ["> draft"]);
});

Deno.test("ChatScreen redraws for a new width", () => {
  const { screen, vt, type } = setup(40);
  type("x".repeat(30));
  const narrow = new VirtualTerminal(20, 4).write(screen.resize(20));
  assert.equal(narrow.lines().length, 1);
  assert.equal(narrow.column, 19);
  assert.equal(vt.line(0), "> " + "x".repeat(30));
});

Deno.test("isQuitCommand() matches /quit with or without a reason only", () => {
  assert.ok(isQuitCommand("/quit"));
  assert.ok(isQuitCommand("/QUIT see you"));
  assert.ok(isQuitCommand("  /quit  "));
  assert.ok(!isQuitCommand("/quitter"));
  assert.ok(!isQuitCommand("//quit"));
  assert.ok(!isQuitCommand("quit"));
});
