/**
 * What every command receives instead of touching globals: the reporter, stdio and the
 * interrupt signal. Tests build one with in-memory parts.
 * @module
 */

import type { Stdin } from "../net/stdio.ts";
import type { OutputIo } from "../output/output_io.ts";

/** The world of one command run: its output, stdin and the interrupt signal. */
export interface CommandContext extends OutputIo {
  stdin: Stdin;
  /** Writes one complete line (without newline) to stderr, synchronously (`--hex`). */
  stderrLine: (line: string) => void;
  /** Whether stderr is a terminal (unknown: treated as not). */
  stderrIsTerminal?: boolean;
  /** Aborted with an `InterruptedError` on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
}
