import assert from "node:assert/strict";
import { ExpectMatcher } from "../../lib/script/expect_matcher.ts";
import { utf8 } from "../_helpers/bytes.ts";

Deno.test("ExpectMatcher matches patterns in order, each after the previous match", () => {
  const matcher = new ExpectMatcher([/B/, /A/]);
  assert.deepEqual(matcher.push(utf8("A")), []);
  assert.deepEqual(matcher.push(utf8("B")), [{ index: 0, pattern: "B", text: "B" }]);
  // The "A" before "B" does not count for the second pattern.
  assert.equal(matcher.done, false);
  assert.deepEqual(matcher.pending, { index: 1, pattern: "A" });
  assert.deepEqual(matcher.push(utf8("xA")), [{ index: 1, pattern: "A", text: "A" }]);
  assert.equal(matcher.done, true);
  assert.equal(matcher.pending, undefined);
  assert.deepEqual(matcher.push(utf8("AB")), []);
});

Deno.test("ExpectMatcher matches across chunk boundaries and split UTF-8 characters", () => {
  const matcher = new ExpectMatcher([/\+PONG\r\n/, /héllo/]);
  assert.deepEqual(matcher.push(utf8("+PO")), []);
  assert.equal(matcher.push(utf8("NG\r\n")).length, 1);
  const bytes = utf8("héllo");
  assert.deepEqual(matcher.push(bytes.subarray(0, 2)), []); // "h" and half of "é"
  assert.deepEqual(matcher.push(bytes.subarray(2)), [{
    index: 1,
    pattern: "héllo",
    text: "héllo",
  }]);
});

Deno.test("ExpectMatcher reports several patterns matched by one chunk, with groups", () => {
  const matcher = new ExpectMatcher([/version (\d+)\.(\d+)(x)?/, /ready/]);
  const matches = matcher.push(utf8("version 1.2 ready\n"));
  assert.deepEqual(matches, [
    {
      index: 0,
      pattern: "version (\\d+)\\.(\\d+)(x)?",
      text: "version 1.2",
      groups: ["1", "2", null],
    },
    { index: 1, pattern: "ready", text: "ready" },
  ]);
  assert.equal(matcher.done, true);
});

Deno.test("ExpectMatcher anchors ^ at what is left after the previous match", () => {
  const matcher = new ExpectMatcher([/^\+OK/, /^\r\n\+PONG/]);
  assert.equal(matcher.push(utf8("+OK\r\n+PONG")).length, 2);
  const strict = new ExpectMatcher([/^\+PONG/]);
  assert.deepEqual(strict.push(utf8("-ERR\r\n+PONG")), []);
});

Deno.test("ExpectMatcher keeps memory bounded: only the last window of text is searched", () => {
  const matcher = new ExpectMatcher([/start.*end/s], 16);
  assert.deepEqual(matcher.push(utf8("start")), []);
  assert.deepEqual(matcher.push(utf8("x".repeat(32))), []);
  assert.deepEqual(matcher.push(utf8("end")), [], "start fell out of the window");
  assert.equal(matcher.push(utf8("start-end")).length, 1);
});

Deno.test("ExpectMatcher feeds a big read a window at a time and still finds late matches", () => {
  const matcher = new ExpectMatcher([/NEEDLE/, /^x/], 16);
  const matches = matcher.push(utf8("x".repeat(100) + "NEEDLE" + "x".repeat(100)));
  assert.deepEqual(matches.map((m) => m.index), [0, 1]);
  const missed = new ExpectMatcher([/^a.*b$/s], 16);
  assert.deepEqual(missed.push(utf8("a" + "-".repeat(40) + "b")), [], "a is out of the window");
});

Deno.test("ExpectMatcher treats an empty pattern list as done and an empty pattern as matched", () => {
  assert.equal(new ExpectMatcher([]).done, true);
  const matcher = new ExpectMatcher([/(?:)/]);
  assert.deepEqual(matcher.push(utf8("")), [{ index: 0, pattern: "(?:)", text: "" }]);
});
