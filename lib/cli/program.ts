/**
 * The commander program: top-level help and version, shared parser settings, and the
 * list of subcommands.
 * @module
 */

import { Command } from "commander";
import { UsageError } from "../errors.ts";
import { versionText } from "../version.ts";
import { addClientCommand } from "./client_command.ts";
import type { CliRun } from "./define.ts";
import { addServerCommand } from "./server_command.ts";
import { addUdpCommand } from "./udp_command.ts";

/** Builds the program for one run. Commander's own printing goes through `run.io`. */
export function buildProgram(run: CliRun): Command {
  const program = new Command("sockchat");
  program
    .description(
      "Chat over a socket, and script TCP and UDP in CI: one binary that does what nc, ncat and socat do, byte-exact, with exit codes, timeouts and NDJSON events.",
    )
    .usage("<command> [options]")
    .option("-V, --version", "print the version, the Deno version and the platform")
    .helpOption("-h, --help", "show help for sockchat or a command")
    .addHelpCommand(false)
    .configureHelp({ helpWidth: 96 })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => run.io.stdout.enqueue(new TextEncoder().encode(text)),
      writeErr: (text) => {
        for (const line of text.replace(/\n$/, "").split("\n")) run.io.stderrLine(line);
      },
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .action((opts: Record<string, unknown>, self: Command) => {
      const [unknown] = self.args;
      if (unknown !== undefined) {
        throw new UsageError(`Unknown command "${unknown}" (see "sockchat --help")`);
      }
      if (opts.version) {
        run.io.stdout.enqueue(new TextEncoder().encode(versionText() + "\n"));
        run.exitCode = 0;
        return;
      }
      program.help();
    });
  program.addHelpText(
    "after",
    `
Examples:
  sockchat server --port 12345           start a chat server (others join with "sockchat client")
  sockchat client                        join the chat at 127.0.0.1:12345
  sockchat client example.com 80 < req   send a file and print the reply (byte-exact pipe)
  sockchat server --mode pipe --port 9000 > out.bin   receive one connection's bytes

Run "sockchat <command> --help" for a command's options.
Exit codes: 0 ok, 1 network/runtime failure, 2 usage error, 3 --expect not matched,
124 timeout, 130 interrupted.`,
  );
  addClientCommand(program, run);
  addServerCommand(program, run);
  addUdpCommand(program, run);
  // Set after the subcommands copied the strict setting: the root reports unknown commands.
  program.allowExcessArguments(true);
  return program;
}
