/**
 * Combines the interrupt signal with a whole-run `--timeout` into one abort signal whose
 * reason says which one fired.
 * @module
 */

import { InterruptedError, TimeoutError } from "../errors.ts";
import { formatDuration } from "../output/format.ts";

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
      clearTimeout(timer);
      parent.removeEventListener("abort", onParent);
    },
  };
}

/**
 * A server's exit once its signal fired: SIGINT/SIGTERM end it cleanly (exit 0), a
 * `--timeout` is still thrown (exit 124).
 */
export function stopped(signal: AbortSignal): number {
  if (signal.reason instanceof InterruptedError) return 0;
  throw signal.reason;
}
