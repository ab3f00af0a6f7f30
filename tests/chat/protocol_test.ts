import assert from "node:assert/strict";
import {
  formatAction,
  formatMessage,
  formatNotice,
  formatPrivate,
  formatPrivateEcho,
  parseInput,
  parseWireLine,
} from "../../lib/chat/protocol.ts";

Deno.test("parseInput() tells messages, commands, unknown commands and blank lines apart", () => {
  assert.deepEqual(parseInput("hello"), { kind: "message", text: "hello" });
  assert.deepEqual(parseInput("  "), { kind: "empty" });
  assert.deepEqual(parseInput(""), { kind: "empty" });
  assert.deepEqual(parseInput("/nick  alice "), { kind: "command", name: "nick", arg: "alice" });
  assert.deepEqual(parseInput("/NICK bob"), { kind: "command", name: "nick", arg: "bob" });
  assert.deepEqual(parseInput("/who"), { kind: "command", name: "who", arg: "" });
  assert.deepEqual(parseInput("/msg bob hi there"), {
    kind: "command",
    name: "msg",
    arg: "bob hi there",
  });
  assert.deepEqual(parseInput("/me  waves"), { kind: "command", name: "me", arg: "waves" });
  assert.deepEqual(parseInput("/quit"), { kind: "command", name: "quit", arg: "" });
  assert.deepEqual(parseInput("/help"), { kind: "command", name: "help", arg: "" });
  assert.deepEqual(parseInput("/usr/bin is big"), {
    kind: "unknown",
    name: "/usr/bin",
    arg: "is big",
  });
  assert.deepEqual(parseInput("/"), { kind: "unknown", name: "/", arg: "" });
  assert.deepEqual(parseInput("//etc"), { kind: "message", text: "/etc" });
  assert.deepEqual(parseInput(" /nick x"), { kind: "message", text: " /nick x" });
});

Deno.test("wire lines: every kind has a prefix only the server writes", () => {
  assert.equal(formatMessage("alice", "hi"), "<alice> hi");
  assert.equal(formatAction("alice", "waves"), "** alice waves");
  assert.equal(formatPrivate("alice", "psst"), "*alice* psst");
  assert.equal(formatPrivateEcho("bob", "psst"), "-> *bob* psst");
  assert.equal(formatNotice("bob joined"), "* bob joined");
  const kind = (line: string) => parseWireLine(line).kind;
  assert.equal(kind("<alice> hi"), "message");
  assert.equal(kind("** alice waves"), "action");
  assert.equal(kind("*alice* psst"), "private");
  assert.equal(kind("-> *bob* psst"), "private-echo");
  assert.equal(kind("* bob joined"), "notice");
  assert.equal(kind("hello"), "other");
  // A /me action can never look like a notice.
  assert.equal(kind(formatAction("bob", "left")), "action");
  assert.deepEqual(parseWireLine("-> *bob* psst"), {
    kind: "private-echo",
    before: "-> *",
    nick: "bob",
    after: "* psst",
  });
});
