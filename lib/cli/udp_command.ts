/**
 * `sockchat udp send` and `sockchat udp recv`: argv → typed options, validated before
 * any socket is opened.
 * @module
 */

import { isMulticast, parseIpv4 } from "../net/ip.ts";
import type { UdpRecvOptions } from "../commands/udp_recv.ts";
import type { UdpSendOptions } from "../commands/udp_send.ts";
import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import { parseHost } from "../net/address.ts";
import type { DatagramFormat } from "../output/datagram_format.ts";
import type { CommandSpec, OptionSpec } from "./command_spec.ts";
import { GLOBAL_OPTIONS } from "./global_options.ts";
import { NC_FLAGS } from "./nc_flags.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./target_options.ts";
import { parseCount, parseDuration, parsePortOption, parsePositiveDuration } from "./values.ts";

const NO_DELIVERY =
  "UDP gives no delivery signal: exit 0 means the datagrams were handed to the network, not that anyone received them.";

const SEND_EXAMPLES = [
  "sockchat udp send hello there                 one datagram to 127.0.0.1:12345",
  "sockchat udp send --host ::1 --port 9000 ping",
  "printf 'a\\nb\\n' | sockchat udp send --port 9000    two datagrams: a, b",
  "sockchat udp send --raw --port 9000 < packet.bin  all of stdin as one datagram",
  "sockchat udp send --count 10 --interval 1s beat   a heartbeat",
  "sockchat udp send --port 53 --raw --wait-reply 2s < query.bin > answer.bin",
  "sockchat udp send --broadcast --host 255.255.255.255 --port 9999 hello",
];

const RECV_EXAMPLES = [
  "sockchat udp recv                             print datagrams sent to 127.0.0.1:12345",
  "sockchat udp recv --port 0 --json             pick a free port; NDJSON datagram events",
  "sockchat udp recv --port 9000 --count 1 --timeout 5s > msg.txt",
  "sockchat udp recv --port 9000 --raw > stream.bin",
  "sockchat udp recv --port 9000 --hex",
  "sockchat udp recv --host 0.0.0.0 --port 7 --echo    a UDP echo server",
  "sockchat udp recv --join 239.1.2.3 --port 5000",
  "sockchat udp recv --join 239.1.2.3 --join-interface 192.168.1.20 --port 5000",
];

/** Kept out of help: only there to say that UDP has no TLS. */
const HIDDEN_TLS: OptionSpec = { name: "tls", help: "", group: "", hidden: true };

const SEND_OPTIONS: readonly OptionSpec[] = [
  {
    name: "host",
    value: "HOST",
    help: "host name or IP address",
    default: DEFAULT_HOST,
    group: "Destination",
  },
  {
    name: "port",
    short: "p",
    value: "PORT",
    help: "UDP port",
    default: String(DEFAULT_PORT),
    group: "Destination",
  },
  {
    name: "broadcast",
    short: "b",
    help: "allow a broadcast destination (e.g. 255.255.255.255)",
    group: "Destination",
  },
  {
    name: "raw",
    help: "send all of stdin as one datagram (binary-safe); print a reply byte-exact",
    group: "Sending",
  },
  {
    name: "count",
    short: "c",
    value: "N",
    help: "send the datagrams N times (0: until interrupted)",
    default: "1",
    group: "Sending",
  },
  {
    name: "interval",
    value: "DUR",
    help: "pause between datagrams",
    default: "0s",
    group: "Sending",
  },
  {
    name: "wait-reply",
    short: "w",
    value: "DUR",
    help: "wait this long for one reply and print it (exit 124 if none)",
    group: "Reply",
  },
  { name: "hex", help: "print the reply as a hex dump", group: "Reply" },
  HIDDEN_TLS,
  ...GLOBAL_OPTIONS,
];

const RECV_OPTIONS: readonly OptionSpec[] = [
  {
    name: "host",
    value: "HOST",
    help: "address to bind; 0.0.0.0 or :: for all interfaces",
    default: DEFAULT_HOST,
    group: "Listening",
  },
  {
    name: "port",
    short: "p",
    value: "PORT",
    help: "UDP port (0 picks a free one)",
    default: String(DEFAULT_PORT),
    group: "Listening",
  },
  {
    name: "join",
    value: "GROUP",
    help: "join an IPv4 multicast group (binds the group address unless --host)",
    group: "Listening",
  },
  {
    name: "join-interface",
    value: "ADDR",
    help:
      "with --join: the IPv4 address of the interface to join on (without it: the system's choice)",
    group: "Listening",
  },
  { name: "raw", help: "write payloads byte-exact, nothing added", group: "Receiving" },
  { name: "hex", help: "print each datagram as a hex dump", group: "Receiving" },
  { name: "count", short: "c", value: "N", help: "exit 0 after N datagrams", group: "Receiving" },
  {
    name: "timeout",
    short: "t",
    value: "DUR",
    help: "exit 124 if --count (or, without it, any datagram) was not reached in time",
    group: "Receiving",
  },
  {
    name: "echo",
    short: "e",
    help: "send each datagram back to its sender (a UDP echo server)",
    group: "Receiving",
  },
  HIDDEN_TLS,
  ...GLOBAL_OPTIONS,
];

/** `sockchat udp send`. */
export const UDP_SEND_COMMAND: CommandSpec = {
  path: ["udp", "send"],
  summary: "send datagrams: MESSAGE, each line of stdin, or all of stdin (--raw)",
  description:
    "Send datagrams. The MESSAGE words, joined by single spaces, are one datagram; without MESSAGE each line of stdin is one datagram (without its newline); --raw sends all of stdin as one datagram. " +
    NO_DELIVERY,
  args: [{ name: "MESSAGE", help: "the datagram to send", variadic: true }],
  options: SEND_OPTIONS,
  examples: SEND_EXAMPLES,
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = sendOptions(parsed.opts, parsed.args, ctx.stdoutIsTerminal);
    const { runUdpSend } = await import("../commands/udp_send.ts");
    return await runUdpSend(options, ctx);
  },
};

