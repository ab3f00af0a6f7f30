import assert from "node:assert/strict";
import { decodeEnvelope, encodeEnvelope, type Envelope } from "../../lib/chat/room_envelope.ts";

Deno.test("envelopes survive the round trip through Redis", () => {
  const envelopes: Envelope[] = [
    { t: "msg", s: "a", nick: "alice", peer: "127.0.0.1:1", text: "hi", action: true },
    { t: "pm", s: "a", nick: "alice", peer: "p", to: "bob", text: "psst" },
    { t: "join", s: "a", nick: "guest7", peer: "p", id: 7 },
    { t: "left", s: "a", nick: "alice", peer: "p", reason: "quit", text: "bye" },
    { t: "nick", s: "a", nick: "alice", old: "guest7", peer: "p", id: 7 },
    { t: "hello", s: "a", members: [["alice", "p", 7]] },
    { t: "bye", s: "a" },
  ];
  for (const envelope of envelopes) {
    assert.deepEqual(decodeEnvelope(encodeEnvelope(envelope)), envelope);
  }
});

Deno.test("decodeEnvelope() skips malformed entries and neutralises text like a client's", () => {
  assert.equal(decodeEnvelope("not json"), undefined);
  assert.equal(decodeEnvelope('{"t":"msg","s":"a","nick":"<bob>","text":"x"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"msg","nick":"bob","text":"x"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"left","s":"a","nick":"bob","reason":"gone"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"pm","s":"a","nick":"bob","to":"a b","text":"x"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"what","s":"a"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"join","s":"a","nick":"bob","peer":"p"}'), undefined);
  assert.equal(decodeEnvelope('{"t":"join","s":"a","nick":"bob","peer":"p","id":-1}'), undefined);
  // A hello keeps its well-formed members and skips the rest.
  assert.deepEqual(
    decodeEnvelope('{"t":"hello","s":"a","members":[["bob","p",2],["b b","p",3],["cy","p"],"x"]}'),
    { t: "hello", s: "a", members: [["bob", "p", 2]] },
  );
  const forged = decodeEnvelope(
    JSON.stringify({ t: "msg", s: "a", nick: "bob", text: "hi\n<alice> fake\x1b[2J" }),
  );
  assert.ok(forged?.t === "msg");
  assert.ok(!forged.text.includes("\n") && !forged.text.includes("\x1b"), forged.text);
});
