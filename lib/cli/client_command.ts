/**
 * `sockchat client`: its option table, and parsed argv → `ClientOptions`.
 * @module
 */

import type { ClientOptions } from "../commands/client.ts";
import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import type { Target } from "../net/address.ts";
import type { CommandSpec, OptionSpec } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import type { ParsedArgs } from "./command_spec.ts";
import { pipeOptions, readPipeOptions } from "./pipe_options.ts";
import { readScriptOptions, SCRIPT_EXAMPLES, SCRIPT_OPTIONS } from "./script_options.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  FAMILY_OPTIONS,
  familyOption,
  hostPortArgs,
} from "./target_options.ts";
import { CLIENT_TLS_OPTIONS, clientTlsOptions } from "./tls_options.ts";
import { parseCount, parseDuration, parsePositiveDuration } from "./values.ts";
import { RETRY_MAX_DELAY_MS, type RetryPolicy } from "../net/connect_retry.ts";
import { parseProxy, type ProxySpec } from "../net/proxy.ts";
import { readWireLogOptions, wireLogOptions } from "./wire_log_options.ts";

const CONNECTION = "Connection";
const TIMEOUTS = "Timeouts";
const RETRY = "Retrying";

/** `--retry-delay` when not given. */
export const RETRY_DEFAULT_DELAY = "1s";

const OPTIONS: OptionSpec[] = [
  {
    name: "host",
    value: "HOST",
    help: "host name or IP address",
    default: DEFAULT_HOST,
    group: CONNECTION,
  },
  {
    name: "port",
    short: "p",
    value: "PORT",
    help: "TCP port",
    default: String(DEFAULT_PORT),
    group: CONNECTION,
  },
  {
    name: "unix",
    short: "U",
    value: "PATH",
    help: "connect to a Unix domain socket instead of TCP",
    group: CONNECTION,
  },
  ...FAMILY_OPTIONS,
  {
    name: "proxy",
    value: "URL",
    help:
      "connect through a proxy: socks5://[USER:PASS@]HOST:PORT (the proxy resolves names) or http://HOST:PORT (CONNECT)",
    group: CONNECTION,
  },
  {
    name: "timeout",
    short: "t",
    value: "DUR",
    help: "give up after this long in all (exit 124)",
    group: TIMEOUTS,
  },
  {
    name: "connect-timeout",
    short: "w",
    value: "DUR",
    help: "give up connecting after this long (exit 124; -w as in nc)",
    group: TIMEOUTS,
  },
  {
    name: "idle-timeout",
    short: "i",
    value: "DUR",
    help: "end after this long without traffic (exit 124)",
    group: TIMEOUTS,
  },
  {
    name: "retry",
    value: "N",
    help:
      "when connecting fails (refused, unreachable, timed out, name not found yet) or the server closes before any data moved, try again up to N more times; exit 124 when spent",
    group: RETRY,
  },
  {
    name: "retry-for",
    value: "DUR",
    help: "keep retrying for up to this long (with --retry: whichever runs out first)",
    group: RETRY,
  },
  {
    name: "retry-delay",
    value: "DUR",
    help: `first pause between attempts, doubled each time up to ${RETRY_MAX_DELAY_MS / 1000}s`,
    default: RETRY_DEFAULT_DELAY,
    group: RETRY,
  },
  {
    name: "name",
    value: "NICK",
    help: "chat nickname: sends /nick NICK first, once a sockchat server greeted (waits up to 1s)",
    group: "Chat",
  },
  ...SCRIPT_OPTIONS,
  ...pipeOptions(),
  ...wireLogOptions(),
  ...CLIENT_TLS_OPTIONS,
  ...GLOBAL_OPTIONS,
];

