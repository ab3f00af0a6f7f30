import assert from "node:assert/strict";
import { abortable, bounded, deadline, settleWithin, sleep } from "../lib/async.ts";
import { TimeoutError } from "../lib/errors.ts";

const never = () => new Promise<never>(() => {});

Deno.test("bounded() settles like the promise when it is first", async () => {
  assert.equal(await bounded(Promise.resolve(7), { ms: 10_000 }), 7);
  await assert.rejects(bounded(Promise.reject(new RangeError("bad")), { ms: 10_000 }), RangeError);
});

Deno.test("bounded() gives onTimeout's value, or throws its error, once ms passed", async () => {
  assert.equal(await bounded(never(), { ms: 1, onTimeout: () => "late" }), "late");
  assert.equal(await bounded(never(), { ms: 1 }), undefined);
  await assert.rejects(
    bounded(never(), {
      ms: 1,
      onTimeout: () => {
        throw new TimeoutError("too slow");
      },
    }),
    TimeoutError,
  );
});

Deno.test("bounded() rejects with the abort reason, also when aborted before the call", async () => {
  const controller = new AbortController();
  const waiting = bounded(never(), { ms: 10_000, signal: controller.signal });
  controller.abort(new RangeError("stop"));
  await assert.rejects(waiting, RangeError);
  await assert.rejects(bounded(Promise.resolve(1), { signal: controller.signal }), RangeError);
});

Deno.test("bounded() leaves a late rejection handled", async () => {
  let fail: (error: Error) => void = () => {};
  const late = new Promise<never>((_, reject) => (fail = reject));
  assert.equal(await bounded(late, { ms: 1, onTimeout: () => 0 }), 0);
  fail(new Error("after we stopped waiting")); // the sanitizer would flag an unhandled one
  await sleep(0);
});

Deno.test("abortable(), sleep() and settleWithin() are bounded() with one limit each", async () => {
  const controller = new AbortController();
  const pending = abortable(never(), controller.signal);
  const pause = sleep(10_000, controller.signal);
  controller.abort(new TimeoutError("done"));
  await assert.rejects(pending, TimeoutError);
  await assert.rejects(pause, TimeoutError);
  await sleep(1);
  await settleWithin(Promise.reject(new Error("ignored")), 10_000);
  await settleWithin(never(), 1);
});

Deno.test("a wait without ms never touches the timer functions (Deno loads its Node timers on the first call)", async () => {
  const real = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
  const calls: string[] = [];
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    calls.push("setTimeout");
    return real.set(...args);
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: number) => {
    calls.push("clearTimeout");
    real.clear(id);
  }) as typeof clearTimeout;
  try {
    const controller = new AbortController();
    assert.equal(await abortable(Promise.resolve(1), controller.signal), 1);
    await assert.rejects(abortable(Promise.reject(new Error("no")), controller.signal), /no/);
    using run = deadline(controller.signal);
    assert.equal(run.signal.aborted, false);
    assert.deepEqual(calls, []);
  } finally {
    globalThis.setTimeout = real.set;
    globalThis.clearTimeout = real.clear;
  }
});
