import assert from "node:assert/strict";
import { memoryPair } from "../../lib/net/memory.ts";
import {
  looksLikeTlsRecord,
  ProtocolMismatchError,
  SERVER_SPEAKS_TLS,
  tlsSniffed,
} from "../../lib/net/tls_sniff.ts";

Deno.test("looksLikeTlsRecord() knows an alert or handshake header from data", () => {
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x15, 0x03, 0x03])), true);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x16, 0x03, 0x01])), true);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x16, 0x03, 0x05])), false);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x17, 0x03, 0x03])), false);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x15, 0x04])), false);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x68])), false);
  assert.equal(looksLikeTlsRecord(new Uint8Array([0x15, 0x03])), undefined);
  assert.equal(looksLikeTlsRecord(new Uint8Array([])), undefined);
});

Deno.test("tlsSniffed() fails the first read on a TLS alert, even split into single bytes", async () => {
  const [server, client] = memoryPair();
  const remote = tlsSniffed(client);
  for (const byte of [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]) {
    await server.write(new Uint8Array([byte]));
  }
  await assert.rejects(remote.read(new Uint8Array(64)), (error: unknown) => {
    assert.ok(error instanceof ProtocolMismatchError);
    assert.equal(error.reason, SERVER_SPEAKS_TLS);
    return true;
  });
  remote.close();
  server.close();
});

Deno.test("tlsSniffed() passes every byte through when the start is no TLS record", async () => {
  for (const head of [[0x16], [0x16, 0x03], [0x16, 0x03, 0x09, 0x41], [0x41, 0x42]]) {
    const [server, client] = memoryPair();
    const remote = tlsSniffed(client);
    for (const byte of head) await server.write(new Uint8Array([byte]));
    await server.write(new Uint8Array([0x15, 0x03, 0x03])); // later bytes are never looked at
    await server.closeWrite();
    const got: number[] = [];
    const buf = new Uint8Array(1); // smaller than what was held while deciding
    for (let n = await remote.read(buf); n !== null; n = await remote.read(buf)) {
      got.push(...buf.subarray(0, n));
    }
    assert.deepEqual(got, [...head, 0x15, 0x03, 0x03]);
    remote.close();
  }
});

Deno.test("tlsSniffed() passes an immediate end of stream through", async () => {
  const [server, client] = memoryPair();
  const remote = tlsSniffed(client);
  await server.closeWrite();
  assert.equal(await remote.read(new Uint8Array(8)), null);
  remote.close();
});