/** `sockchat client`. */
export const CLIENT_COMMAND: CommandSpec = {
  path: ["client"],
  summary: "connect to a server: chat on a terminal, a byte-exact pipe otherwise",
  description:
    "Connect to a server. On a terminal: chat. Otherwise a byte-exact pipe: stdin → socket, socket → stdout; at the end of stdin it half-closes (FIN) and prints the rest of the reply; when the server closes first, the rest of stdin is still sent (stdin a terminal: it exits). Bytes not delivered (reset, peer gone) make exit 1.",
  args: [
    {
      name: "HOST[:PORT]",
      help:
        "where to connect (netcat style; same as --host): HOST, HOST:PORT, [IPv6]:PORT or unix:PATH",
    },
    { name: "PORT", help: "port to connect to (netcat style; same as --port)" },
  ],
  options: OPTIONS,
  examples: [
    "sockchat client                              join the chat at 127.0.0.1:12345",
    "sockchat client --name alice chat.example    chat as alice on chat.example:12345",
    "sockchat client example.com 80               netcat style: HOST PORT",
    "sockchat client 127.0.0.1:9000               or HOST:PORT, as wait takes it",
    "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | sockchat client example.com 80",
    "sockchat client --host ::1 --port 9000 < file.bin > reply.bin",
    "sockchat client unix:/run/app.sock           same as --unix /run/app.sock",
    "sockchat client --timeout 5s --json localhost 6379 < cmds.txt | jq .",
    "sockchat client --recv-only example.com 13                  just listen; exit when it closes",
    ...SCRIPT_EXAMPLES,
    "sockchat client --retry 5 localhost 6379 < cmds.txt   retry while refused: 1s, 2s, 4s, …",
    "sockchat client --retry 10 --recv-only app 8080    also while it accepts and closes at once",
    "sockchat client --proxy socks5://127.0.0.1:1080 example.com 80   through a SOCKS5 proxy",
    "sockchat client --proxy http://proxy:3128 --tls example.com 443   TLS inside the tunnel",
    "sockchat client --hex localhost 6379 < cmds.txt     every byte both ways on stderr, hexdump -C style",
    "sockchat client --log session.txt example.com 25    the conversation as text in session.txt",
    "sockchat client --tls example.com 443        TLS, certificate and name verified",
    "sockchat client --fingerprint 3F:9A:…:C2 127.0.0.1 12345    pin a server --tls certificate",
    "sockchat client --ca ca.pem --servername chat.internal 10.0.0.5 12345",
  ],
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = clientOptions(parsed);
    const { runClient } = await import("../commands/client.ts");
    return await runClient(options, ctx);
  },
};

/** Converts parsed argv into typed client options (validated before anything connects). */
export function clientOptions(parsed: ParsedArgs): ClientOptions {
  const { opts } = parsed;
  const options: ClientOptions = { target: clientTarget(parsed) };
  const family = familyOption(parsed, options.target);
  if (family !== undefined) options.family = family;
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
  const script = readScriptOptions(parsed);
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
  const wireLog = readWireLogOptions(opts);
  if (wireLog !== undefined) options.wireLog = wireLog;
  const tls = clientTlsOptions(opts);
  if (tls) options.tls = tls;
  if (typeof opts.proxy === "string") options.proxy = proxyOption(opts.proxy, options);
  const retry = retryPolicy(parsed);
  if (retry) options.retry = retry;
  return options;
}

/** `--proxy URL`, checked against the rest of the options. */
function proxyOption(text: string, options: ClientOptions): ProxySpec {
  let spec: ProxySpec;
  try {
    spec = parseProxy(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (options.target.transport === "unix") {
    throw new UsageError("Option --proxy needs a TCP target, not a Unix socket");
  }
  if (options.family !== undefined) {
    throw new UsageError(
      `Options --proxy and -${options.family} cannot be used together: the proxy resolves the host`,
    );
  }
  return spec;
}

/** `--retry N`, `--retry-for DUR`, `--retry-delay DUR`, or `undefined` without retries. */
export function retryPolicy(parsed: ParsedArgs): RetryPolicy | undefined {
  const { opts, given } = parsed;
  if (!given.has("retry") && !given.has("retryFor")) {
    if (given.has("retryDelay")) {
      throw new UsageError("Option --retry-delay needs --retry N or --retry-for DUR");
    }
    return undefined;
  }
  return {
    delayMs: parsePositiveDuration(String(opts.retryDelay ?? RETRY_DEFAULT_DELAY), "--retry-delay"),
    ...(given.has("retry") ? { retries: parseCount(String(opts.retry), "--retry", 0) } : {}),
    ...(given.has("retryFor")
      ? { forMs: parsePositiveDuration(String(opts.retryFor), "--retry-for") }
      : {}),
  };
}

/** Checks `--name`: one word of printable characters (the server applies its own rules). */
export function parseNick(name: string): string {
  if (name === "" || /[\s\p{Cc}\p{Cf}]/u.test(name) || [...name].length > 64) {
    throw new UsageError(
      `Invalid --name ${quote(name)}: expected one word of up to 64 printable characters`,
    );
  }
  return name;
}

/** The target from `--host/--port/--unix` and the positional `HOST[:PORT] [PORT]`. */
export function clientTarget(parsed: ParsedArgs): Target {
  return hostPortArgs(parsed, { listening: false });
}
