import assert from "node:assert/strict";
import { describeNetError } from "../../lib/net/errors.ts";
import { describeTlsError, isUncleanTlsClose, TlsVerifyError } from "../../lib/net/tls_errors.ts";

const invalid = (reason: string) =>
  new Deno.errors.InvalidData(`invalid peer certificate: ${reason}`);

Deno.test("describeTlsError() names unknown issuer, self-signed, wrong name, expired", () => {
  assert.match(
    describeTlsError(invalid("UnknownIssuer"))!,
    /^certificate verification failed: unknown issuer: .*--ca FILE.*--fingerprint/,
  );
  assert.match(
    describeTlsError(invalid("Other(OtherError(CaUsedAsEndEntity))"))!,
    /^certificate verification failed: unknown issuer: the server's certificate is a CA certificate \(self-signed with CA:TRUE\).*--fingerprint/,
  );
  assert.equal(
    describeTlsError(
      invalid(
        'certificate not valid for name "x.example"; certificate is only valid for DnsName("localhost") or IpAddress(0::1)',
      ),
    ),
    'certificate verification failed: wrong name: the certificate is not valid for "x.example"; it is valid for localhost, ::1 (use --servername NAME to check another name)',
  );
  assert.match(
    describeTlsError(invalid("Expired"))!,
    /^certificate verification failed: expired: /,
  );
  assert.match(describeTlsError(invalid("NotValidYet"))!, /not yet valid/);
  assert.equal(
    describeTlsError(new TlsVerifyError("fingerprint mismatch")),
    "fingerprint mismatch",
  );
});

Deno.test("describeTlsError() explains handshake failures and ignores other errors", () => {
  assert.match(
    describeTlsError(
      new Deno.errors.InvalidData("received corrupt message of type InvalidContentType"),
    )!,
    /does not speak TLS/,
  );
  assert.equal(
    describeTlsError(new Deno.errors.InvalidData("received fatal alert: UnknownCA")),
    "TLS handshake failed: the peer sent alert UnknownCA",
  );
  assert.equal(describeTlsError(new Deno.errors.ConnectionRefused("refused")), undefined);
  assert.equal(
    describeNetError(new Deno.errors.ConnectionRefused("refused")),
    "connection refused",
  );
  assert.match(describeNetError(invalid("UnknownIssuer")), /unknown issuer/);
});

Deno.test("isUncleanTlsClose() recognises a peer that closed without close_notify", () => {
  const unclean = new Deno.errors.UnexpectedEof(
    "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof",
  );
  assert.equal(isUncleanTlsClose(unclean), true);
  assert.equal(isUncleanTlsClose(new Deno.errors.ConnectionReset("reset")), false);
  assert.equal(
    describeTlsError(unclean),
    "the peer closed the connection without a TLS close_notify",
  );
});
