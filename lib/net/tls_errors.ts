/**
 * TLS failures in words: rustls and node:tls report verification failures as
 * `invalid peer certificate: UnknownIssuer`, `CERT_HAS_EXPIRED` and the like; users see
 * the reason named (unknown issuer, wrong name, expired, fingerprint mismatch) and what
 * to do about it.
 * @module
 */

/** A certificate was rejected by the client (exit 1). */
export class TlsVerifyError extends Error {
  override name = "TlsVerifyError";
}

const HINT_TRUST = "use --ca FILE to trust its issuer, or --fingerprint to pin it";

/** A short reason for a TLS error, or `undefined` when `error` is not about TLS. */
export function describeTlsError(error: unknown): string | undefined {
  if (error instanceof TlsVerifyError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const name = /not valid for name "([^"]*)"(?:; certificate is (?:only )?valid for (.*))?/.exec(
    message,
  );
  if (name) {
    const valid = name[2] ? `; it is valid for ${validNames(name[2])}` : "";
    return `certificate verification failed: wrong name: the certificate is not valid for "${
      name[1]
    }"${valid} (use --servername NAME to check another name)`;
  }
  if (/UnknownIssuer|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(message)) {
    return `certificate verification failed: unknown issuer: the certificate is not signed by a trusted CA (${HINT_TRUST})`;
  }
  if (/CaUsedAsEndEntity/.test(message)) {
    return "certificate verification failed: unknown issuer: the server's certificate is a CA certificate (self-signed with CA:TRUE), which cannot be trusted as a server certificate (use --fingerprint to pin it, or a server certificate issued by the CA)";
  }
  if (/SELF_SIGNED_CERT/.test(message) || /SELF_SIGNED/.test(String(code))) {
    return `certificate verification failed: unknown issuer: the server's certificate is self-signed (${HINT_TRUST})`;
  }
  if (/Expired|CERT_HAS_EXPIRED/.test(message)) {
    return "certificate verification failed: expired: the server's certificate is no longer valid";
  }
  if (/NotValidYet|CERT_NOT_YET_VALID/.test(message)) {
    return "certificate verification failed: not yet valid: the server's certificate starts in the future (check the clocks)";
  }
  if (/Revoked/.test(message)) return "certificate verification failed: revoked";
  if (/invalid peer certificate: (.*)/.test(message)) {
    return `certificate verification failed: ${/invalid peer certificate: (.*)/.exec(message)![1]}`;
  }
  if (isUncleanTlsClose(error)) {
    return "the peer closed the connection without a TLS close_notify";
  }
  const handshake = tlsHandshakeReason(error);
  return handshake === undefined ? undefined : `TLS handshake failed: ${handshake}`;
}

/**
 * True when the handshake failed because the peer answered with no TLS at all: plaintext,
 * garbage, or our own ClientHello echoed back (an echo server). rustls gives no code for
 * these, so its message is the only structure there is.
 */
export function isNotTls(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG") {
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /corrupt message|InvalidContentType|wrong version number|packet length too long|got ClientHello when expecting ServerHello/i
    .test(message);
}

/**
 * Why a TLS handshake failed (`the peer does not speak TLS (plaintext or garbage bytes)`),
 * or `undefined` when `error` is no handshake failure.
 */
export function tlsHandshakeReason(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (isNotTls(error)) return "the peer does not speak TLS (plaintext or garbage bytes)";
  const alert = /(?:received fatal alert|alert): ?(\w+)/i.exec(message);
  if (alert) return `the peer sent alert ${alert[1]}`;
  if (/tls handshake eof/i.test(message)) {
    return "the peer closed the connection during the handshake";
  }
  if (
    /HandshakeFailure|handshake failure|PeerIncompatible|no cipher|unsupported protocol/i.test(
      message,
    )
  ) {
    return "no protocol version or cipher suite in common";
  }
  return undefined;
}

/**
 * True when a TLS peer closed TCP without sending close_notify first. Many clients end
 * that way (ncat, scripts that just exit); sockchat reads it as end of stream, as ncat
 * and Node do, rather than failing the whole run.
 */
export function isUncleanTlsClose(error: unknown): boolean {
  return error instanceof Error &&
    /peer closed connection without sending TLS close_notify/i.test(error.message);
}

/** rustls prints `0::1`; users know `::1`. */
function canonicalIp(name: string): string {
  if (!name.includes(":")) return name;
  try {
    return new URL(`http://[${name}]/`).hostname.slice(1, -1);
  } catch {
    return name;
  }
}

function validNames(list: string): string {
  const names = [...list.matchAll(/(?:DnsName|IpAddress)\("?([^")]*)"?\)/g)].map((m) =>
    canonicalIp(m[1] ?? "")
  );
  return names.length > 0 ? names.join(", ") : list;
}
