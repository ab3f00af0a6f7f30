/**
 * `sockchat wait`: retry until every target accepts a connection (connect, then close at
 * once; nothing is sent), or give up at the deadline naming the targets still down.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { sleep } from "../async.ts";
import { TimeoutError } from "../errors.ts";
import { formatTarget, type Target } from "../net/address.ts";
import { reasonOf } from "../net/errors.ts";
import { connect } from "../net/tcp.ts";
import { formatLimit } from "../duration.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";

/** Default `--timeout` of `wait`. */
export const WAIT_DEFAULT_TIMEOUT_MS = 30_000;
/** Default `--interval` of `wait`: the pause between two attempts at one target. */
export const WAIT_DEFAULT_INTERVAL_MS = 250;
/** One attempt gives up after this long (a silently dropped SYN must not stall the loop). */
export const WAIT_ATTEMPT_TIMEOUT_MS = 2_000;

/** Typed options of `sockchat wait`. */
export interface WaitOptions {
  targets: Target[];
  timeoutMs: number;
  intervalMs: number;
}

interface TargetState {
  target: Target;
  label: string;
  attempts: number;
  up: boolean;
  lastError?: string;
}

/** Waits for every target; resolves to 0, or throws a `TimeoutError` (124). */
export async function runWait(options: WaitOptions, ctx: CommandContext): Promise<number> {
  const started = performance.now();
  using run = deadline(ctx.signal, options.timeoutMs);
  const states: TargetState[] = options.targets.map((target) => ({
    target,
    label: formatTarget(target),
    attempts: 0,
    up: false,
  }));
  await Promise.all(states.map((state) => waitForOne(state, options, ctx, run.signal)));
  if (run.signal.aborted) {
    if (!(run.signal.reason instanceof TimeoutError)) throw run.signal.reason;
    const down = states.filter((state) => !state.up).map((state) =>
      `${state.label} (${state.lastError ?? "no answer yet"})`
    );
    throw new TimeoutError(
      `Timed out after ${formatLimit(options.timeoutMs)} waiting for ${down.join(", ")}`,
    );
  }
  ctx.reporter.emit({
    type: "ready",
    targets: states.map((state) => state.label),
    durationMs: Math.round(performance.now() - started),
  });
  return 0;
}

async function waitForOne(
  state: TargetState,
  options: WaitOptions,
  ctx: CommandContext,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    state.attempts++;
    try {
      const conn = await connect(state.target, { signal, timeoutMs: WAIT_ATTEMPT_TIMEOUT_MS });
      closeQuietly(conn); // it was up: that is all we wanted to know
      state.up = true;
      ctx.reporter.emit({
        type: "attempt",
        target: state.label,
        attempt: state.attempts,
        ok: true,
      });
      return;
    } catch (error) {
      if (signal.aborted) return;
      state.lastError = reasonOf(error);
      ctx.reporter.emit({
        type: "attempt",
        target: state.label,
        attempt: state.attempts,
        ok: false,
        error: state.lastError,
      });
    }
    await sleep(options.intervalMs, signal).catch(() => {}); // the loop sees the abort
  }
}
