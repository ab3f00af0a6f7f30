import assert from "node:assert/strict";
import { ChatDisplay, localNotice } from "../../lib/chat/chat_display.ts";
import { NICK_PALETTE } from "../../lib/output/nick_colors.ts";
import { makeColors } from "../../lib/output/color.ts";

const plain = makeColors(false);
const color = makeColors(true);
const paint = (code: number, nick: string) => `\x1b[${code}m${nick}\x1b[0m`;
const dim = (text: string) => `\x1b[2m${text}\x1b[0m`;
/** One line through a fresh display. */
const displayLine = (line: string, colors = plain) => new ChatDisplay(colors).line(line);

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

Deno.test("ChatDisplay paints nicknames, the same one always in the same colour", () => {
  const display = new ChatDisplay(color);
  const [first, second] = NICK_PALETTE;
  assert.equal(display.line("<bob> hi <x>"), `<${paint(first!, "bob")}> hi <x>`);
  assert.equal(display.line("** bob waves"), `** ${paint(first!, "bob")} waves`);
  assert.equal(display.line("*bob* psst"), `*${paint(first!, "bob")}* psst`);
  assert.equal(display.line("-> *amy* psst"), `-> *${paint(second!, "amy")}* psst`);
  assert.equal(display.line("<Bob> hi"), `<${paint(first!, "Bob")}> hi`);
});

Deno.test("ChatDisplay gives the people present distinct colours, reused once someone leaves", () => {
  const display = new ChatDisplay(color);
  // deno-lint-ignore no-control-regex
  const colorOf = (nick: string) => display.line(`<${nick}> x`).match(/^<\x1b\[(\d+)m/)![1];
  const nicks = NICK_PALETTE.map((_, i) => `user${i}`);
  for (const nick of nicks) display.line(`* ${nick} joined`);
  const codes = nicks.map(colorOf);
  assert.equal(new Set(codes).size, NICK_PALETTE.length, "the first N members all differ");
  display.line("* user3 left (closed the connection)");
  display.line("* user3x joined");
  assert.equal(colorOf("user3x"), codes[3], "the colour of who left goes to the next one");
  display.line("* user0 is now known as zed");
  assert.equal(colorOf("zed"), codes[0], "a rename keeps the colour");
  display.line("* zed was disconnected (idle for 5 min)");
  display.line("* user1 was removed by server");
  assert.equal(colorOf("newcomer"), codes[0]);
  assert.equal(colorOf("another"), codes[1]);
});

Deno.test("ChatDisplay dims the replayed history and its markers, and only those", () => {
  const display = new ChatDisplay(color);
  assert.equal(display.line("-- history --"), dim("-- history --"));
  assert.equal(display.line("<bob> old news"), dim("<bob> old news"));
  assert.equal(display.line("-- now --"), dim("-- now --"));
  // deno-lint-ignore no-control-regex
  assert.match(display.line("<bob> fresh"), /^<\x1b\[\d+mbob\x1b\[0m> fresh$/);
  assert.equal(new ChatDisplay(plain).line("-- history --"), "-- history --");
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
