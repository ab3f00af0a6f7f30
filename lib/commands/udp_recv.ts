/**
 * `sockchat udp recv`: binds, announces readiness, and prints every datagram as it
 * arrives (batched into large writes so high rates are not lost to slow output). Ends
 * after `--count` datagrams, at `--timeout`, or when interrupted; `--echo` sends each
 * datagram back to its sender.
 * @module
 */

import { TimeoutError } from "../errors.ts";
import { formatHostPort, isWildcardHost } from "../net/address.ts";
import { netError } from "../net/errors.ts";
import { bindUdp, type Datagram, type UdpSocket } from "../net/udp.ts";
import type { DatagramFormat } from "../output/datagram_format.ts";
import type { Reporter } from "../output/reporter.ts";
import type { CommandContext } from "./context.ts";
import { datagramOutput } from "../output/datagram_output.ts";
import { deadline } from "../async.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import { isIcmpError } from "../net/udp_reply.ts";

/** Typed options of `sockchat udp recv`. */
export interface UdpRecvOptions {
  host: string;
  port: number;
  format: DatagramFormat;
  /** Exit 0 after this many datagrams. */
  count?: number;
  /** Exit 124 when `count` (or, without it, any datagram) was not reached in time. */
  timeoutMs?: number;
  /** Send each datagram back to its sender. */
  echo: boolean;
  /** IPv4 multicast group to join. */
  join?: string;
  /** IPv4 address of the interface to join `join` on (default: the system's choice). */
  joinInterface?: string;
}

/** Runs `udp recv`; resolves to the exit code or throws for the error table. */
export async function runUdpRecv(options: UdpRecvOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  if (isWildcardHost(options.host)) {
    ctx.reporter.warn(
      `listening on all interfaces (${options.host}): anyone who can reach this machine can send to it`,
    );
  }
  const socket = bindUdp(options.host, options.port, { reuseAddress: options.join !== undefined });
  const onAbort = () => socket.close();
  run.signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (options.join !== undefined) {
      await socket.joinMulticastV4(options.join, options.joinInterface);
    }
    const bound = socket.address;
    ctx.reporter.emit({ type: "listening", transport: "udp", host: bound.host, port: bound.port });
    const label = formatHostPort(bound.host, bound.port);
    const out = datagramOutput(ctx, options.format, () => socket.close());
    let received = 0;
    while (options.count === undefined || received < options.count) {
      let datagram: Datagram;
      try {
        datagram = await socket.receive();
      } catch (error) {
        if (run.signal.aborted || out.closed) break;
        if (isIcmpError(error)) continue;
        throw netError("Cannot receive on", label, error);
      }
      received++;
      out.print(datagram);
      if (options.echo) await echo(socket, datagram, ctx.reporter);
      if (out.closed) break;
      if (out.backlogged) await out.drain();
    }
    await out.flush();
    if (out.closed || !run.signal.aborted) return 0;
    if (options.count === undefined && received > 0) return 0;
    if (run.signal.reason instanceof TimeoutError) {
      const wanted = options.count === undefined
        ? "no datagram received"
        : `received ${received} of ${options.count} datagrams`;
      throw new TimeoutError(`${run.signal.reason.message}: ${wanted}`);
    }
    return exitCodeOnStop(run.signal);
  } finally {
    run.signal.removeEventListener("abort", onAbort);
    socket.close();
  }
}

async function echo(socket: UdpSocket, datagram: Datagram, reporter: Reporter): Promise<void> {
  try {
    // The reply is the request itself: never larger, so no amplification.
    await socket.send(datagram.data, datagram.from);
  } catch (error) {
    reporter.warn(
      `echo to ${formatHostPort(datagram.from.host, datagram.from.port)} failed: ${
        (error as Error).message
      }`,
    );
  }
}
