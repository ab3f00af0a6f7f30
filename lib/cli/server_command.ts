/**
 * `sockchat server`: argv → `ServerOptions`.
 * @module
 */

import type { ServerMode, ServerOptions } from "../commands/server_options.ts";
import {
  CHAT_DEFAULTS,
  type ChatModeOptions,
  DEFAULT_REDIS_TTL_MS,
  DEFAULT_ROOM,
  type SharedRoomOptions,
} from "../commands/server_options.ts";
import { parseRedisUrl } from "../net/redis_url.ts";
import { isGuestName, nickProblem } from "../chat/nick.ts";
import { type Cidr, parseCidr } from "../net/cidr.ts";
import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import { parseHost, parsePort, splitHostPort, type Target } from "../net/address.ts";
import { type CommandSpec, optionKey, type OptionSpec } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import type { ParsedArgs } from "./command_spec.ts";
import { givenPipeOption, pipeOptions, readPipeOptions } from "./pipe_options.ts";
import { givenWireLogOption, readWireLogOptions, wireLogOptions } from "./wire_log_options.ts";
import { DEFAULT_HOST, DEFAULT_PORT, hostPortArgs } from "./target_options.ts";
import { SERVER_TLS_OPTIONS, serverTlsOptions } from "./tls_options.ts";
import { parseCount, parseDuration } from "./values.ts";

const MODES: ServerMode[] = ["chat", "pipe", "echo"];

const LISTENING = "Listening";
const MODE = "Mode";
const CHAT = "Chat (--mode chat)";
const SHARED = "One room on many servers (--mode chat)";

/** The chat-only options: given with another mode they are a usage error. */
const CHAT_OPTIONS: readonly OptionSpec[] = [
  {
    name: "name",
    value: "NICK",
    help: "your nickname as operator",
    default: CHAT_DEFAULTS.name,
    group: CHAT,
  },
  {
    name: "max-line",
    value: "BYTES",
    help: "longest line; longer ones are cut",
    default: String(CHAT_DEFAULTS.maxLineBytes),
    group: CHAT,
  },
  {
    name: "max-per-ip",
    value: "N",
    help: "most connections from one address at once; more are turned away",
    default: String(CHAT_DEFAULTS.maxPerIp),
    group: CHAT,
  },
  {
    name: "join-timeout",
    value: "DUR",
    help: "drop a newcomer that says nothing (no non-blank line) this long after joining",
    default: `${CHAT_DEFAULTS.joinTimeoutMs / 1000}s`,
    group: CHAT,
  },
  {
    name: "history",
    value: "N",
    help: "past messages shown to newcomers, 0 for none",
    default: String(CHAT_DEFAULTS.historySize),
    group: CHAT,
  },
  {
    name: "allow",
    value: "CIDR",
    help: "accept only these networks (repeatable)",
    repeatable: true,
    group: CHAT,
  },
  {
    name: "deny",
    value: "CIDR",
    help: "refuse these networks; deny wins (repeatable)",
    repeatable: true,
    group: CHAT,
  },
  {
    name: "web",
    value: "[HOST:]PORT",
    help: "also serve the chat page for browsers here (HOST defaults to 127.0.0.1; " +
      "with --tls, https)",
    group: CHAT,
  },
  {
    name: "redis",
    value: "URL",
    help: "share the room with every server on this Redis: redis://[user:pass@]host[:port][/db]",
    group: SHARED,
  },
  {
    name: "room",
    value: "NAME",
    help: `the shared room's name, with --redis (default: ${DEFAULT_ROOM})`,
    group: SHARED,
  },
  {
    name: "redis-ttl",
    value: "DUR",
    help: `a silent server's members leave after this, with --redis (default: ${
      DEFAULT_REDIS_TTL_MS / 1000
    }s)`,
    group: SHARED,
  },
];

