/**
 * `sockchat probe`: argv → `ProbeOptions`.
 * @module
 */

import type { ProbeOptions } from "../commands/probe.ts";
import { UsageError } from "../errors.ts";
import { parseHost } from "../net/address.ts";
import { parsePortList } from "../net/port_list.ts";
import type { CommandSpec, ParsedArgs } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import { FAMILY_OPTIONS, familyOption } from "./target_options.ts";
import { parseCount, parsePositiveDuration } from "./values.ts";

/** `probe --timeout` when not given: one port's connect. */
export const PROBE_DEFAULT_TIMEOUT = "2s";
/** `probe --concurrency` when not given. */
export const PROBE_DEFAULT_CONCURRENCY = "64";
/** The most connects at once `--concurrency` allows (each holds a file descriptor). */
export const PROBE_MAX_CONCURRENCY = 1024;

/** `sockchat probe`. */
export const PROBE_COMMAND: CommandSpec = {
  path: ["probe"],
  summary: "report which TCP ports of a host accept connections (as nc -z -v)",
  description:
    "Connect to each listed TCP port of HOST (then close at once; nothing is sent), several at a time, " +
    "and print one line per port on stdout in the order listed: open, closed (refused), timeout or error. " +
    "Exit 0 if every port is open, 1 if any is closed or failed, 124 if the rest are open but some did not answer in time.",
  args: [
    { name: "HOST", help: "host name or IP address ([::1] or ::1 for IPv6)", required: true },
    {
      name: "PORTS",
      help: "ports and ranges, comma-separated: 22 or 20-25,80,443",
      required: true,
    },
  ],
  options: [
    {
      name: "timeout",
      short: "w",
      value: "DUR",
      help: "give up on one port after this long: it is reported as timeout",
      default: PROBE_DEFAULT_TIMEOUT,
      group: "Probing",
    },
    {
      name: "concurrency",
      value: "N",
      help: `connect to at most N ports at once (1 to ${PROBE_MAX_CONCURRENCY})`,
      default: PROBE_DEFAULT_CONCURRENCY,
      group: "Probing",
    },
    ...FAMILY_OPTIONS,
    ...GLOBAL_OPTIONS,
  ],
  examples: [
    "sockchat probe localhost 20-25,80,443        which of these ports accept connections",
    "sockchat probe db.internal 5432 -w 500ms && echo up",
    "sockchat probe ::1 8000-8100 --json | jq -c 'select(.state == \"open\") | .port'",
  ],
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = probeOptions(parsed);
    const { runProbe } = await import("../commands/probe.ts");
    return await runProbe(options, ctx);
  },
};

/** Converts the parsed options and positionals into typed options (validated). */
export function probeOptions(parsed: ParsedArgs): ProbeOptions {
  const { opts, args } = parsed;
  const [hostArg = "", portsArg = ""] = args; // the parser checked there are two
  let host: string, ports: number[];
  try {
    host = parseHost(hostArg);
    ports = parsePortList(portsArg);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const family = familyOption(parsed, { transport: "tcp", host, port: ports[0]! });
  return {
    host,
    ports,
    timeoutMs: parsePositiveDuration(String(opts.timeout ?? PROBE_DEFAULT_TIMEOUT), "--timeout"),
    concurrency: parseCount(
      String(opts.concurrency ?? PROBE_DEFAULT_CONCURRENCY),
      "--concurrency",
      1,
      PROBE_MAX_CONCURRENCY,
    ),
    ...(family !== undefined ? { family } : {}),
  };
}
