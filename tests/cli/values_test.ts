import assert from "node:assert/strict";
import { parseCount, parseDuration } from "../../lib/cli/values.ts";
import { UsageError } from "../../lib/errors.ts";

Deno.test("parseDuration() reads ms, s, m, h and bare seconds", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("5s"), 5000);
  assert.equal(parseDuration("1.5s"), 1500);
  assert.equal(parseDuration("2m"), 120_000);
  assert.equal(parseDuration("1h"), 3_600_000);
  assert.equal(parseDuration("3"), 3000);
  assert.equal(parseDuration("0"), 0);
});

Deno.test("parseDuration() rejects malformed values with a usage error naming the option", () => {
  for (const bad of ["", "5x", "-1s", "s", "1.s", "5 s s", "1e3"]) {
    assert.throws(
      () => parseDuration(bad, "--timeout"),
      (e: Error) => e instanceof UsageError && e.message.startsWith(`Invalid --timeout "${bad}"`),
      bad,
    );
  }
  assert.throws(() => parseDuration("30d"), UsageError);
  assert.throws(() => parseDuration("9999999h"), /too long/);
});

Deno.test("parseCount() accepts whole numbers in range only", () => {
  assert.equal(parseCount("3", "--count"), 3);
  assert.throws(() => parseCount("0", "--count"), /from 1/);
  assert.throws(() => parseCount("1.5", "--count"), UsageError);
  assert.throws(() => parseCount("11", "--count", 1, 10), /from 1 to 10/);
});
