/**
 * Where commander's help text goes: stdout as text, or, when `--json` is on the command
 * line, one `help` event so that stdout still carries only NDJSON.
 * @module
 */

import { makeColors } from "../output/color.ts";
import { Reporter } from "../output/reporter.ts";
import type { CliRun } from "./define.ts";

const pending = new WeakMap<CliRun, string[]>();

/**
 * Writes help (or other commander stdout text) for this run. Commander writes the help
 * in pieces within one tick; in JSON mode they are joined into a single event.
 */
export function writeHelp(run: CliRun, text: string): void {
  if (!run.json) {
    run.io.stdout.enqueue(new TextEncoder().encode(text));
    return;
  }
  const parts = pending.get(run);
  if (parts !== undefined) {
    parts.push(text);
    return;
  }
  pending.set(run, [text]);
  queueMicrotask(() => {
    const all = pending.get(run) ?? [];
    pending.delete(run);
    new Reporter({
      json: true,
      verbosity: "normal",
      colors: makeColors(false),
      stdout: run.io.stdout,
      stderrLine: run.io.stderrLine,
    }).emit({ type: "help", text: all.join("") });
  });
}
