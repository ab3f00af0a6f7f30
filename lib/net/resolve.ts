/**
 * Resolving a host name to one IP address the way the system does (`/etc/hosts`, then
 * DNS, via getaddrinfo), so UDP knows the address family before it binds a socket.
 * @module
 */

import { lookup } from "node:dns/promises";
import { DnsError } from "./errors.ts";
import { type Family, ipFamily } from "./ip.ts";

/** A resolved address. */
export interface Resolved {
  address: string;
  family: Family;
}

/**
 * Resolves `host` (IP literals are returned as they are), to an address of `family` when
 * given (`-4`/`-6`).
 * @throws {DnsError} `Cannot resolve "host": host not found (DNS lookup failed)`.
 */
export async function resolveHost(host: string, family?: Family): Promise<Resolved> {
  const literal = ipFamily(host);
  if (literal !== null) return { address: host, family: literal };
  try {
    const found = await lookup(host, family !== undefined ? { family } : {});
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ENOTFOUND" || code === "EAI_NONAME" || code === "EAI_AGAIN"
      ? `host not found (DNS lookup${family !== undefined ? ` for IPv${family}` : ""} failed)`
      : `lookup failed (${code ?? (error as Error).message})`;
    throw new DnsError(`Cannot resolve "${host}": ${reason}`, { cause: error });
  }
}
