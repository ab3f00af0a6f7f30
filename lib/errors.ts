/**
 * The few error classes the CLI's top level catches by meaning. Everything else is a
 * built-in class (`RangeError`, `TypeError`) or one of `Deno.errors.*`.
 * @module
 */

/** The command line was wrong: unknown flag, bad value, conflicting options (exit 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A deadline (`--timeout`, `--idle-timeout`, `--connect-timeout`) passed (exit 124). */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** The user interrupted the run with Ctrl-C (exit 130). */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor(message = "Interrupted") {
    super(message);
  }
}

/** An `--expect` pattern was not seen before the peer closed (exit 3). */
export class ExpectError extends Error {
  override name = "ExpectError";
}
