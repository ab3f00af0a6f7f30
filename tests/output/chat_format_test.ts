import assert from "node:assert/strict";
import { makeColors } from "../../lib/output/color.ts";
import { formatChatEvent, formatEventText } from "../../lib/output/text_format.ts";
import { NICK_PALETTE, NickColors } from "../../lib/output/nick_colors.ts";

const plain = makeColors(false);

Deno.test("formatChatEvent() writes the transcript lines of the chat server", () => {
  assert.equal(
    formatChatEvent(
      { type: "joined", nick: "guest1", peer: "127.0.0.1:5", transport: "web" },
      plain,
    ),
    "* guest1 joined from 127.0.0.1:5 (web)",
  );
  assert.equal(
    formatChatEvent({ type: "left", nick: "bob", peer: "p", reason: "quit", text: "bye" }, plain),
    "* bob left (quit: bye)",
  );
  assert.equal(
    formatChatEvent({ type: "left", nick: "bob", peer: "p", reason: "slow" }, plain),
    "* bob left (not reading)",
  );
  assert.equal(
    formatChatEvent({ type: "renamed", nick: "alice", oldNick: "guest1", peer: "p" }, plain),
    "* guest1 is now known as alice",
  );
  assert.equal(
    formatChatEvent({ type: "message", nick: "alice", peer: "p", text: "hi" }, plain),
    "<alice> hi",
  );
  assert.equal(
    formatChatEvent(
      { type: "message", nick: "alice", peer: "p", text: "waves", action: true },
      plain,
    ),
    "** alice waves",
  );
  assert.equal(
    formatChatEvent({ type: "message", nick: "alice", peer: "p", text: "psst", to: "bob" }, plain),
    "*alice -> bob* psst",
  );
});

Deno.test("formatChatEvent() colours nicknames when colour is on", () => {
  const line = formatChatEvent(
    { type: "message", nick: "alice", peer: "p", text: "hi" },
    makeColors(true),
  );
  // deno-lint-ignore no-control-regex
  assert.match(line, /^<\x1b\[\d+malice\x1b\[0m> hi$/);
});

Deno.test("chat events have no stderr line (the transcript is on stdout)", () => {
  assert.equal(
    formatEventText({ type: "joined", nick: "a", peer: "p", transport: "tcp" }, plain),
    null,
  );
});

Deno.test("formatChatEvent() with NickColors colours the people present apart, a rename keeps one", () => {
  const color = makeColors(true);
  const nicks = new NickColors();
  const joined = (nick: string) =>
    formatChatEvent({ type: "joined", nick, peer: "p", transport: "tcp" }, color, nicks);
  assert.match(joined("bob"), new RegExp(`\\x1b\\[${NICK_PALETTE[0]}mbob`));
  assert.match(joined("netcat"), new RegExp(`\\x1b\\[${NICK_PALETTE[1]}mnetcat`));
  const renamed = formatChatEvent(
    { type: "renamed", nick: "nc", oldNick: "netcat", peer: "p" },
    color,
    nicks,
  );
  assert.match(
    renamed,
    new RegExp(`\\x1b\\[${NICK_PALETTE[1]}mnetcat.*\\x1b\\[${NICK_PALETTE[1]}mnc`),
  );
  formatChatEvent({ type: "left", nick: "bob", peer: "p", reason: "eof" }, color, nicks);
  assert.match(joined("carol"), new RegExp(`\\x1b\\[${NICK_PALETTE[0]}mcarol`));
});
