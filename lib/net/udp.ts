/**
 * UDP sockets: binding, sending whole datagrams (never truncated, too-large refused up
 * front with a clear message), receiving into a buffer large enough for any datagram,
 * and joining IPv4 multicast groups. The only file that touches `Deno.listenDatagram`.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { formatHostPort } from "./address.ts";
import { netError } from "./errors.ts";
import type { Family } from "./ip.ts";

/** Largest UDP payload over IPv4: 65,535 − 20 (IP header) − 8 (UDP header). */
export const MAX_UDP_PAYLOAD_V4 = 65_507;
/** Largest UDP payload over IPv6 (without jumbograms): 65,535 − 8 (UDP header). */
export const MAX_UDP_PAYLOAD_V6 = 65_527;
/** Receive buffer: larger than any datagram, so every datagram arrives whole. */
const RECEIVE_BUFFER = 65_536;

/** A resolved UDP address. */
export interface UdpAddress {
  host: string;
  port: number;
}

/** One received datagram. `data` is only valid until the next `receive()`. */
export interface Datagram {
  data: Uint8Array;
  from: UdpAddress;
}

/** The largest payload one datagram can carry over `family`. */
export function maxPayload(family: Family): number {
  return family === 6 ? MAX_UDP_PAYLOAD_V6 : MAX_UDP_PAYLOAD_V4;
}

/**
 * Checks that `size` bytes fit in one datagram to `to`.
 * @throws {RangeError} `Cannot send to "…": datagram of N bytes is too large (…)`.
 */
export function checkDatagramSize(size: number, to: UdpAddress, family: Family): void {
  const max = maxPayload(family);
  if (size > max) {
    throw new RangeError(
      `Cannot send to "${
        formatHostPort(to.host, to.port)
      }": datagram of ${size} bytes is too large (at most ${max} bytes over IPv${family})`,
    );
  }
}

/** Options of `bindUdp`. */
export interface BindOptions {
  /** Loop sent multicast datagrams back to local receivers (the usual OS default). */
  multicastLoopback?: boolean;
  /** Allow several sockets on the same address (needed to share a multicast port). */
  reuseAddress?: boolean;
}

/** A bound UDP socket. */
export class UdpSocket {
  readonly #conn: Deno.DatagramConn;
  readonly #buffer = new Uint8Array(RECEIVE_BUFFER);
  #closed = false;

  constructor(conn: Deno.DatagramConn) {
    this.#conn = conn;
  }

  /** The address really bound (port 0 resolved). */
  get address(): UdpAddress {
    const addr = this.#conn.addr as Deno.NetAddr;
    return { host: addr.hostname, port: addr.port };
  }

  /** The family of the bound address. */
  get family(): Family {
    return this.address.host.includes(":") ? 6 : 4;
  }

  /**
   * The next datagram, whole (zero-length datagrams included). Its bytes live in a
   * shared buffer: copy them before calling `receive()` again.
   */
  async receive(): Promise<Datagram> {
    const [data, addr] = await this.#conn.receive(this.#buffer);
    const net = addr as Deno.NetAddr;
    return { data, from: { host: net.hostname, port: net.port } };
  }

  /**
   * Sends `data` as one datagram to `to`, whole or not at all.
   * @throws {RangeError} when it is too large; a `Deno.errors` error when the OS refuses.
   */
  async send(data: Uint8Array, to: UdpAddress): Promise<void> {
    checkDatagramSize(data.length, to, this.family);
    const label = formatHostPort(to.host, to.port);
    let sent: number;
    try {
      sent = await this.#conn.send(data, { transport: "udp", hostname: to.host, port: to.port });
    } catch (error) {
      throw netError("Cannot send to", label, error);
    }
    if (sent !== data.length) {
      throw new Error(`Cannot send to "${label}": only ${sent} of ${data.length} bytes were sent`);
    }
  }

  /** Joins IPv4 multicast `group` on the default interface (or `iface`, an IPv4 address). */
  async joinMulticastV4(group: string, iface = "0.0.0.0"): Promise<void> {
    try {
      await this.#conn.joinMulticastV4(group, iface);
    } catch (error) {
      throw netError("Cannot join multicast group", group, error);
    }
  }

  /** Closes the socket; a pending `receive()` rejects. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeQuietly(this.#conn);
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }
}

/** Binds a UDP socket on `host:port` (port 0 picks a free one). */
export function bindUdp(host: string, port: number, options: BindOptions = {}): UdpSocket {
  try {
    return new UdpSocket(
      Deno.listenDatagram({
        transport: "udp",
        hostname: host,
        port,
        ...(options.multicastLoopback ? { loopback: true } : {}),
        ...(options.reuseAddress ? { reuseAddress: true } : {}),
      }),
    );
  } catch (error) {
    throw netError("Cannot listen on", formatHostPort(host, port), error);
  }
}

/** Binds an ephemeral socket of `family` for sending (all interfaces, port 0). */
export function bindSender(family: Family): UdpSocket {
  return bindUdp(family === 6 ? "::" : "0.0.0.0", 0, { multicastLoopback: true });
}
