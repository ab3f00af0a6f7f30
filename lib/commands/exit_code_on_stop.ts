/**
 * How a server ends once its run signal fired.
 * @module
 */

import { InterruptedError } from "../errors.ts";

/**
 * A server's exit once its signal fired: SIGINT/SIGTERM end it cleanly (exit 0), a
 * `--timeout` is still thrown (exit 124).
 */
export function exitCodeOnStop(signal: AbortSignal): number {
  if (signal.reason instanceof InterruptedError) return 0;
  throw signal.reason;
}
