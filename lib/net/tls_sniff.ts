/**
 * A plaintext client that reached a TLS server: the server's first bytes are a TLS record
 * (an alert, 0x15, or a handshake, 0x16, then version 0x03 0x00..0x04), never the data
 * the user wanted. Only the very first bytes received are looked at; anything else, and
 * every byte after them, passes through untouched.
 * @module
 */

import type { Endpoint } from "./endpoint.ts";

/** The peer speaks another protocol than the one we connected with. */
export class ProtocolMismatchError extends Error {
  override name = "ProtocolMismatchError";
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a plaintext client says when the server answered with TLS. */
export const SERVER_SPEAKS_TLS = "server speaks TLS: add --tls (or --fingerprint/--insecure)";

const RECORD_TYPES = new Set([0x15, 0x16]);

/** True when `head` is (so far) the start of a TLS record header; `undefined`: too short. */
export function looksLikeTlsRecord(head: Uint8Array): boolean | undefined {
  if (head.length >= 1 && !RECORD_TYPES.has(head[0]!)) return false;
  if (head.length >= 2 && head[1] !== 0x03) return false;
  if (head.length >= 3) return head[2]! <= 0x04;
  return undefined;
}

/** Wraps a plaintext `endpoint`: a TLS record as its first bytes fails the first read. */
export function tlsSniffed(endpoint: Endpoint): Endpoint {
  let checked = false;
  let held: Uint8Array | null = null; // bytes read while deciding, still to be delivered
  const deliver = (buf: Uint8Array): number => {
    const n = Math.min(buf.length, held!.length);
    buf.set(held!.subarray(0, n));
    held = n === held!.length ? null : held!.subarray(n);
    return n;
  };
  return {
    name: endpoint.name,
    async read(buf) {
      if (held !== null) return deliver(buf);
      if (checked) return endpoint.read(buf);
      let head = new Uint8Array(0);
      while (true) {
        const chunk = new Uint8Array(Math.max(buf.length, 3));
        const n = await endpoint.read(chunk);
        if (n === null) break; // too short to be a record: deliver what came
        const joined = new Uint8Array(head.length + n);
        joined.set(head);
        joined.set(chunk.subarray(0, n), head.length);
        head = joined;
        const verdict = looksLikeTlsRecord(head);
        if (verdict === true) throw new ProtocolMismatchError(SERVER_SPEAKS_TLS);
        if (verdict === false) break;
      }
      checked = true;
      if (head.length === 0) return null;
      held = head;
      return deliver(buf);
    },
    write: (data, onProgress) => endpoint.write(data, onProgress),
    closeWrite: () => endpoint.closeWrite(),
    close: () => endpoint.close(),
  };
}
