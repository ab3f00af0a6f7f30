/**
 * An event as one NDJSON line: `type` first, then the timestamp, then the fields. The one
 * serialisation of the `--json` stream (the reporter and `--version --json` use it).
 * @module
 */

import type { SockchatEvent } from "./events.ts";

/** `{"type":…,"ts":…,…}` and a newline. */
export function eventLine(event: SockchatEvent, now: Date): string {
  const { type, ...rest } = event;
  return JSON.stringify({ type, ts: now.toISOString(), ...rest }) + "\n";
}
