/**
 * Waiting for the one reply datagram of `udp send --wait-reply`: the first datagram from
 * the target (from anyone, after a broadcast or multicast send), or `null` in time.
 * @module
 */

import { formatHostPort } from "./address.ts";
import type { Datagram, UdpAddress, UdpSocket } from "./udp.ts";

/** Options of `awaitReply`. */
export interface ReplyOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Accept a reply from any sender, not only the target. */
  anySender: boolean;
  /** Told about datagrams from other senders, which are skipped. */
  onIgnored?: (from: string) => void;
}

/**
 * The first reply (its bytes copied), or `null` after `timeoutMs`. Rejects with the
 * signal's reason when it aborts; closes `socket` in both of those cases.
 */
export async function awaitReply(
  socket: UdpSocket,
  target: UdpAddress,
  options: ReplyOptions,
): Promise<Datagram | null> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    socket.close();
  }, options.timeoutMs);
  const onAbort = () => socket.close();
  options.signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      let datagram: Datagram;
      try {
        datagram = await socket.receive();
      } catch (error) {
        if (timedOut) return null;
        if (options.signal.aborted) throw options.signal.reason;
        if (isIcmpError(error)) continue;
        throw error;
      }
      const { from } = datagram;
      if (options.anySender || (from.host === target.host && from.port === target.port)) {
        return { data: datagram.data.slice(), from };
      }
      options.onIgnored?.(formatHostPort(from.host, from.port));
    }
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
  }
}

/** An earlier datagram bounced (ICMP port unreachable, reported on some systems). */
export function isIcmpError(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionRefused ||
    error instanceof Deno.errors.ConnectionReset;
}
