import assert from "node:assert/strict";
import { MAX_SUBNEGOTIATION, TelnetFilter } from "../../lib/chat/telnet_filter.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => [...new TextEncoder().encode(text)];

function filter(chunks: number[][]): number[] {
  const telnet = new TelnetFilter();
  return chunks.flatMap((chunk) => [...telnet.push(bytes(...chunk))]);
}

Deno.test("TelnetFilter drops telnet's Ctrl-C (IAC IP IAC DO TIMING-MARK)", () => {
  assert.deepEqual(
    filter([[...ascii("hel"), 0xff, 0xf4, 0xff, 0xfd, 0x06, ...ascii("lo\r\n")]]),
    ascii("hello\r\n"),
  );
});

Deno.test("TelnetFilter drops WILL/WONT/DO/DONT with their option and two-byte commands", () => {
  const negotiation = [0xff, 0xfb, 0x18, 0xff, 0xfc, 0x01, 0xff, 0xfd, 0x03, 0xff, 0xfe, 0x22];
  const commands = [0xff, 0xf1, 0xff, 0xf6, 0xff, 0xf9, 0xff, 0xf0];
  assert.deepEqual(
    filter([[...negotiation, ...ascii("a"), ...commands, ...ascii("b\n")]]),
    ascii("ab\n"),
  );
});

Deno.test("TelnetFilter drops a subnegotiation whole, IAC IAC inside it included", () => {
  const sb = [0xff, 0xfa, 0x18, 0x00, ...ascii("xterm"), 0xff, 0xff, 0x01, 0xff, 0xf0];
  assert.deepEqual(filter([[...ascii("x"), ...sb, ...ascii("y\n")]]), ascii("xy\n"));
});

Deno.test("TelnetFilter keeps IAC IAC as one 0xff data byte, IAC and a non-command as data", () => {
  assert.deepEqual(filter([[0x61, 0xff, 0xff, 0x62]]), [0x61, 0xff, 0x62]);
  assert.deepEqual(filter([[0x61, 0xff], [0xc0, 0x62]]), [0x61, 0xff, 0xc0, 0x62]);
});

Deno.test("TelnetFilter recognises commands split across chunks, byte by byte", () => {
  const stream = [
    ...ascii("one"),
    0xff,
    0xf4,
    0xff,
    0xfd,
    0x06,
    0xff,
    0xfa,
    0x1f,
    0x00,
    0x50,
    0x00,
    0x18,
    0xff,
    0xf0,
    0xff,
    0xff,
    0xff,
    0x41,
    ...ascii("two\n"),
  ];
  const expected = [...ascii("one"), 0xff, 0xff, 0x41, ...ascii("two\n")];
  assert.deepEqual(filter(stream.map((b) => [b])), expected);
  for (let cut = 1; cut < stream.length; cut++) {
    assert.deepEqual(filter([stream.slice(0, cut), stream.slice(cut)]), expected, `cut at ${cut}`);
  }
});

Deno.test("TelnetFilter passes UTF-8 text through untouched (the same chunk)", () => {
  const telnet = new TelnetFilter();
  const chunk = new TextEncoder().encode("grüße € 😀\n");
  assert.equal(telnet.push(chunk), chunk);
});

Deno.test("TelnetFilter ends a subnegotiation that never ends after MAX_SUBNEGOTIATION bytes", () => {
  const endless = [0xff, 0xfa, ...new Array(MAX_SUBNEGOTIATION).fill(0x61)];
  assert.deepEqual(filter([endless, ascii("text\n")]), ascii("text\n"));
});
