import assert from "node:assert/strict";
import { formatDuration, formatLimit } from "../lib/duration.ts";

Deno.test("formatDuration() writes a measured time with its precision", () => {
  assert.equal(formatDuration(12), "12 ms");
  assert.equal(formatDuration(1234), "1.23 s");
  assert.equal(formatDuration(125_000), "2 min 5 s");
});

Deno.test("formatLimit() writes a configured limit in its largest whole unit", () => {
  assert.equal(formatLimit(7_200_000), "2 h");
  assert.equal(formatLimit(300_000), "5 min");
  assert.equal(formatLimit(60_000), "1 min");
  assert.equal(formatLimit(90_000), "90 s");
  assert.equal(formatLimit(1000), "1 s");
  assert.equal(formatLimit(1500), "1.50 s");
  assert.equal(formatLimit(200), "200 ms");
});
