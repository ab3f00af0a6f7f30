/**
 * `sockchat udp send`: sends the MESSAGE (or each stdin line, or all of stdin with
 * `--raw`) as datagrams, `--count` times with `--interval` pauses, and with
 * `--wait-reply` prints the first datagram that comes back from the target.
 * @module
 */

import { InterruptedError, TimeoutError, UsageError } from "../errors.ts";
import { formatHostPort } from "../net/address.ts";
import { isBroadcastAddress, localInterfaces } from "../net/broadcast.ts";
import { isMulticast } from "../net/ip.ts";
import { resolveHost } from "../net/resolve.ts";
import { bindSender, checkDatagramSize, maxPayload, type UdpAddress } from "../net/udp.ts";
import type { DatagramFormat } from "../output/datagram_format.ts";
import { formatDuration } from "../duration.ts";
import { sleep } from "../async.ts";
import type { CommandContext } from "./context.ts";
import { datagramOutput } from "../output/datagram_output.ts";
import { type DatagramInput, datagramSource } from "../net/datagram_source.ts";
import { awaitReply } from "../net/udp_reply.ts";

/** Typed options of `sockchat udp send`. */
export interface UdpSendOptions {
  host: string;
  port: number;
  /** The MESSAGE words joined by spaces; absent: read stdin. */
  message?: Uint8Array;
  /** Send all of stdin as one datagram instead of one per line. */
  raw: boolean;
  /** Times to send; 0 repeats until interrupted. */
  count: number;
  /** Pause between datagrams. */
  intervalMs: number;
  /** Allow broadcast destinations. */
  broadcast: boolean;
  /** Wait this long for one reply datagram and print it (exit 124 if none). */
  waitReplyMs?: number;
  /** How a reply is printed. */
  replyFormat: DatagramFormat;
}

/** Runs `udp send`; resolves to the exit code or throws for the error table. */
export async function runUdpSend(options: UdpSendOptions, ctx: CommandContext): Promise<number> {
  const { address, family } = await resolveHost(options.host);
  const to: UdpAddress = { host: address, port: options.port };
  const label = formatHostPort(to.host, to.port);
  const broadcast = family === 4 && isBroadcastAddress(address, localInterfaces());
  if (broadcast && !options.broadcast) {
    throw new UsageError(
      `Address "${address}" is a broadcast address: add --broadcast to send to it`,
    );
  }
  if (options.message) checkDatagramSize(options.message.length, to, family);
  const socket = bindSender(family);
  try {
    const input: DatagramInput = options.message
      ? { kind: "message", message: options.message }
      : options.raw
      ? { kind: "whole", stdin: ctx.stdin }
      : { kind: "lines", stdin: ctx.stdin };
    const source = datagramSource(input, {
      count: options.count,
      maxPayload: maxPayload(family),
      signal: ctx.signal,
    });
    try {
      let first = true;
      for await (const datagram of withDestination(source, `"${label}"`, family)) {
        if (!first && options.intervalMs > 0) await sleep(options.intervalMs, ctx.signal);
        first = false;
        await socket.send(datagram, to);
        ctx.reporter.emit({ type: "sent", to: label, bytes: datagram.length });
      }
    } catch (error) {
      if (error instanceof InterruptedError && options.count === 0) return 0;
      throw error;
    }
    if (options.waitReplyMs === undefined) return 0;
    const reply = await awaitReply(socket, to, {
      timeoutMs: options.waitReplyMs,
      signal: ctx.signal,
      anySender: broadcast || isMulticast(address),
      onIgnored: (from) => ctx.reporter.debug(`ignored a datagram from ${from}`),
    });
    if (reply === null) {
      throw new TimeoutError(
        `No reply from "${label}" within ${formatDuration(options.waitReplyMs)} (--wait-reply)`,
      );
    }
    const out = datagramOutput(ctx, options.replyFormat);
    out.print(reply);
    await out.flush();
    return 0;
  } finally {
    socket.close();
  }
}

/**
 * The source's own errors (input too large for one datagram) say where it was going;
 * errors of the sending itself pass by (they never reach a generator).
 */
async function* withDestination(
  source: AsyncIterable<Uint8Array>,
  target: string,
  family: number,
): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new RangeError(`Cannot send to ${target}: ${error.message} (IPv${family})`);
  }
}
