/**
 * Bounded waiting: every wait in the tests has a deadline, and timers are always cleared
 * so the leak sanitizers stay quiet.
 * @module
 */

/** A deadline to race promises against. */
export interface TestDeadline extends Disposable {
  /** Resolves to the promise's value, or to `"timeout"` once the deadline passed. */
  race<T>(promise: Promise<T>): Promise<T | "timeout">;
}

/** Starts a deadline `ms` from now. */
export function deadlineFor(ms: number): TestDeadline {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return {
    race: <T>(promise: Promise<T>) => Promise.race([promise, expired]),
    [Symbol.dispose]: () => clearTimeout(timer),
  };
}

/** Awaits `promise`, failing with `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  using timer = deadlineFor(ms);
  const result = await timer.race(promise);
  if (result === "timeout") throw new Error(`Timed out after ${ms} ms: ${what}`);
  return result as T;
}