const OPTIONS: readonly OptionSpec[] = [
  {
    name: "host",
    value: "HOST",
    help: "address to bind; 0.0.0.0 or :: for all interfaces",
    default: DEFAULT_HOST,
    group: LISTENING,
  },
  {
    name: "port",
    short: "p",
    value: "PORT",
    help: "TCP port (0 picks a free one)",
    default: String(DEFAULT_PORT),
    group: LISTENING,
  },
  {
    name: "unix",
    short: "U",
    value: "PATH",
    help: "listen on a Unix domain socket instead of TCP",
    group: LISTENING,
  },
  {
    name: "reuse-port",
    help: "several servers share one TCP port (SO_REUSEPORT), e.g. one per core with --redis",
    group: LISTENING,
  },
  {
    name: "mode",
    short: "m",
    value: "MODE",
    help: "what to do with connections: chat, pipe or echo",
    default: "chat",
    choices: MODES,
    group: MODE,
  },
  {
    name: "exec",
    help:
      "run a program for each client, the connection as its stdin and stdout: --exec -- PROGRAM [ARGS...] (argv, never a shell; like ncat -e)",
    group: MODE,
  },
  {
    name: "max-clients",
    value: "N",
    help: 'chat, --exec: most clients at once; more are turned away (chat: "server full")',
    default: String(CHAT_DEFAULTS.maxClients),
    group: MODE,
  },
  {
    name: "keep-open",
    short: "k",
    help: "pipe mode: serve the next client after one leaves",
    group: MODE,
  },
  {
    name: "timeout",
    short: "t",
    value: "DUR",
    help: "stop after this long in all (exit 124)",
    group: "Timeouts",
  },
  {
    name: "idle-timeout",
    short: "i",
    value: "DUR",
    help: "close a connection after this long without traffic (chat: without a non-blank line)",
    group: "Timeouts",
  },
  ...pipeOptions("pipe mode: "),
  ...wireLogOptions("pipe, echo, --exec: "),
  ...CHAT_OPTIONS,
  ...SERVER_TLS_OPTIONS,
  ...GLOBAL_OPTIONS,
];

/** `sockchat server`. */
export const SERVER_COMMAND: CommandSpec = {
  path: ["server"],
  summary: "listen: a chat room, a byte-exact pipe (like nc -l) or an echo server",
  description:
    "Listen for connections. Modes: chat (default: a multi-client chat room), pipe (like nc -l: one client ↔ stdin/stdout, byte-exact), echo (every byte back to its sender). " +
    'Prints "listening on HOST:PORT" on stderr (or a listening event) once bound.',
  args: [
    {
      name: "-- PROGRAM ARGS",
      help: "with --exec: the program to run for each client, and its arguments",
      variadic: true,
    },
  ],
  options: OPTIONS,
  examples: [
    "sockchat server                              chat room on 127.0.0.1:12345",
    "sockchat server --port 0 --json              pick a free port; read it from the listening event",
    "sockchat server --mode pipe --port 9000 > received.bin      like nc -l",
    "sockchat server --mode pipe --keep-open < motd.txt          serve clients one after another",
    "sockchat server --mode echo --host :: --port 7              echo server on all interfaces",
    "sockchat server --mode pipe --hex --log wire.txt > data.bin   data on stdout, hex transcript in wire.txt",
    "sockchat server --unix /tmp/chat.sock",
    "sockchat server --host :: --allow 192.168.0.0/16 --deny 192.168.0.13 --name alice",
    "sockchat server --max-clients 10 --idle-timeout 30m --history 50 < /dev/null",
    "sockchat server --port 9000 --exec -- tr a-z A-Z      each client talks to its own tr",
    "sockchat server --mode echo --tls --port 0     TLS with a fresh self-signed certificate",
    "sockchat server --tls --cert server.pem --key server.key",
    "sockchat server --web 8080                   the chat page at http://127.0.0.1:8080/",
    "sockchat server --redis redis://127.0.0.1:6379 --room ops --reuse-port --port 5000   once per core",
  ],
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = serverOptions(parsed);
    const { runServer } = await import("../commands/server.ts");
    return await runServer(options, ctx);
  },
};

