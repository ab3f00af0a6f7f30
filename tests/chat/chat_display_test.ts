import assert from "node:assert/strict";
import { displayLine, localNotice } from "../../lib/chat/chat_display.ts";
import { makeColors, stableColorCode } from "../../lib/output/color.ts";

const plain = makeColors(false);
const color = makeColors(true);
const paint = (nick: string) => `\x1b[${stableColorCode(nick)}m${nick}\x1b[0m`;

Deno.test("displayLine() neutralises escape sequences and control characters", () => {
  assert.equal(displayLine("<bob> \x1b[2K\x1b[1Agotcha", plain), "<bob> ^[[2K^[[1Agotcha");
  assert.equal(displayLine("hi\r<alice> fake", plain), "hi^M<alice> fake");
  assert.equal(displayLine("\x1b]0;title\x07", color), "^[]0;title^G");
  assert.equal(displayLine("a\u202eb\u009bc", plain), "a\\u202Eb\\u009Bc");
  assert.equal(displayLine("日本語 👩‍👩‍👧", plain), "日本語 👩‍👩‍👧");
});

Deno.test("displayLine() leaves lines unchanged with colour off", () => {
  for (const line of ["<bob> hi", "* alice joined", "** bob waves", "*bob* psst", "plain"]) {
    assert.equal(displayLine(line, plain), line);
  }
});

Deno.test("displayLine() paints nicknames in their stable colour", () => {
  assert.equal(displayLine("<bob> hi <x>", color), `<${paint("bob")}> hi <x>`);
  assert.equal(displayLine("** bob waves", color), `** ${paint("bob")} waves`);
  assert.equal(displayLine("*bob* psst", color), `*${paint("bob")}* psst`);
  assert.equal(displayLine("-> *amy* psst", color), `-> *${paint("amy")}* psst`);
  assert.equal(displayLine("<Bob> hi", color), `<${paint("Bob")}> hi`);
  assert.equal(stableColorCode("Bob"), stableColorCode("bob"));
});

Deno.test("displayLine() dims notices and leaves other lines as they are", () => {
  assert.equal(displayLine("* alice joined", color), "\x1b[2m* alice joined\x1b[0m");
  assert.equal(displayLine("HTTP/1.0 200 OK", color), "HTTP/1.0 200 OK");
  assert.equal(displayLine("<not a nick> x", color), "<not a nick> x");
});

Deno.test("displayLine() cannot be tricked into colouring a forged escape", () => {
  const line = displayLine("<\x1b[31mbob> hi", color);
  assert.ok(!line.includes("\x1b[31mbob"));
  assert.ok(line.includes("^[[31mbob"));
});

Deno.test("localNotice() is a sanitised notice", () => {
  assert.equal(localNotice("connection closed by server", plain), "* connection closed by server");
  assert.equal(localNotice("x\x1b", plain), "* x^[");
});
