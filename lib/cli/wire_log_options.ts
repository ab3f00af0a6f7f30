/**
 * `--hex` and `--log FILE` (client, `server --mode pipe|echo`): their table entries and
 * parsed argv → `WireLogSpec`.
 * @module
 */

import type { WireLogSpec } from "../output/wire_log.ts";
import type { OptionSpec } from "./command_spec.ts";

const TRANSCRIPT = "Transcript";

/** The transcript options; `prefix` marks them in a command with several modes. */
export function wireLogOptions(prefix = ""): OptionSpec[] {
  return [
    {
      name: "hex",
      help:
        `${prefix}transcript of every chunk sent (>) and received (<) on stderr: time, peer, offset, then hexdump -C rows`,
      group: TRANSCRIPT,
    },
    {
      name: "log",
      value: "FILE",
      help:
        `${prefix}write the transcript to FILE (created or truncated) instead: text, sanitised; with --hex, hex`,
      group: TRANSCRIPT,
    },
  ];
}

/** Reads `--hex` and `--log`; `undefined` when neither was given. */
export function readWireLogOptions(opts: Record<string, unknown>): WireLogSpec | undefined {
  const hex = opts.hex === true;
  const file = typeof opts.log === "string" ? opts.log : undefined;
  if (!hex && file === undefined) return undefined;
  return file === undefined ? { hex } : { hex, file };
}

/** The first transcript option given on the command line, as `--name`, if any. */
export function givenWireLogOption(given: ReadonlySet<string>): string | undefined {
  return given.has("hex") ? "--hex" : given.has("log") ? "--log" : undefined;
}