/** Converts parsed argv into typed server options (validated before anything listens). */
export function serverOptions(parsed: ParsedArgs): ServerOptions {
  const { opts, given } = parsed;
  const program = execArgv(parsed);
  const options: ServerOptions = {
    target: hostPortArgs({ ...parsed, args: [] }, { listening: true }),
    mode: program === undefined ? opts.mode as ServerMode : "exec",
    keepOpen: opts.keepOpen === true,
  };
  if (program !== undefined) {
    if (given.has("mode")) {
      throw new UsageError(`Option --exec cannot be combined with --mode ${opts.mode}`);
    }
    options.exec = {
      argv: program,
      maxClients: typeof opts.maxClients === "string"
        ? parseCount(opts.maxClients, "--max-clients", 1, 100_000)
        : CHAT_DEFAULTS.maxClients,
    };
  } else if (given.has("maxClients") && options.mode !== "chat") {
    throw new UsageError("Option --max-clients only applies to --mode chat or --exec");
  }
  if (options.keepOpen && options.mode !== "pipe") {
    throw new UsageError("Option --keep-open only applies to --mode pipe");
  }
  const pipeOnly = givenPipeOption(given);
  if (pipeOnly !== undefined && options.mode !== "pipe") {
    throw new UsageError(`Option ${pipeOnly} only applies to --mode pipe`);
  }
  const pipe = readPipeOptions(opts);
  if (pipe !== undefined) options.pipe = pipe;
  const wireLogOnly = givenWireLogOption(given);
  if (wireLogOnly !== undefined && options.mode === "chat") {
    throw new UsageError(`Option ${wireLogOnly} only applies to --mode pipe or echo, or --exec`);
  }
  const wireLog = readWireLogOptions(opts);
  if (wireLog !== undefined) options.wireLog = wireLog;
  if (typeof opts.timeout === "string") {
    options.timeoutMs = parseDuration(opts.timeout, "--timeout");
  }
  if (typeof opts.idleTimeout === "string") {
    options.idleTimeoutMs = parseDuration(opts.idleTimeout, "--idle-timeout");
  }
  if (options.mode === "chat") {
    options.chat = chatOptions(opts, options.target);
  } else {
    const chatOnly = CHAT_OPTIONS.find((o) => given.has(optionKey(o.name)));
    if (chatOnly !== undefined) {
      throw new UsageError(`Option --${chatOnly.name} only applies to --mode chat`);
    }
  }
  const tls = serverTlsOptions(opts, given);
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

/**
 * `--exec -- PROGRAM [ARGS...]`: the program's argv, or `undefined` without `--exec`.
 * Words before `--` are never a program (and nothing else takes positionals).
 */
function execArgv(parsed: ParsedArgs): string[] | undefined {
  const { args, dashAt } = parsed;
  const exec = parsed.opts.exec === true;
  if (args.length > 0 && (!exec || dashAt !== 0)) {
    const extra = args.slice(0, exec ? dashAt ?? args.length : args.length);
    throw new UsageError(
      `Too many arguments: ${extra.map((a) => quote(a)).join(" ")}: ${
        exec
          ? "the program goes after --: --exec -- PROGRAM [ARGS...]"
          : "this command takes none, except a program after --exec --"
      }`,
    );
  }
  if (!exec) return undefined;
  if (args.length === 0) {
    throw new UsageError("Option --exec needs a program after --: --exec -- PROGRAM [ARGS...]");
  }
  return args;
}

/** Validates the chat-only options. */
export function chatOptions(opts: Record<string, unknown>, target: Target): ChatModeOptions {
  const chat: ChatModeOptions = { ...CHAT_DEFAULTS };
  if (typeof opts.name === "string") {
    const problem = nickProblem(opts.name) ??
      (isGuestName(opts.name) ? "names like guestN are reserved for newcomers" : null);
    if (problem !== null) throw new UsageError(`Invalid --name ${quote(opts.name)}: ${problem}`);
    chat.name = opts.name;
  }
  if (typeof opts.maxLine === "string") {
    chat.maxLineBytes = parseCount(opts.maxLine, "--max-line", 16, 16 << 20);
  }
  if (typeof opts.maxClients === "string") {
    chat.maxClients = parseCount(opts.maxClients, "--max-clients", 1, 1_000_000);
  }
  if (typeof opts.maxPerIp === "string") {
    chat.maxPerIp = parseCount(opts.maxPerIp, "--max-per-ip", 1, 1_000_000);
  }
  if (typeof opts.joinTimeout === "string") {
    chat.joinTimeoutMs = parseDuration(opts.joinTimeout, "--join-timeout");
  }
  if (typeof opts.history === "string") {
    chat.historySize = parseCount(opts.history, "--history", 0, 10_000);
  }
  if (typeof opts.web === "string") chat.web = webListen(opts.web);
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

/** `--web [HOST:]PORT`: where the chat page listens; loopback unless a host is given. */
export function webListen(text: string): { host: string; port: number } {
  const parts = /^[0-9]+$/.test(text) ? { host: DEFAULT_HOST, port: text } : splitHostPort(text);
  if (parts.port === undefined) {
    throw new UsageError(`Invalid --web ${quote(text)}: expected PORT, HOST:PORT or [IPv6]:PORT`);
  }
  try {
    return { host: parseHost(parts.host), port: parsePort(parts.port, true) };
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (--web)`);
  }
}

/** `--redis`, `--room`, `--redis-ttl`, checked before anything connects. */
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
      `Invalid --room ${quote(room)}: use 1 to 64 letters A-Z, digits, ".", "_" and "-"`,
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
