import assert from "node:assert/strict";
import {
  isGuestName,
  MAX_NICK_LENGTH,
  nickKey,
  nickProblem,
  quoteName,
} from "../../lib/chat/nick.ts";

Deno.test("nickProblem() accepts letters, digits, _ and -, starting with a letter, up to 20", () => {
  for (const ok of ["a", "alice", "Bob_2", "x-y", "A".repeat(MAX_NICK_LENGTH)]) {
    assert.equal(nickProblem(ok), null, ok);
  }
  assert.equal(nickProblem(""), "a nickname cannot be empty");
  assert.match(nickProblem("A".repeat(MAX_NICK_LENGTH + 1))!, /too long: at most 20/);
  for (const bad of ["1abc", "_x", "a b", "a.b", "ä", "a<b>", "a\x1b", "-x", "a\u202E"]) {
    assert.match(nickProblem(bad)!, /use only letters A-Z/, bad);
  }
});

Deno.test("nicknames compare ignoring case; guestN names are recognised", () => {
  assert.equal(nickKey("Alice"), nickKey("aLICE"));
  assert.ok(isGuestName("guest12"));
  assert.ok(isGuestName("GUEST3"));
  assert.ok(!isGuestName("guest"));
  assert.ok(!isGuestName("guestx1"));
});

Deno.test("quoteName() shortens long names for messages", () => {
  assert.equal(quoteName("bob"), '"bob"');
  assert.equal(quoteName("x".repeat(40)), `"${"x".repeat(32)}…"`);
});
