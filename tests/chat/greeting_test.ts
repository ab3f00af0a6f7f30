import assert from "node:assert/strict";
import { greetingVerdict, MAX_GREETING_BYTES } from "../../lib/chat/greeting.ts";
import { formatWelcome } from "../../lib/chat/protocol.ts";
import { utf8 } from "../_helpers/bytes.ts";

Deno.test("greetingVerdict() knows sockchat by its welcome, after any replayed history", () => {
  assert.equal(greetingVerdict(utf8(formatWelcome("guest2", 2) + "\n")), "sockchat");
  assert.equal(
    greetingVerdict(
      utf8(`-- history --\n<alice> hi\n** bob waves\n-- now --\n${formatWelcome("guest9", 3)}\r\n`),
    ),
    "sockchat",
  );
});

Deno.test("greetingVerdict() waits for a whole line, and says other for anything else", () => {
  assert.equal(greetingVerdict(utf8("")), "undecided");
  assert.equal(greetingVerdict(utf8("* welcome, you are gue")), "undecided");
  assert.equal(greetingVerdict(utf8("<alice> hi\n")), "undecided");
  for (const first of ["Welcome to ncat chat\n", "* server full (2 clients)\n", "hello\n", "\n"]) {
    assert.equal(greetingVerdict(utf8(first)), "other", first);
  }
  assert.equal(greetingVerdict(new Uint8Array(MAX_GREETING_BYTES).fill(0x61)), "other");
});