/** `sockchat udp recv`. */
export const UDP_RECV_COMMAND: CommandSpec = {
  path: ["udp", "recv"],
  summary: "receive datagrams and print them (or echo them back with --echo)",
  description:
    "Receive datagrams and print each as it arrives: on a terminal the sender and the (sanitised) text; piped, each payload and a newline. It never answers unless --echo. " +
    'Prints "listening on HOST:PORT" on stderr (or a listening event) once bound.',
  args: [],
  options: RECV_OPTIONS,
  examples: RECV_EXAMPLES,
  foreign: NC_FLAGS,
  run: async (parsed, ctx) => {
    const options = recvOptions(parsed.opts, parsed.given, ctx.stdoutIsTerminal);
    const { runUdpRecv } = await import("../commands/udp_recv.ts");
    return await runUdpRecv(options, ctx);
  },
};

/** `sockchat udp`: a group; `udp send` and `udp recv` do the work. */
export const UDP_COMMAND: CommandSpec = {
  path: ["udp"],
  summary: "send and receive UDP datagrams (like nc -u and socat UDP-RECV)",
  description: "Send and receive UDP datagrams (like nc -u and socat UDP-RECV).",
  args: [],
  options: GLOBAL_OPTIONS,
  examples: [],
  subcommands: [UDP_SEND_COMMAND, UDP_RECV_COMMAND],
};

/** Converts parsed `udp send` options into typed ones (validated). */
export function sendOptions(
  opts: Record<string, unknown>,
  args: string[],
  stdoutIsTerminal: boolean,
): UdpSendOptions {
  rejectTls(opts);
  const words = args.flat();
  if (words.length > 0 && opts.raw) {
    throw new UsageError("Option --raw reads stdin: give either MESSAGE or --raw");
  }
  const options: UdpSendOptions = {
    host: hostOption(opts.host),
    port: parsePortOption(String(opts.port), "--port"),
    raw: opts.raw === true,
    count: parseCount(String(opts.count), "--count", 0),
    intervalMs: parseDuration(String(opts.interval), "--interval"),
    broadcast: opts.broadcast === true,
    // --raw names the input here; with --hex too, the reply is a hex dump.
    replyFormat: outputFormat({ ...opts, raw: opts.raw && !opts.hex }, stdoutIsTerminal),
  };
  if (words.length > 0) options.message = new TextEncoder().encode(words.join(" "));
  if (typeof opts.waitReply === "string") {
    options.waitReplyMs = parsePositiveDuration(opts.waitReply, "--wait-reply");
    if (options.count === 0) {
      throw new UsageError("Option --wait-reply needs a finite --count (not 0)");
    }
  } else if (opts.hex) {
    throw new UsageError("Option --hex only applies with --wait-reply");
  }
  return options;
}

/** Converts parsed `udp recv` options into typed ones (validated). */
export function recvOptions(
  opts: Record<string, unknown>,
  given: ReadonlySet<string>,
  stdoutIsTerminal: boolean,
): UdpRecvOptions {
  rejectTls(opts);
  const options: UdpRecvOptions = {
    host: hostOption(opts.host),
    port: parsePortOption(String(opts.port), "--port", true),
    format: outputFormat(opts, stdoutIsTerminal),
    echo: opts.echo === true,
  };
  if (typeof opts.count === "string") options.count = parseCount(opts.count, "--count");
  if (typeof opts.timeout === "string") {
    options.timeoutMs = parseDuration(opts.timeout, "--timeout");
  }
  if (typeof opts.join === "string") {
    options.join = parseMulticastGroup(opts.join);
    if (!given.has("host")) options.host = options.join;
    else if (options.host.includes(":")) {
      throw new UsageError("Option --join needs an IPv4 --host (IPv4 multicast)");
    }
  }
  if (typeof opts.joinInterface === "string") {
    if (options.join === undefined) throw new UsageError("Option --join-interface needs --join");
    if (parseIpv4(opts.joinInterface) === null) {
      throw new UsageError(
        `Invalid --join-interface ${quote(opts.joinInterface)}: expected an IPv4 address`,
      );
    }
    options.joinInterface = opts.joinInterface;
  }
  return options;
}

/** Picks the output format from `--json`, `--raw`, `--hex` and whether stdout is a terminal. */
export function outputFormat(
  opts: Record<string, unknown>,
  stdoutIsTerminal: boolean,
): DatagramFormat {
  if (opts.raw && opts.hex) throw new UsageError("Options --raw and --hex cannot be used together");
  if (opts.json) {
    if (opts.hex) throw new UsageError("Options --json and --hex cannot be used together");
    return "json";
  }
  if (opts.hex) return "hex";
  if (opts.raw) return "raw";
  return stdoutIsTerminal ? "terminal" : "lines";
}

/** `224.0.0.0`–`239.255.255.255`, else a usage error. */
export function parseMulticastGroup(text: string): string {
  if (parseIpv4(text) === null || !isMulticast(text)) {
    throw new UsageError(
      `Invalid --join ${
        quote(text)
      }: expected an IPv4 multicast address (224.0.0.0 to 239.255.255.255)`,
    );
  }
  return text;
}

function hostOption(value: unknown): string {
  try {
    return parseHost(String(value), "--host");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function rejectTls(opts: Record<string, unknown>): void {
  if (opts.tls !== undefined) {
    throw new UsageError(
      "Option --tls does not apply to UDP (TLS needs TCP; DTLS is not supported)",
    );
  }
}
