/**
 * The pipe options of `client` and `server --mode pipe` (`--recv-only`, `--send-only`,
 * `--linger`): their table entries, and parsed argv → `PipeOptions` with the combinations
 * that make no sense refused before any socket opens.
 * @module
 */

import type { PipeOptions } from "../commands/pipe_policy.ts";
import { UsageError } from "../errors.ts";
import type { OptionSpec } from "./command_spec.ts";
import { parseDuration } from "./values.ts";

const PIPE = "Pipe";

/** The pipe options; `prefix` marks them in a command with several modes (`pipe mode: `). */
export function pipeOptions(prefix = ""): OptionSpec[] {
  return [
    {
      name: "recv-only",
      help: `${prefix}only receive: never read stdin, never half-close; end when the peer closes`,
      group: PIPE,
    },
    {
      name: "send-only",
      help: `${prefix}only send: never write stdout (what the peer sends is read and discarded)`,
      group: PIPE,
    },
    {
      name: "linger",
      value: "DUR",
      help:
        `${prefix}once the peer has closed, stop sending when stdin has been quiet this long (default: send until stdin ends; at once when stdin is a terminal)`,
      group: PIPE,
    },
  ];
}

/** Reads the pipe options; `undefined` when none was given. */
export function readPipeOptions(opts: Record<string, unknown>): PipeOptions | undefined {
  const pipe: PipeOptions = {};
  if (opts.recvOnly === true) pipe.recvOnly = true;
  if (opts.sendOnly === true) pipe.sendOnly = true;
  if (typeof opts.linger === "string") pipe.lingerMs = parseDuration(opts.linger, "--linger");
  if (pipe.recvOnly && pipe.sendOnly) {
    throw new UsageError("Options --recv-only and --send-only cannot be combined");
  }
  if (pipe.recvOnly && pipe.lingerMs !== undefined) {
    throw new UsageError("Option --linger cannot be combined with --recv-only (nothing is sent)");
  }
  return Object.keys(pipe).length > 0 ? pipe : undefined;
}

/** The first pipe option given on the command line, as `--name`, if any. */
export function givenPipeOption(given: ReadonlySet<string>): string | undefined {
  const names: [string, string][] = [
    ["recvOnly", "--recv-only"],
    ["sendOnly", "--send-only"],
    ["linger", "--linger"],
  ];
  return names.find(([key]) => given.has(key))?.[1];
}
