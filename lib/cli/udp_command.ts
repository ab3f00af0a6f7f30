/**
 * `sockchat udp send` and `sockchat udp recv`: argv → typed options, validated before
 * any socket is opened.
 * @module
 */

import { type Command, Option } from "commander";
import { runUdpRecv, type UdpRecvOptions } from "../commands/udp_recv.ts";
import { runUdpSend, type UdpSendOptions } from "../commands/udp_send.ts";
import { UsageError } from "../errors.ts";
import { unbracket } from "../net/address.ts";
import type { DatagramFormat } from "../output/datagram_format.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./client_command.ts";
import { type CliRun, defineLeaf } from "./define.ts";
import { parseCount, parseDuration, parsePortOption } from "./values.ts";

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

/** Registers `udp` with its subcommands `send` and `recv`. */
export function addUdpCommand(program: Command, run: CliRun): void {
  const udp = program
    .command("udp")
    .description("Send and receive UDP datagrams (like nc -u and socat UDP-RECV).")
    .usage("<send|recv> [options]")
    .action(() => udp.help());
  addSend(udp, run);
  addRecv(udp, run);
}

function addSend(udp: Command, run: CliRun): void {
  const command = udp
    .command("send")
    .description(
      "Send datagrams. The MESSAGE words, joined by single spaces, are one datagram; without MESSAGE each line of stdin is one datagram (without its newline); --raw sends all of stdin as one datagram. " +
        NO_DELIVERY,
    )
    .argument("[message...]", "the datagram to send")
    .addOption(new Option("--host <host>", "host name or IP address").default(DEFAULT_HOST))
    .addOption(new Option("-p, --port <port>", "UDP port").default(String(DEFAULT_PORT)))
    .option("--raw", "send all of stdin as one datagram (binary-safe); print a reply byte-exact")
    .option("-c, --count <n>", "send the datagrams N times (0: until interrupted)", "1")
    .option("--interval <duration>", "pause between datagrams", "0")
    .option("-b, --broadcast", "allow a broadcast destination (e.g. 255.255.255.255)")
    .option(
      "-w, --wait-reply <duration>",
      "wait this long for one reply and print it (exit 124 if none)",
    )
    .option("--hex", "print the reply as a hex dump")
    .addOption(new Option("--tls").hideHelp());
  defineLeaf(
    run,
    command,
    SEND_EXAMPLES,
    (opts, args, ctx) => runUdpSend(sendOptions(opts, args, ctx.stdoutIsTerminal), ctx),
  );
}

function addRecv(udp: Command, run: CliRun): void {
  const command = udp
    .command("recv")
    .description(
      "Receive datagrams and print each as it arrives: on a terminal the sender and the (sanitised) text; piped, each payload and a newline. It never answers unless --echo. " +
        'Prints "listening on HOST:PORT" on stderr (or a listening event) once bound.',
    )
    .addOption(
      new Option("--host <host>", "address to bind (0.0.0.0 or :: for all interfaces)").default(
        DEFAULT_HOST,
      ),
    )
    .addOption(
      new Option("-p, --port <port>", "UDP port (0 picks a free one)").default(
        String(DEFAULT_PORT),
      ),
    )
    .option("--raw", "write payloads byte-exact, nothing added")
    .option("--hex", "print each datagram as a hex dump")
    .option("-c, --count <n>", "exit 0 after N datagrams")
    .option(
      "-t, --timeout <duration>",
      "exit 124 if --count (or, without it, any datagram) was not reached in time",
    )
    .option("-e, --echo", "send each datagram back to its sender (a UDP echo server)")
    .option(
      "--join <group>",
      "join an IPv4 multicast group (binds the group address unless --host)",
    )
    .option(
      "--join-interface <address>",
      "with --join: the IPv4 address of the interface to join on (default: the system's choice)",
    )
    .addOption(new Option("--tls").hideHelp());
  defineLeaf(
    run,
    command,
    RECV_EXAMPLES,
    (opts, _args, ctx) => runUdpRecv(recvOptions(opts, command, ctx.stdoutIsTerminal), ctx),
  );
}

/** Converts commander's option bag into typed `udp send` options (validated). */
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
    host: parseHost(opts.host),
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
    options.waitReplyMs = parseDuration(opts.waitReply, "--wait-reply");
    if (options.count === 0) {
      throw new UsageError("Option --wait-reply needs a finite --count (not 0)");
    }
  } else if (opts.hex) {
    throw new UsageError("Option --hex only applies with --wait-reply");
  }
  return options;
}

/** Converts commander's option bag into typed `udp recv` options (validated). */
export function recvOptions(
  opts: Record<string, unknown>,
  command: Command,
  stdoutIsTerminal: boolean,
): UdpRecvOptions {
  rejectTls(opts);
  const options: UdpRecvOptions = {
    host: parseHost(opts.host),
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
    if (command.getOptionValueSource("host") !== "cli") options.host = options.join;
    else if (options.host.includes(":")) {
      throw new UsageError("Option --join needs an IPv4 --host (IPv4 multicast)");
    }
  }
  if (typeof opts.joinInterface === "string") {
    if (options.join === undefined) throw new UsageError("Option --join-interface needs --join");
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(opts.joinInterface)) {
      throw new UsageError(
        `Invalid --join-interface "${opts.joinInterface}": expected an IPv4 address`,
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
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const parts = match ? match.slice(1).map(Number) : [];
  const first = parts[0] ?? 0;
  if (!match || parts.some((p) => p > 255) || first < 224 || first > 239) {
    throw new UsageError(
      `Invalid --join "${text}": expected an IPv4 multicast address (224.0.0.0 to 239.255.255.255)`,
    );
  }
  return text;
}

function parseHost(value: unknown): string {
  const host = unbracket(String(value));
  if (host === "") throw new UsageError('Invalid host "": expected a host name or IP address');
  return host;
}

function rejectTls(opts: Record<string, unknown>): void {
  if (opts.tls !== undefined) {
    throw new UsageError(
      "Option --tls does not apply to UDP (TLS needs TCP; DTLS is not supported)",
    );
  }
}
