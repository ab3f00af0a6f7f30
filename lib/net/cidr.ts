/**
 * Pure CIDR matching for `--allow` / `--deny`, IPv4 and IPv6. Every address is held as
 * 16 bytes with IPv4 as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `10.0.0.0/8`
 * also matches a dual-stack peer shown as `::ffff:10.1.2.3`.
 * @module
 */

import { parseIp } from "./ip.ts";

/** A parsed network: 16 address bytes and a prefix length from 0 to 128. */
export interface Cidr {
  /** As written by the user, for messages. */
  text: string;
  bytes: Uint8Array;
  prefix: number;
}

/**
 * Parses `10.0.0.0/8`, `192.168.1.7`, `::1`, `fe80::/10`, `::ffff:10.0.0.0/104`.
 * A bare address means that one address.
 * @throws {RangeError} with a message naming the text.
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? null : text.slice(slash + 1);
  const isV4 = !addressText.includes(":");
  const bytes = parseIp(addressText);
  const max = isV4 ? 32 : 128;
  if (bytes === null) {
    throw new RangeError(
      `Invalid network "${text}": expected an IP address or CIDR like 10.0.0.0/8`,
    );
  }
  let prefix = max;
  if (prefixText !== null) {
    if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new RangeError(`Invalid network "${text}": prefix length must be 0 to ${max}`);
    }
    prefix = Number(prefixText);
  }
  return { text, bytes, prefix: isV4 ? prefix + 96 : prefix };
}

/** True when `address` (16 bytes) lies in `cidr`. */
export function cidrContains(cidr: Cidr, address: Uint8Array): boolean {
  let bits = cidr.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.bytes[i]! ^ address[i]!) & mask) !== 0) return false;
  }
  return true;
}

/** `--allow` / `--deny` lists. */
export interface AccessRules {
  allow: Cidr[];
  deny: Cidr[];
}

/**
 * Whether a peer at `host` may connect: a `deny` match refuses (deny wins); otherwise a
 * non-empty `allow` list must match. A host that is not an IP address (a Unix socket
 * peer) is allowed only when there are no rules.
 */
export function isAllowed(rules: AccessRules, host: string): boolean {
  if (rules.allow.length === 0 && rules.deny.length === 0) return true;
  const address = parseIp(host);
  if (address === null) return false;
  if (rules.deny.some((cidr) => cidrContains(cidr, address))) return false;
  return rules.allow.length === 0 || rules.allow.some((cidr) => cidrContains(cidr, address));
}
