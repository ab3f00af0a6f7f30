import assert from "node:assert/strict";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { within } from "../_helpers/wait.ts";
import { concatBytes } from "../../lib/bytes.ts";
import { generateSelfSigned } from "../../lib/net/self_signed.ts";
import { serverHandshake } from "../../lib/net/tls_server.ts";

Deno.test("server TLS endpoint: a client sending to a reader that waits is held back, nothing lost", async () => {
  const credentials = await generateSelfSigned("127.0.0.1");
  const tls = { ...credentials, generated: true, handshakeTimeoutMs: 5_000 };
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const data = randomBytes(16 << 20);
  const accepted = listener.accept().then((conn) => serverHandshake(conn, tls, "client"));
  const client = await Deno.connectTls({
    hostname: "127.0.0.1",
    port,
    caCerts: [credentials.certPem],
  });
  const endpoint = await within(accepted, 10_000, "the handshake");
  let written = 0;
  const writing = (async () => {
    while (written < data.length) {
      written += await client.write(data.subarray(written, written + (64 << 10)));
    }
    await client.closeWrite();
  })();
  // Nobody reads on the server for a while: the client must be held back by then.
  await Promise.race([writing, new Promise((resolve) => setTimeout(resolve, 1_500))]);
  assert.ok(written < 10 << 20, `${written} bytes taken while nobody read`);
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(64 << 10);
  while (true) {
    const n = await within(endpoint.read(buf), 10_000, "the rest of the data");
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  await writing;
  assert.equal(sha256(concatBytes(chunks)), sha256(data));
  endpoint.close();
  client.close();
});
