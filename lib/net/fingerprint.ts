/**
 * SHA-256 certificate fingerprints: computing them from a certificate's DER bytes,
 * formatting them the way `openssl x509 -fingerprint -sha256` does
 * (`AB:CD:…`, 32 colon-separated upper-case pairs), and parsing what users paste.
 * @module
 */

/** Hex digits of a SHA-256 fingerprint (64, lower case, no separators). */
export type Fingerprint = string;

/**
 * Parses a pasted SHA-256 fingerprint: hex with or without colons (or spaces),
 * any case, with an optional `sha256:`, `sha256=` or `SHA256 Fingerprint=` prefix.
 * @returns the 64 hex digits in lower case
 * @throws {RangeError} naming the value when it is not 32 bytes of hex.
 * @example parseFingerprint("sha256:AB:CD:…") // "abcd…"
 */
export function parseFingerprint(text: string): Fingerprint {
  const body = text.trim().replace(/^sha-?256(\s+fingerprint)?\s*[:=]\s*/i, "");
  const hex = body.replace(/[:\s]/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex) || (body.includes(":") && !isColonPairs(body))) {
    throw new RangeError(
      `Invalid fingerprint "${text}": expected a SHA-256 fingerprint, 64 hex digits (colons optional)`,
    );
  }
  return hex;
}

function isColonPairs(text: string): boolean {
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/i.test(text.replace(/\s/g, ""));
}

/** `"abcd…"` or raw digest bytes → `"AB:CD:…"`. */
export function formatFingerprint(fingerprint: Fingerprint | Uint8Array): string {
  const hex = typeof fingerprint === "string" ? fingerprint : toHex(fingerprint);
  return (hex.toUpperCase().match(/../g) ?? []).join(":");
}

/** The SHA-256 fingerprint (64 lower-case hex digits) of a certificate's DER bytes. */
export async function fingerprintOf(der: Uint8Array | ArrayBuffer): Promise<Fingerprint> {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice())));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
