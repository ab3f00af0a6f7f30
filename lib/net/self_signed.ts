/**
 * The ephemeral certificate of `server --tls` without `--cert/--key`: an ECDSA P-256
 * key made with WebCrypto and a self-signed certificate (valid 30 days, never written
 * to disk) whose subject alternative names cover the bind address, `localhost`,
 * `127.0.0.1` and `::1`. Clients pin it by its SHA-256 fingerprint.
 * @module
 */

import "reflect-metadata"; // @peculiar/x509's DI container needs it before it loads
import * as x509 from "@peculiar/x509";
import { isIP } from "node:net";
import { type Fingerprint, fingerprintOf } from "./fingerprint.ts";
import { isWildcardHost, unbracket } from "./address.ts";

x509.cryptoProvider.set(crypto);

/** A certificate and its key, PEM-encoded, with the certificate's fingerprint. */
export interface TlsCredentials {
  certPem: string;
  keyPem: string;
  fingerprint: Fingerprint;
}

/** One subject alternative name. */
export interface SanEntry {
  type: "dns" | "ip";
  value: string;
}

/** How long the generated certificate is valid. */
export const SELF_SIGNED_VALID_DAYS = 30;

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/**
 * The names the certificate should carry for a server bound on `host`: the host itself
 * (an IP SAN for an IP literal, a DNS SAN otherwise; nothing for a wildcard address),
 * then `localhost`, `127.0.0.1` and `::1`, without duplicates.
 */
export function sanEntries(host: string): SanEntry[] {
  const entries: SanEntry[] = [];
  const add = (value: string) => {
    const type = isIP(value) === 0 ? "dns" : "ip";
    const normal = type === "dns" ? value.toLowerCase() : value;
    if (!entries.some((e) => e.type === type && e.value === normal)) {
      entries.push({ type, value: normal });
    }
  };
  const bare = unbracket(host);
  if (bare !== "" && !isWildcardHost(bare)) add(bare);
  for (const name of ["localhost", "127.0.0.1", "::1"]) add(name);
  return entries;
}

/** Generates a fresh key pair and a self-signed server certificate for `host`. */
export async function generateSelfSigned(
  host: string,
  now: Date = new Date(),
): Promise<TlsCredentials> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = serial[0]! & 0x7f; // a positive serial number
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Array.from(serial, (b) => b.toString(16).padStart(2, "0")).join(""),
    name: "CN=sockchat ephemeral certificate",
    notBefore: new Date(now.getTime() - 60 * 60 * 1000), // tolerate clock skew
    notAfter: new Date(now.getTime() + SELF_SIGNED_VALID_DAYS * 24 * 60 * 60 * 1000),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sanEntries(host)),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certPem: cert.toString("pem"),
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
    fingerprint: await fingerprintOf(cert.rawData),
  };
}
