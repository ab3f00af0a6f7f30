import assert from "node:assert/strict";
import { PeekedEndpoint } from "../../lib/net/peeked_endpoint.ts";
import type { Endpoint } from "../../lib/net/endpoint.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import { utf8 } from "../_helpers/bytes.ts";

async function readAll(endpoint: Endpoint, size = 3): Promise<string> {
  const buffer = new Uint8Array(size);
  let text = "";
  while (true) {
    const n = await endpoint.read(buffer);
    if (n === null) return text;
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
}

Deno.test("PeekedEndpoint gives the reader every peeked byte first, in order, then the rest", async () => {
  const [server, client] = memoryPair();
  const peeked = new PeekedEndpoint(client);
  await server.write(utf8("first "));
  assert.equal(new TextDecoder().decode((await peeked.peek())!), "first ");
  await server.write(utf8("second "));
  await peeked.peek();
  assert.equal(new TextDecoder().decode(peeked.held), "first second ");
  await server.write(utf8("third"));
  await server.closeWrite();
  assert.equal(await readAll(peeked), "first second third");
  assert.equal(await peeked.peek(), null);
});

Deno.test("PeekedEndpoint hands a peek still under way to the next read", async () => {
  const [server, client] = memoryPair();
  const peeked = new PeekedEndpoint(client);
  const pending = peeked.peek(); // nothing sent yet: the peek waits
  const reading = readAll(peeked);
  await server.write(utf8("late bytes"));
  await server.closeWrite();
  assert.equal(await reading, "late bytes");
  assert.equal(new TextDecoder().decode((await pending)!), "late bytes");
});

Deno.test("PeekedEndpoint gives a failed peek's error to the next read, after the held bytes", async () => {
  let reads = 0;
  const failing: Endpoint = {
    name: "flaky",
    read(buf) {
      if (reads++ === 0) {
        buf.set(utf8("ok"));
        return Promise.resolve(2);
      }
      return Promise.reject(new Deno.errors.ConnectionReset("reset"));
    },
    write: () => Promise.resolve(),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  };
  const peeked = new PeekedEndpoint(failing);
  await peeked.peek();
  await assert.rejects(peeked.peek(), Deno.errors.ConnectionReset);
  const buffer = new Uint8Array(10);
  assert.equal(await peeked.read(buffer), 2);
  await assert.rejects(peeked.read(buffer), Deno.errors.ConnectionReset);
});
