/**
 * `sockchat wait`: argv → `WaitOptions`.
 * @module
 */

import type { WaitOptions } from "../commands/wait.ts";
import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import { parseTarget, type Target } from "../net/address.ts";
import type { CommandSpec } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import { parsePositiveDuration } from "./values.ts";

/** `wait --timeout` when not given. */
export const WAIT_DEFAULT_TIMEOUT = "30s";
/** `wait --interval` when not given. */
export const WAIT_DEFAULT_INTERVAL = "250ms";

/** `sockchat wait`. */
export const WAIT_COMMAND: CommandSpec = {
  path: ["wait"],
  summary: "wait until services accept connections (exit 0), or 124 at the deadline",
  description:
    "Wait until every target accepts a connection (connect, then close; nothing is sent), retrying each one. " +
    "Exit 0 once all are up, 124 at the deadline (naming the targets still down).",
  args: [{
    name: "TARGET",
    help: "HOST:PORT, [IPv6]:PORT or unix:PATH",
    required: true,
    variadic: true,
  }],
  options: [
    {
      name: "timeout",
      short: "t",
      value: "DUR",
      help: "give up after this long (exit 124)",
      default: WAIT_DEFAULT_TIMEOUT,
      group: "Waiting",
    },
    {
      name: "interval",
      value: "DUR",
      help: "pause between attempts at one target",
      default: WAIT_DEFAULT_INTERVAL,
      group: "Waiting",
    },
    ...GLOBAL_OPTIONS,
  ],
  examples: [
    "sockchat wait localhost:5432 && ./migrate          wait for a database (up to 30 s)",
    "sockchat wait db:5432 cache:6379 --timeout 2m      wait for several services at once",
    "sockchat wait '[::1]:8080' unix:/run/app.sock --interval 1s",
    "sockchat wait localhost:5432 --json | jq -c 'select(.type == \"attempt\")'",
  ],
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = waitOptions(parsed.opts, parsed.args);
    const { runWait } = await import("../commands/wait.ts");
    return await runWait(options, ctx);
  },
};

/** Converts the parsed options and the targets into typed options (validated). */
export function waitOptions(opts: Record<string, unknown>, args: string[]): WaitOptions {
  const targets = args.map(waitTarget);
  if (targets.length === 0) throw new UsageError("Give at least one target: HOST:PORT");
  return {
    targets,
    timeoutMs: parsePositiveDuration(String(opts.timeout ?? WAIT_DEFAULT_TIMEOUT), "--timeout"),
    intervalMs: parsePositiveDuration(String(opts.interval ?? WAIT_DEFAULT_INTERVAL), "--interval"),
  };
}

function waitTarget(text: string): Target {
  try {
    return parseTarget(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(
      message.startsWith("Invalid target") ? message : `${message} (target ${quote(text)})`,
    );
  }
}
