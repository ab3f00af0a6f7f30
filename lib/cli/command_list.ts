/**
 * Every sockchat command's table, in the order `--help` lists them: the one definition
 * list behind parsing, `--help`, and the generated docs (options reference, man page).
 * @module
 */

import { CLIENT_COMMAND } from "./client_command.ts";
import type { CommandSpec, OptionSpec } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import { PROBE_COMMAND } from "./probe_command.ts";
import { SERVER_COMMAND } from "./server_command.ts";
import { UDP_COMMAND } from "./udp_command.ts";
import { WAIT_COMMAND } from "./wait_command.ts";

/** `sockchat` itself: `--version`, `--help` and `--json` before any command. */
export const ROOT_OPTIONS: readonly OptionSpec[] = [
  {
    name: "version",
    short: "V",
    help: "print the version, the Deno version and the platform (a version event with --json)",
    group: "Options",
  },
  ...GLOBAL_OPTIONS,
];

/** The commands under `sockchat`, in help order. */
export const commands: readonly CommandSpec[] = [
  CLIENT_COMMAND,
  SERVER_COMMAND,
  UDP_COMMAND,
  WAIT_COMMAND,
  PROBE_COMMAND,
];

/** The exit codes as `--help` and the docs list them. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 ok, 1 network/runtime failure, 2 usage error, 3 --expect not matched, 124 timeout, 130 interrupted.";

/** How durations (`DUR`) are written, for every help that has one. */
export const DURATION_HELP = "DUR is a duration: 500ms, 5s, 2m or 1h (a bare number is seconds).";

/** `sockchat` as a command table (its `subcommands` are `commands`). */
export const ROOT_COMMAND: CommandSpec = {
  path: [],
  summary: "chat over a socket, and script TCP and UDP in CI",
  description:
    "Chat over a socket, and script TCP and UDP in CI: one binary that does what nc, ncat and socat do, byte-exact, with exit codes, timeouts and NDJSON events.",
  args: [],
  options: ROOT_OPTIONS,
  examples: [
    'sockchat server --port 12345           start a chat server (others join with "sockchat client")',
    "sockchat client                        join the chat at 127.0.0.1:12345",
    "sockchat client example.com 80 < req   send a file and print the reply (byte-exact pipe)",
    "sockchat server --mode pipe --port 9000 > out.bin   receive one connection's bytes",
    "sockchat wait localhost:5432 --timeout 60s   wait for a service to accept connections",
  ],
  subcommands: commands,
  foreign: NC_FLAGS,
};

/** Every leaf command (the ones that run), groups expanded: `udp send`, `udp recv`. */
export function leafCommands(): CommandSpec[] {
  return commands.flatMap((c) => c.subcommands ? [...c.subcommands] : [c]);
}
