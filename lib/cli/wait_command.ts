/**
 * `sockchat wait`: argv → `WaitOptions`.
 * @module
 */

import type { Command } from "commander";
import {
  runWait,
  WAIT_DEFAULT_INTERVAL_MS,
  WAIT_DEFAULT_TIMEOUT_MS,
  type WaitOptions,
} from "../commands/wait.ts";
import { UsageError } from "../errors.ts";
import { parseTarget, type Target } from "../net/address.ts";
import { type CliRun, defineLeaf } from "./define.ts";
import { parsePositiveDuration } from "./values.ts";

const EXAMPLES = [
  "sockchat wait localhost:5432 && ./migrate          wait for a database (up to 30 s)",
  "sockchat wait db:5432 cache:6379 --timeout 2m      wait for several services at once",
  "sockchat wait '[::1]:8080' unix:/run/app.sock --interval 1s",
  "sockchat wait localhost:5432 --json | jq -c 'select(.type == \"attempt\")'",
];

/** Registers `wait` on the program. */
export function addWaitCommand(program: Command, run: CliRun): void {
  const command = program
    .command("wait")
    .description(
      "Wait until every target accepts a connection (connect, then close; nothing is sent), retrying each one. " +
        "Exit 0 once all are up, 124 at the deadline (naming the targets still down).",
    )
    .argument("<targets...>", "HOST:PORT, [IPv6]:PORT or unix:PATH")
    .option(
      "-t, --timeout <duration>",
      `give up after this long (exit 124; default ${WAIT_DEFAULT_TIMEOUT_MS / 1000}s)`,
    )
    .option(
      "--interval <duration>",
      `pause between attempts at one target (default ${WAIT_DEFAULT_INTERVAL_MS}ms)`,
    );
  defineLeaf(run, command, EXAMPLES, (opts, args, ctx) => runWait(waitOptions(opts, args), ctx));
}

/** Converts commander's option bag and the targets into typed options (validated). */
export function waitOptions(opts: Record<string, unknown>, args: string[]): WaitOptions {
  const targets = args.map(waitTarget);
  if (targets.length === 0) throw new UsageError("Give at least one target: HOST:PORT");
  return {
    targets,
    timeoutMs: typeof opts.timeout === "string"
      ? parsePositiveDuration(opts.timeout, "--timeout")
      : WAIT_DEFAULT_TIMEOUT_MS,
    intervalMs: typeof opts.interval === "string"
      ? parsePositiveDuration(opts.interval, "--interval")
      : WAIT_DEFAULT_INTERVAL_MS,
  };
}

function waitTarget(text: string): Target {
  try {
    return parseTarget(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(
      message.startsWith("Invalid target") ? message : `${message} (target "${text}")`,
    );
  }
}
