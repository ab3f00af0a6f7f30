/**
 * `sockchat client`: argv → `ClientOptions`.
 * @module
 */

import { type Command, Option } from "commander";
import { type ClientOptions, runClient } from "../commands/client.ts";
import { UsageError } from "../errors.ts";
import { type Target, unbracket } from "../net/address.ts";
import { type CliRun, defineLeaf } from "./define.ts";
import { addPipeOptions, readPipeOptions } from "./pipe_options.ts";
import { addScriptOptions, readScriptOptions, SCRIPT_EXAMPLES } from "./script_options.ts";
import { parseDuration, parsePortOption } from "./values.ts";
import { addClientTlsOptions, clientTlsOptions } from "./tls_options.ts";

/** Default host and port of `client` and `server`. */
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 12345;

const EXAMPLES = [
  "sockchat client                              join the chat at 127.0.0.1:12345",
  "sockchat client --name alice chat.example    chat as alice on chat.example:12345",
  "sockchat client example.com 80               netcat style: HOST PORT",
  "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | sockchat client example.com 80",
  "sockchat client --host ::1 --port 9000 < file.bin > reply.bin",
  "sockchat client --unix /run/app.sock",
  "sockchat client --timeout 5s --json localhost 6379 < cmds.txt | jq .",
  "sockchat client --recv-only example.com 13                  just listen; exit when it closes",
  ...SCRIPT_EXAMPLES,
  "sockchat client --tls example.com 443        TLS, certificate and name verified",
  "sockchat client --fingerprint 3F:9A:…:C2 127.0.0.1 12345    pin a server --tls certificate",
  "sockchat client --ca ca.pem --servername chat.internal 10.0.0.5 12345",
];

/** Registers `client` on the program. */
export function addClientCommand(program: Command, run: CliRun): void {
  const command = program
    .command("client")
    .description(
      "Connect to a server. On a terminal: chat. Otherwise a byte-exact pipe: stdin → socket, socket → stdout; at the end of stdin it half-closes (FIN) and prints the rest of the reply; when the server closes first, the rest of stdin is still sent (stdin a terminal: it exits). Bytes not delivered (reset, peer gone) make exit 1.",
    )
    .argument("[host]", "host to connect to (netcat style; same as --host)")
    .argument("[port]", "port to connect to (netcat style; same as --port)")
    .addOption(new Option("--host <host>", "host name or IP address").default(DEFAULT_HOST))
    .addOption(new Option("-p, --port <port>", "TCP port").default(String(DEFAULT_PORT)))
    .option("-U, --unix <path>", "connect to a Unix domain socket instead of TCP")
    .option("-t, --timeout <duration>", "give up after this long in all (exit 124)")
    .option("--connect-timeout <duration>", "give up connecting after this long (exit 124)")
    .option("-i, --idle-timeout <duration>", "end after this long without traffic (exit 124)")
    .option("--name <nick>", "chat nickname: sends /nick NICK first after connecting");
  addScriptOptions(command);
  addPipeOptions(command);
  addClientTlsOptions(command);
  defineLeaf(
    run,
    command,
    EXAMPLES,
    (opts, args, ctx) => runClient(clientOptions(opts, args, command), ctx),
  );
}

/** Converts commander's option bag into typed client options (validated). */
export function clientOptions(
  opts: Record<string, unknown>,
  args: string[],
  command: Command,
): ClientOptions {
  const options: ClientOptions = { target: clientTarget(opts, args, command) };
  if (typeof opts.timeout === "string") {
    options.timeoutMs = parseDuration(opts.timeout, "--timeout");
  }
  if (typeof opts.connectTimeout === "string") {
    options.connectTimeoutMs = parseDuration(opts.connectTimeout, "--connect-timeout");
  }
  if (typeof opts.idleTimeout === "string") {
    options.idleTimeoutMs = parseDuration(opts.idleTimeout, "--idle-timeout");
  }
  if (typeof opts.name === "string") options.name = parseNick(opts.name);
  const script = readScriptOptions(opts);
  if (script !== undefined) options.script = script;
  const pipe = readPipeOptions(opts);
  if (pipe !== undefined) {
    if (pipe.recvOnly && script !== undefined && script.sends.length > 0) {
      throw new UsageError("Option --recv-only cannot be combined with --send or --send-file");
    }
    if (pipe.sendOnly && script !== undefined && script.expects.length > 0) {
      throw new UsageError("Option --send-only cannot be combined with --expect");
    }
    options.pipe = pipe;
  }
  const tls = clientTlsOptions(opts);
  if (tls) options.tls = tls;
  return options;
}

/** Checks `--name`: one word of printable characters (the server applies its own rules). */
export function parseNick(name: string): string {
  if (name === "" || /[\s\p{Cc}\p{Cf}]/u.test(name) || [...name].length > 64) {
    throw new UsageError(
      `Invalid --name ${JSON.stringify(name)}: expected one word of up to 64 printable characters`,
    );
  }
  return name;
}

/** Resolves the target from `--host/--port/--unix` and the positional HOST PORT. */
export function clientTarget(
  opts: Record<string, unknown>,
  args: string[],
  command: Command,
): Target {
  const [hostArg, portArg] = args;
  const explicit = (name: string) => command.getOptionValueSource(name) === "cli";
  if (hostArg !== undefined && explicit("host")) {
    throw new UsageError(`Give the host once: "${hostArg}" and --host ${String(opts.host)}`);
  }
  if (portArg !== undefined && explicit("port")) {
    throw new UsageError(`Give the port once: "${portArg}" and --port ${String(opts.port)}`);
  }
  if (typeof opts.unix === "string") {
    if (hostArg !== undefined || explicit("host") || explicit("port")) {
      throw new UsageError("Option --unix cannot be combined with a host or port");
    }
    if (opts.unix === "") throw new UsageError("Option --unix needs a path");
    return { transport: "unix", path: opts.unix };
  }
  const host = unbracket(hostArg ?? String(opts.host));
  if (host === "") throw new UsageError('Invalid host "": expected a host name or IP address');
  const port = parsePortOption(portArg ?? String(opts.port), portArg ? "port" : "--port");
  return { transport: "tcp", host, port };
}
