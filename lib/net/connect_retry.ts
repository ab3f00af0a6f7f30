/**
 * `client --retry`: try a connection again while it fails before anything was sent
 * (refused, reset, unreachable, a connect timeout, a name that does not resolve yet, or
 * closed by the server before any byte moved: see `early_drop.ts`),
 * pausing longer each time, until the count or the time budget is spent.
 * @module
 */

import { sleep } from "../async.ts";
import { formatDuration } from "../duration.ts";
import { TimeoutError } from "../errors.ts";
import { DnsError, reasonOf } from "./errors.ts";
import { EarlyDropError } from "./early_drop.ts";

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt (`--retry N`); unlimited within `forMs` when absent. */
  retries?: number;
  /** Stop retrying once this long has passed since the first attempt (`--retry-for`). */
  forMs?: number;
  /** The first pause; each next one is twice as long, up to `RETRY_MAX_DELAY_MS`. */
  delayMs: number;
}

/** The longest pause between two attempts (unless `--retry-delay` itself is longer). */
export const RETRY_MAX_DELAY_MS = 30_000;

/** One failed attempt that will be retried, as the `retry` event reports it. */
export interface RetryNotice {
  /** The attempt that failed, 1 for the first. */
  attempt: number;
  error: string;
  delayMs: number;
}

/** True for failures where no byte can have been sent, so trying again is safe. */
export function isRetryable(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionRefused ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.NetworkUnreachable ||
    error instanceof Deno.errors.TimedOut ||
    error instanceof TimeoutError ||
    error instanceof DnsError ||
    error instanceof EarlyDropError;
}

/** The pause after failed attempt `attempt` (1-based): delay, 2×, 4×, … capped. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const cap = Math.max(policy.delayMs, RETRY_MAX_DELAY_MS);
  return Math.min(cap, policy.delayMs * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Runs `attempt` until it succeeds, fails for a reason that is not retryable (rethrown as
 * is), or the budget is spent: then a `TimeoutError` (exit 124) naming the last reason.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  signal: AbortSignal,
  attempt: () => Promise<T>,
  onRetry: (notice: RetryNotice) => void,
): Promise<T> {
  const started = performance.now();
  for (let n = 1;; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || !isRetryable(error)) throw error;
      const delayMs = retryDelay(policy, n);
      const elapsed = performance.now() - started;
      const countSpent = policy.retries !== undefined && n > policy.retries;
      const timeSpent = policy.forMs !== undefined && elapsed + delayMs > policy.forMs;
      if (countSpent || timeSpent) {
        const tries = n === 1 ? "1 attempt" : `${n} attempts`;
        throw new TimeoutError(
          `${(error as Error).message} (gave up after ${tries} in ${formatDuration(elapsed)})`,
          { cause: error },
        );
      }
      onRetry({ attempt: n, error: reasonOf(error), delayMs });
      await sleep(delayMs, signal);
    }
  }
}
