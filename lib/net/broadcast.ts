/**
 * Recognising IPv4 broadcast addresses: the limited broadcast `255.255.255.255` and the
 * directed broadcast of every local interface (its address with all host bits set).
 * Deno's UDP sockets always have `SO_BROADCAST` on, so sockchat asks for `--broadcast`
 * itself before sending to one of these (as the OS would without `SO_BROADCAST`).
 * @module
 */

import { parseIpv4 } from "./ip.ts";

/** The limited broadcast address. */
export const LIMITED_BROADCAST = "255.255.255.255";

function toNumber(ip: string): number | null {
  const bytes = parseIpv4(ip);
  return bytes === null ? null : bytes.reduce((value, byte) => value * 256 + byte, 0);
}

function fromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * The directed broadcast address of `address/netmask` (`192.168.1.7`, `255.255.255.0`
 * → `192.168.1.255`), or `null` for /31, /32 and invalid input.
 */
export function directedBroadcast(address: string, netmask: string): string | null {
  const ip = toNumber(address);
  const mask = toNumber(netmask);
  if (ip === null || mask === null) return null;
  const hostBits = 0xffffffff - mask;
  if (hostBits <= 1) return null;
  return fromNumber((ip - (ip % (hostBits + 1))) + hostBits);
}

/** An interface address as `Deno.networkInterfaces()` gives it. */
export interface InterfaceAddress {
  family: string;
  address: string;
  netmask: string;
}

/** True when `address` is the limited broadcast or a directed broadcast of `interfaces`. */
export function isBroadcastAddress(address: string, interfaces: InterfaceAddress[]): boolean {
  if (address === LIMITED_BROADCAST) return true;
  return interfaces.some((i) =>
    i.family === "IPv4" && directedBroadcast(i.address, i.netmask) === address
  );
}

/** The machine's interface addresses; empty when they cannot be read. */
export function localInterfaces(): InterfaceAddress[] {
  try {
    return Deno.networkInterfaces();
  } catch {
    return [];
  }
}
