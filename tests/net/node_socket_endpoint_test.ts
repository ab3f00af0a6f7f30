import assert from "node:assert/strict";
import net from "node:net";
import { nodeSocketEndpoint } from "../../lib/net/node_socket_endpoint.ts";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { within } from "../_helpers/wait.ts";

async function readAll(read: (buf: Uint8Array) => Promise<number | null>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(64 * 1024);
  while (true) {
    const n = await read(buf);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chunks) (out.set(c, offset), offset += c.length);
  return out;
}

Deno.test("nodeSocketEndpoint() moves bytes exactly, half-closes with end() and still reads", async () => {
  const up = randomBytes(4 << 20);
  const down = randomBytes(4 << 20);
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = listener.accept().then(async (conn) => {
    try {
      const received = await readAll((buf) => conn.read(buf));
      // Only after the client's half-close: the reply must still get through.
      let offset = 0;
      while (offset < down.length) offset += await conn.write(down.subarray(offset));
      await conn.closeWrite();
      return received;
    } finally {
      conn.close();
    }
  });
  const socket = net.connect({ host: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const endpoint = nodeSocketEndpoint(socket, "peer");
  try {
    // Writing from one reused buffer checks that the adapter copies what it queues.
    const buffer = new Uint8Array(64 * 1024);
    for (let offset = 0; offset < up.length; offset += buffer.length) {
      const chunk = up.subarray(offset, offset + buffer.length);
      buffer.set(chunk);
      await endpoint.write(buffer.subarray(0, chunk.length));
    }
    await endpoint.closeWrite();
    await endpoint.closeWrite(); // idempotent
    const reply = await within(readAll((buf) => endpoint.read(buf)), 10_000, "the reply");
    assert.equal(sha256(reply), sha256(down));
    assert.equal(sha256(await served), sha256(up));
    await assert.rejects(endpoint.write(new Uint8Array([1])), Deno.errors.BrokenPipe);
  } finally {
    endpoint.close();
    endpoint.close();
    if (!socket.closed) {
      await within(new Promise((resolve) => socket.once("close", resolve)), 5_000, "close");
    }
  }
});
