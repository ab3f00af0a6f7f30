/**
 * `sockchat server`: argv → `ServerOptions`.
 * @module
 */

import { type Command, Option } from "commander";
import { runServer } from "../commands/server.ts";
import type { ServerMode, ServerOptions } from "../commands/server_options.ts";
import { UsageError } from "../errors.ts";
import { type Target, unbracket } from "../net/address.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./client_command.ts";
import { type CliRun, defineLeaf } from "./define.ts";
import { parseDuration, parsePortOption } from "./values.ts";
import { addServerTlsOptions, serverTlsOptions } from "./tls_options.ts";

const MODES: ServerMode[] = ["chat", "pipe", "echo"];

const EXAMPLES = [
  "sockchat server                              chat room on 127.0.0.1:12345",
  "sockchat server --port 0 --json              pick a free port; read it from the listening event",
  "sockchat server --mode pipe --port 9000 > received.bin      like nc -l",
  "sockchat server --mode pipe --keep-open < motd.txt          serve clients one after another",
  "sockchat server --mode echo --host :: --port 7              echo server on all interfaces",
  "sockchat server --unix /tmp/chat.sock",
  "sockchat server --mode echo --tls --port 0     TLS with a fresh self-signed certificate",
  "sockchat server --tls --cert server.pem --key server.key",
];

/** Registers `server` on the program. */
export function addServerCommand(program: Command, run: CliRun): void {
  const command = program
    .command("server")
    .description(
      "Listen for connections. Modes: chat (default: a multi-client chat room), pipe (like nc -l: one client ↔ stdin/stdout, byte-exact), echo (every byte back to its sender). " +
        'Prints "listening on HOST:PORT" on stderr (or a listening event) once bound.',
    )
    .addOption(
      new Option("--host <host>", "address to bind (0.0.0.0 or :: for all interfaces)").default(
        DEFAULT_HOST,
      ),
    )
    .addOption(
      new Option("-p, --port <port>", "TCP port (0 picks a free one)").default(
        String(DEFAULT_PORT),
      ),
    )
    .option("-U, --unix <path>", "listen on a Unix domain socket instead of TCP")
    .addOption(
      new Option("-m, --mode <mode>", "what to do with connections").choices(MODES).default("chat"),
    )
    .option("-k, --keep-open", "pipe mode: serve the next client after one leaves")
    .option("-t, --timeout <duration>", "stop after this long in all (exit 124)")
    .option("-i, --idle-timeout <duration>", "close a connection after this long without traffic");
  addServerTlsOptions(command);
  defineLeaf(
    run,
    command,
    EXAMPLES,
    (opts, _args, ctx) => runServer(serverOptions(opts, command), ctx),
  );
}

/** Converts commander's option bag into typed server options (validated). */
export function serverOptions(opts: Record<string, unknown>, command: Command): ServerOptions {
  const options: ServerOptions = {
    target: serverTarget(opts, command),
    mode: opts.mode as ServerMode,
    keepOpen: opts.keepOpen === true,
  };
  if (options.keepOpen && options.mode !== "pipe") {
    throw new UsageError("Option --keep-open only applies to --mode pipe");
  }
  if (typeof opts.timeout === "string") {
    options.timeoutMs = parseDuration(opts.timeout, "--timeout");
  }
  if (typeof opts.idleTimeout === "string") {
    options.idleTimeoutMs = parseDuration(opts.idleTimeout, "--idle-timeout");
  }
  const tls = serverTlsOptions(opts);
  if (tls) options.tls = tls;
  return options;
}

function serverTarget(opts: Record<string, unknown>, command: Command): Target {
  const explicit = (name: string) => command.getOptionValueSource(name) === "cli";
  if (typeof opts.unix === "string") {
    if (explicit("host") || explicit("port")) {
      throw new UsageError("Option --unix cannot be combined with --host or --port");
    }
    if (opts.unix === "") throw new UsageError("Option --unix needs a path");
    return { transport: "unix", path: opts.unix };
  }
  const host = unbracket(String(opts.host));
  if (host === "") throw new UsageError('Invalid host "": expected a host name or IP address');
  return { transport: "tcp", host, port: parsePortOption(String(opts.port), "--port", true) };
}
