/**
 * Reading IP address literals, one way everywhere: IPv4 dotted quads (no leading zeros,
 * each part up to 255), IPv6 in all its spellings (with an optional `%zone` and
 * brackets), the family of a host, and whether an address is multicast.
 * @module
 */

/** An IP version. */
export type Family = 4 | 6;

/**
 * Parses an IPv4 or IPv6 address (a `%zone` is ignored) into 16 bytes, IPv4 mapped;
 * `null` when it is not an IP address.
 */
export function parseIp(text: string): Uint8Array | null {
  const host = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!host.includes(":")) {
    const v4 = parseIpv4(host);
    if (v4 === null) return null;
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(v4, 12);
    return out;
  }
  return parseIpv6(host.replace(/%.*$/, ""));
}

/** The family of an IP literal, or `null` for a host name. */
export function ipFamily(host: string): Family | null {
  if (parseIpv4(host) !== null) return 4;
  return host.includes(":") && parseIp(host) !== null ? 6 : null;
}

/** True for an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address. */
export function isMulticast(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== null) return v4[0]! >= 224 && v4[0]! <= 239;
  const v6 = address.includes(":") ? parseIp(address) : null;
  return v6 !== null && v6[0] === 0xff;
}

/** The four bytes of an IPv4 dotted quad, or `null`. */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    out[i] = Number(part);
  }
  return out;
}

/** The sixteen bytes of an IPv6 address (no zone, no brackets), or `null`. */
function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const groups: number[] = [];
  const words = (parts: string[]): number[] | null => {
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  if (halves.length === 2 && halves[0]!.includes(".")) return null; // IPv4 only at the end
  const headWords = words(head);
  const tailWords = words(tail);
  if (headWords === null || tailWords === null) return null;
  if (halves.length === 1) {
    if (headWords.length !== 8) return null;
    groups.push(...headWords);
  } else {
    const missing = 8 - headWords.length - tailWords.length;
    if (missing < 1) return null;
    groups.push(...headWords, ...new Array<number>(missing).fill(0), ...tailWords);
  }
  const out = new Uint8Array(16);
  groups.forEach((word, i) => {
    out[2 * i] = word >> 8;
    out[2 * i + 1] = word & 0xff;
  });
  return out;
}
