import assert from "node:assert/strict";
import { scriptEndpoint } from "../../lib/script/script_endpoint.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import type { ByteSource } from "../../lib/net/stdio.ts";
import { relay } from "../../lib/relay/relay.ts";
import { concat } from "../_helpers/cli.ts";
import { utf8 } from "../_helpers/bytes.ts";

/** Reads everything `endpoint` receives until end of stream. */
async function readAll(endpoint: { read(buf: Uint8Array): Promise<number | null> }) {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(7);
  while (true) {
    const n = await endpoint.read(buf);
    if (n === null) return concat(chunks);
    chunks.push(buf.slice(0, n));
  }
}

function source(chunks: string[]): ByteSource {
  const queue = chunks.map(utf8);
  return {
    read(buf) {
      const next = queue.shift();
      if (next === undefined) return Promise.resolve(null);
      buf.set(next);
      return Promise.resolve(next.length);
    },
  };
}

Deno.test("scriptEndpoint() yields its parts in order across small reads, then ends", async () => {
  const [output] = memoryPair();
  const endpoint = scriptEndpoint({
    parts: [utf8("hello, "), new Uint8Array(), source(["wor", "ld"]), utf8("!\n-- the end")],
    keepOpen: false,
    output,
  });
  assert.equal(new TextDecoder().decode(await readAll(endpoint)), "hello, world!\n-- the end");
  assert.equal(await endpoint.read(new Uint8Array(4)), null);
});

Deno.test("scriptEndpoint() in a relay sends the script, half-closes, and still delivers the reply", async () => {
  const [output, outputPeer] = memoryPair(["stdio", "stdout"]);
  const [remote, server] = memoryPair(["client", "server"]);
  const local = scriptEndpoint({ parts: [utf8("PING\r\n")], keepOpen: false, output });
  const running = relay(local, remote, { endOn: "b-to-a", lingerMs: 50 });
  assert.equal(new TextDecoder().decode(await readAll(server)), "PING\r\n"); // ends: half-closed
  await server.write(utf8("+PONG\r\n"));
  await server.closeWrite();
  const result = await running;
  assert.equal(result.reason, "done");
  assert.equal(result.aToB.bytes, 6);
  assert.equal(result.bToA.bytes, 7);
  assert.equal(new TextDecoder().decode(await readAll(outputPeer)), "+PONG\r\n");
});

Deno.test("scriptEndpoint() with keepOpen does not end until the peer has finished", async () => {
  const [output, outputPeer] = memoryPair();
  const [remote, server] = memoryPair(["client", "server"]);
  const local = scriptEndpoint({ parts: [utf8("hi")], keepOpen: true, output });
  const running = relay(local, remote, { endOn: "b-to-a", lingerMs: 10_000 });
  const buf = new Uint8Array(16);
  assert.equal(await server.read(buf), 2);
  let ended = false;
  const eof = server.read(buf).then((n) => {
    ended = true;
    return n;
  });
  await server.write(utf8("reply"));
  // Once the reply went all the way through, the script has long been sent in full.
  assert.equal(await outputPeer.read(buf), 5);
  assert.equal(ended, false, "no half-close while the peer is still open");
  await server.closeWrite();
  // The peer's end releases the hold: the relay ends at once (not after the 10 s linger).
  assert.equal(await eof, null);
  const result = await running;
  assert.equal(result.reason, "done");
  assert.equal(result.bToA.bytes, 5);
});
