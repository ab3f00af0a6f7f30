/**
 * Where a run's output goes: the reporter (events and diagnostics), stdout (shared with
 * the reporter's JSON events) and how stdout looks. Commands hand theirs to the output
 * helpers; tests build one with in-memory parts.
 * @module
 */

import type { Colors } from "./color.ts";
import type { Reporter } from "./reporter.ts";
import type { OrderedWriter } from "./writer.ts";

/** A run's output. */
export interface OutputIo {
  reporter: Reporter;
  /** stdout, shared with the reporter's JSON events. */
  stdout: OrderedWriter;
  /** Whether stdout is a terminal (decides text layout, timestamps). */
  stdoutIsTerminal: boolean;
  /** Colours for text written to stdout (off unless stdout is a terminal). */
  stdoutColors: Colors;
}
