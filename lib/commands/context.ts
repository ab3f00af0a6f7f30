/**
 * What every command receives instead of touching globals: the reporter, stdio and the
 * interrupt signal. Tests build one with in-memory parts.
 * @module
 */

import type { ByteSource } from "../net/stdio.ts";
import type { Colors } from "../output/color.ts";
import type { Reporter } from "../output/reporter.ts";
import type { OrderedWriter } from "../output/writer.ts";

/** stdin as commands see it. */
export interface Stdin extends ByteSource {
  isTerminal(): boolean;
  setRaw?(mode: boolean): void;
}

/** The world of one command run. */
export interface CommandContext {
  reporter: Reporter;
  stdin: Stdin;
  /** stdout, shared with the reporter's JSON events. */
  stdout: OrderedWriter;
  /** Whether stdout is a terminal (decides text layout, timestamps). */
  stdoutIsTerminal: boolean;
  /** Colours for text written to stdout (off unless stdout is a terminal). */
  stdoutColors: Colors;
  /** Aborted with an `InterruptedError` on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
}
