import assert from "node:assert/strict";
import { TimeoutError } from "../../lib/errors.ts";
import {
  isRetryable,
  RETRY_MAX_DELAY_MS,
  retryDelay,
  type RetryNotice,
  withRetry,
} from "../../lib/net/connect_retry.ts";

Deno.test("retryDelay() doubles from --retry-delay and stops growing at the cap", () => {
  const policy = { delayMs: 1_000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(policy, n)), [
    1_000,
    2_000,
    4_000,
    8_000,
    16_000,
    RETRY_MAX_DELAY_MS,
    RETRY_MAX_DELAY_MS,
  ]);
  assert.equal(retryDelay({ delayMs: 60_000 }, 3), 60_000, "a longer --retry-delay is its own cap");
  assert.equal(retryDelay({ delayMs: 10 }, 1_000), RETRY_MAX_DELAY_MS, "no overflow");
});

Deno.test("withRetry() retries refusals N times, then gives up with a TimeoutError", async () => {
  let calls = 0;
  const notices: RetryNotice[] = [];
  const refuse = () => {
    calls++;
    return Promise.reject(new Deno.errors.ConnectionRefused("Cannot connect: refused"));
  };
  await assert.rejects(
    withRetry({ retries: 2, delayMs: 1 }, new AbortController().signal, refuse, (n) => {
      notices.push(n);
    }),
    (e: Error) => e instanceof TimeoutError && /gave up after 3 attempts in /.test(e.message),
  );
  assert.equal(calls, 3);
  assert.deepEqual(notices.map((n) => [n.attempt, n.delayMs]), [[1, 1], [2, 2]]);
});

Deno.test("withRetry() rethrows at once what is not safe to retry, and returns a success", async () => {
  let calls = 0;
  const denied = () => {
    calls++;
    return Promise.reject(new Deno.errors.PermissionDenied("nope"));
  };
  const signal = new AbortController().signal;
  await assert.rejects(
    withRetry({ retries: 5, delayMs: 1 }, signal, denied, () => {}),
    Deno.errors.PermissionDenied,
  );
  assert.equal(calls, 1);
  assert.equal(isRetryable(new Error("certificate expired")), false);
  let tries = 0;
  const third = () =>
    ++tries < 3 ? Promise.reject(new Deno.errors.ConnectionReset("reset")) : Promise.resolve("ok");
  assert.equal(await withRetry({ retries: 5, delayMs: 1 }, signal, third, () => {}), "ok");
  assert.equal(tries, 3);
});
