/**
 * Waiting with limits: the one way sockchat races a promise against a deadline and an
 * abort signal (a connect attempt, a TLS handshake, a pause between datagrams, the last
 * lines of a closing connection), and the whole-run deadline of a command. Timers and
 * listeners are always released, and a
 * promise that settles after we stopped waiting never becomes an unhandled rejection.
 *
 * NO_TIMER_LOAD: a wait without `ms` never calls `setTimeout` or `clearTimeout`, not even
 * `clearTimeout(undefined)`. Deno 2.9's first call to either loads its Node timers layer
 * (13–30 ms measured on the 2-core machine), which used to sit on the client's path to its
 * first byte. A wait that has a timer pays it then, when it matters less.
 * @module
 */

import { TimeoutError } from "./errors.ts";
import { formatDuration } from "./duration.ts";

/** Limits of one wait. */
export interface Bounds<U> {
  /** Stop waiting after this many milliseconds. */
  ms?: number | undefined;
  /** Stop waiting once this aborts: the wait rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** What the wait gives when `ms` passed: return a value, or throw the timeout error. */
  onTimeout?: () => U;
}

/**
 * Settles like `promise`, unless `signal` aborts first (rejects with its reason) or `ms`
 * passes first (settles with `onTimeout()`, or `undefined` without one).
 */
export function bounded<T, U = undefined>(promise: Promise<T>, bounds: Bounds<U>): Promise<T | U> {
  const { ms, signal, onTimeout } = bounds;
  promise.catch(() => {}); // may settle after we stopped waiting
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms === undefined && signal === undefined) return promise;
  return new Promise<T | U>((resolve, reject) => {
    const release = () => {
      if (timer !== undefined) clearTimeout(timer); // see NO_TIMER_LOAD
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      release();
      reject(signal?.reason);
    };
    const timer = ms === undefined ? undefined : setTimeout(() => {
      release();
      try {
        resolve(onTimeout ? onTimeout() : undefined as U);
      } catch (error) {
        reject(error);
      }
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        release();
        resolve(value);
      },
      (error) => {
        release();
        reject(error);
      },
    );
  });
}

/** Resolves like `promise`, or rejects with `signal.reason` once it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return bounded<T, never>(promise, { signal });
}

/** Waits `ms` milliseconds, or rejects with `signal.reason` once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return bounded(new Promise<void>(() => {}), { ms, signal });
}

/** Waits for `promise` to settle, at most `ms` (never rejects). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  await bounded(promise.then(() => {}, () => {}), { ms });
}

/** An abort signal plus the means to release its timer. */
export interface Deadline extends Disposable {
  signal: AbortSignal;
}

/**
 * Aborts when `parent` aborts (same reason) or after `timeoutMs` with a `TimeoutError`
 * naming `option`.
 */
export function deadline(parent: AbortSignal, timeoutMs?: number, option = "--timeout"): Deadline {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener("abort", onParent, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    controller.abort(
      new TimeoutError(`Timed out after ${formatDuration(timeoutMs)} (${option})`),
    );
  }, timeoutMs);
  return {
    signal: controller.signal,
    [Symbol.dispose]() {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener("abort", onParent);
    },
  };
}
