import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { fingerprintOf } from "../../lib/net/fingerprint.ts";
import { generateSelfSigned, sanEntries } from "../../lib/net/self_signed.ts";

Deno.test("sanEntries() covers the bind address, localhost, 127.0.0.1 and ::1 once each", () => {
  const base = [
    { type: "dns", value: "localhost" },
    { type: "ip", value: "127.0.0.1" },
    { type: "ip", value: "::1" },
  ];
  assert.deepEqual(sanEntries("127.0.0.1"), [base[1], base[0], base[2]]);
  assert.deepEqual(sanEntries("0.0.0.0"), base);
  assert.deepEqual(sanEntries("::"), base);
  assert.deepEqual(sanEntries("[::1]"), [base[2], base[0], base[1]]);
  assert.deepEqual(sanEntries("192.0.2.7"), [{ type: "ip", value: "192.0.2.7" }, ...base]);
  assert.deepEqual(sanEntries("fe80::1"), [{ type: "ip", value: "fe80::1" }, ...base]);
  assert.deepEqual(sanEntries("Chat.Example.org"), [
    { type: "dns", value: "chat.example.org" },
    ...base,
  ]);
  assert.deepEqual(sanEntries("LOCALHOST"), base);
});

Deno.test("generateSelfSigned() makes an ECDSA P-256 server certificate with its SANs and fingerprint", async () => {
  const now = new Date();
  const creds = await generateSelfSigned("192.0.2.7", now);
  const cert = new X509Certificate(creds.certPem);
  assert.equal(
    cert.subjectAltName,
    "IP Address:192.0.2.7, DNS:localhost, IP Address:127.0.0.1, IP Address:::1",
  );
  assert.equal(cert.ca, false);
  assert.equal(cert.publicKey.asymmetricKeyType, "ec");
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  assert.ok(cert.checkPrivateKey(createPrivateKey(creds.keyPem)));
  assert.match(creds.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.ok(new Date(cert.validFrom) <= now && new Date(cert.validTo) > now);
  assert.equal(creds.fingerprint, await fingerprintOf(new Uint8Array(cert.raw)));
  const other = await generateSelfSigned("127.0.0.1");
  assert.notEqual(other.fingerprint, creds.fingerprint);
});

Deno.test("Deno's TLS (rustls) serves the generated PKCS#8 ECDSA key", async () => {
  const creds = await generateSelfSigned("127.0.0.1");
  using listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: creds.certPem,
    key: creds.keyPem,
  });
  const accepted = listener.accept().then(async (conn) => {
    await conn.handshake();
    await conn.write(new TextEncoder().encode("ok"));
    conn.close();
  });
  // A client that trusts exactly this certificate verifies it, name and all.
  using client = await Deno.connectTls({
    hostname: "127.0.0.1",
    port: (listener.addr as Deno.NetAddr).port,
    caCerts: [creds.certPem],
  });
  await client.handshake();
  const buf = new Uint8Array(2);
  assert.equal(await client.read(buf), 2);
  await accepted;
});
