import assert from "node:assert/strict";
import { parsePortList } from "../../lib/net/port_list.ts";

Deno.test("parsePortList() expands ranges in the order given, each port once", () => {
  assert.deepEqual(parsePortList("20-23,80,443"), [20, 21, 22, 23, 80, 443]);
  assert.deepEqual(parsePortList("443,80,80,79-81"), [443, 80, 79, 81]);
  assert.deepEqual(parsePortList("65535"), [65535]);
  assert.equal(parsePortList("1-65535").length, 65535);
});

Deno.test("parsePortList() names the bad part of a malformed list", () => {
  const cases: [string, RegExp][] = [
    ["", /^Invalid port list "": empty entry$/],
    ["80,", /^Invalid port list "80,": empty entry$/],
    ["80,x", /"x" is not a port \(1 to 65535\) or a range like 20-25$/],
    ["0", /"0" is not a port/],
    ["65536", /"65536" is not a port/],
    ["25-20", /range "25-20" runs backwards$/],
    ["1-2-3", /"1-2-3" is not a port/],
    ["-5", /"-5" is not a port/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parsePortList(text),
      (e: Error) => e instanceof RangeError && message.test(e.message),
      text,
    );
  }
});
