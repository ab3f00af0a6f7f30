/**
 * `sockchat server`: argv → `ServerOptions`.
 * @module
 */

import { type Command, Option } from "commander";
import { runServer } from "../commands/server.ts";
import {
  CHAT_DEFAULTS,
  type ChatModeOptions,
  DEFAULT_REDIS_TTL_MS,
  DEFAULT_ROOM,
  type ServerMode,
  type ServerOptions,
  type SharedRoomOptions,
} from "../commands/server_options.ts";
import { parseRedisUrl } from "../net/redis_url.ts";
import { isGuestName, nickProblem } from "../chat/nick.ts";
import { type Cidr, parseCidr } from "../net/cidr.ts";
import { UsageError } from "../errors.ts";
import { type Target, unbracket } from "../net/address.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./client_command.ts";
import { type CliRun, defineLeaf } from "./define.ts";
import { parseCount, parseDuration, parsePortOption } from "./values.ts";
import { addServerTlsOptions, serverTlsOptions } from "./tls_options.ts";

const MODES: ServerMode[] = ["chat", "pipe", "echo"];

const EXAMPLES = [
  "sockchat server                              chat room on 127.0.0.1:12345",
  "sockchat server --port 0 --json              pick a free port; read it from the listening event",
  "sockchat server --mode pipe --port 9000 > received.bin      like nc -l",
  "sockchat server --mode pipe --keep-open < motd.txt          serve clients one after another",
  "sockchat server --mode echo --host :: --port 7              echo server on all interfaces",
  "sockchat server --unix /tmp/chat.sock",
  "sockchat server --host :: --allow 192.168.0.0/16 --deny 192.168.0.13 --name alice",
  "sockchat server --max-clients 10 --idle-timeout 30m --history 50 < /dev/null",
  "sockchat server --mode echo --tls --port 0     TLS with a fresh self-signed certificate",
  "sockchat server --tls --cert server.pem --key server.key",
  "sockchat server --redis redis://127.0.0.1:6379 --room ops --reuse-port --port 5000   once per core",
];

/** Chat-only options, as commander names them. */
const CHAT_OPTIONS = [
  "name",
  "maxLine",
  "maxClients",
  "history",
  "allow",
  "deny",
  "redis",
  "room",
  "redisTtl",
] as const;

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

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
    .option("-i, --idle-timeout <duration>", "close a connection after this long without traffic")
    .option("--name <nick>", `chat: your nickname as operator (default: ${CHAT_DEFAULTS.name})`)
    .option(
      "--max-line <bytes>",
      `chat: longest line; longer ones are cut (default: ${CHAT_DEFAULTS.maxLineBytes})`,
    )
    .option(
      "--max-clients <n>",
      `chat: most clients at once; more get "server full" (default: ${CHAT_DEFAULTS.maxClients})`,
    )
    .option(
      "--history <n>",
      `chat: past messages shown to newcomers, 0 for none (default: ${CHAT_DEFAULTS.historySize})`,
    )
    .addOption(
      new Option("--allow <cidr>", "chat: accept only these networks (repeatable)").argParser(
        collect,
      ),
    )
    .addOption(
      new Option("--deny <cidr>", "chat: refuse these networks; deny wins (repeatable)")
        .argParser(collect),
    )
    .option(
      "--redis <url>",
      "chat: share the room with every server on this Redis (redis://[user:pass@]host:port[/db])",
    )
    .option(
      "--room <name>",
      `chat: the shared room's name, with --redis (default: ${DEFAULT_ROOM})`,
    )
    .option(
      "--redis-ttl <duration>",
      `chat: a silent server's members leave after this, with --redis (default: ${
        DEFAULT_REDIS_TTL_MS / 1000
      }s)`,
    )
    .option("--reuse-port", "several servers share one TCP port (SO_REUSEPORT)");
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
  if (options.mode === "chat") {
    options.chat = chatOptions(opts, options.target);
  } else {
    const given = CHAT_OPTIONS.find((name) => command.getOptionValueSource(name) === "cli");
    if (given !== undefined) {
      throw new UsageError(`Option --${kebab(given)} only applies to --mode chat`);
    }
  }
  const tls = serverTlsOptions(opts);
  if (tls) options.tls = tls;
  if (opts.reusePort === true) {
    if (options.target.transport !== "tcp") {
      throw new UsageError("Option --reuse-port needs TCP: it cannot be used with --unix");
    }
    if (tls) throw new UsageError("Option --reuse-port cannot be combined with --tls yet");
    options.target = { ...options.target, reusePort: true };
  }
  return options;
}

/** Validates the chat-only options. */
export function chatOptions(opts: Record<string, unknown>, target: Target): ChatModeOptions {
  const chat: ChatModeOptions = { ...CHAT_DEFAULTS };
  if (typeof opts.name === "string") {
    const problem = nickProblem(opts.name) ??
      (isGuestName(opts.name) ? "names like guestN are reserved for newcomers" : null);
    if (problem !== null) throw new UsageError(`Invalid --name "${opts.name}": ${problem}`);
    chat.name = opts.name;
  }
  if (typeof opts.maxLine === "string") {
    chat.maxLineBytes = parseCount(opts.maxLine, "--max-line", 16, 16 << 20);
  }
  if (typeof opts.maxClients === "string") {
    chat.maxClients = parseCount(opts.maxClients, "--max-clients", 1, 1_000_000);
  }
  if (typeof opts.history === "string") {
    chat.historySize = parseCount(opts.history, "--history", 0, 10_000);
  }
  chat.allow = cidrs(opts.allow, "--allow");
  chat.deny = cidrs(opts.deny, "--deny");
  if (typeof opts.redis === "string") {
    chat.redis = sharedRoom(opts);
  } else if (typeof opts.room === "string" || typeof opts.redisTtl === "string") {
    throw new UsageError(
      `Option --${typeof opts.room === "string" ? "room" : "redis-ttl"} needs --redis`,
    );
  }
  if (target.transport === "unix" && chat.allow.length + chat.deny.length > 0) {
    throw new UsageError("Options --allow and --deny need TCP: they cannot be used with --unix");
  }
  return chat;
}

function sharedRoom(opts: Record<string, unknown>): SharedRoomOptions {
  let address;
  try {
    address = parseRedisUrl(String(opts.redis));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (--redis)`);
  }
  const room = typeof opts.room === "string" ? opts.room : DEFAULT_ROOM;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(room)) {
    throw new UsageError(
      `Invalid --room "${room}": use 1 to 64 letters A-Z, digits, ".", "_" and "-"`,
    );
  }
  const ttlMs = typeof opts.redisTtl === "string"
    ? Math.round(parseDuration(opts.redisTtl, "--redis-ttl"))
    : DEFAULT_REDIS_TTL_MS;
  if (ttlMs < 300) throw new UsageError("Option --redis-ttl must be at least 300ms");
  return { address, room, ttlMs };
}

function cidrs(values: unknown, option: string): Cidr[] {
  if (!Array.isArray(values)) return [];
  return values.map((value) => {
    try {
      return parseCidr(String(value));
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (${option})`);
    }
  });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
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
