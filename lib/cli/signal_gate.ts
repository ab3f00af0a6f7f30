/**
 * Deciding what a stop signal means. The first SIGINT, SIGTERM or SIGHUP asks for an
 * orderly stop; a second one exits at once (exit 130), except that a repeat of the same
 * signal within `SIGNAL_BURST_MS` of the first is part of the same request: GNU `timeout`
 * sends its TERM twice, and a process-group kill reaches us once per group it names.
 * Pure: the clock is passed in.
 * @module
 */

/** A repeat of the first signal within this many milliseconds is the same request. */
export const SIGNAL_BURST_MS = 150;

/** What to do with a signal: stop in order, ignore it, or exit at once. */
export type SignalAction = "stop" | "ignore" | "exit";

/** Remembers the first stop request and classifies later signals. */
export class SignalGate {
  #first: { signal: string; at: number } | null = null;

  /** Classifies `signal` received at `at` (milliseconds on a monotonic clock). */
  decide(signal: string, at: number): SignalAction {
    const first = this.#first;
    if (first === null) {
      this.#first = { signal, at };
      return "stop";
    }
    if (signal === first.signal && at - first.at <= SIGNAL_BURST_MS) return "ignore";
    return "exit";
  }
}
