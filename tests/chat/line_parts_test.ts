import assert from "node:assert/strict";
import { lineParts } from "../../lib/chat/line_parts.js";

Deno.test("lineParts() finds the nickname in every kind of wire line", () => {
  assert.deepEqual(lineParts("<bob> hi <x>"), {
    kind: "message",
    head: "<",
    nick: "bob",
    tail: "> hi <x>",
  });
  assert.deepEqual(lineParts("** bob waves"), {
    kind: "action",
    head: "** ",
    nick: "bob",
    tail: " waves",
  });
  assert.deepEqual(lineParts("*bob* psst"), {
    kind: "private",
    head: "*",
    nick: "bob",
    tail: "* psst",
  });
  assert.deepEqual(lineParts("-> *amy* psst"), {
    kind: "private-echo",
    head: "-> *",
    nick: "amy",
    tail: "* psst",
  });
});

Deno.test("lineParts() names no nickname in notices and other lines", () => {
  assert.deepEqual(lineParts("* amy joined"), {
    kind: "notice",
    head: "",
    nick: "",
    tail: "* amy joined",
  });
  for (const line of ["HTTP/1.0 200 OK", "<not a nick> x", "", "*no close", "<bob>hi"]) {
    assert.deepEqual(lineParts(line), { kind: "other", head: "", nick: "", tail: line });
  }
});

Deno.test("lineParts() always gives back the whole line", () => {
  for (const line of ["<a> b", "**  x", "** ", "-> *a* ", "*a* *b* c", "* ", "<a>> b"]) {
    const { head, nick, tail } = lineParts(line);
    assert.equal(head + nick + tail, line);
  }
});
