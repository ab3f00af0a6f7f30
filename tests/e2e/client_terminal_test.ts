/**
 * The pipe client with a person at the keyboard: stdin is a terminal (a real one, in
 * tmux), stdout a pipe. When the server closes its side, nothing is queued to send and
 * nobody is going to type into a closed conversation, so the client exits at once with 0
 * (with stdin a pipe it would go on sending until stdin ends, as nc -N and ncat do).
 */

import assert from "node:assert/strict";
import { sockchatArgv } from "../_helpers/cli.ts";
import { TmuxSession } from "../_helpers/tmux.ts";
import { within } from "../_helpers/wait.ts";

const encoder = new TextEncoder();

/** Reads `conn` to its end; resolves with what arrived. */
async function readToEnd(conn: Deno.Conn): Promise<string> {
  const decoder = new TextDecoder();
  const buf = new Uint8Array(4096);
  let text = "";
  while (true) {
    const n = await conn.read(buf);
    if (n === null) return text;
    text += decoder.decode(buf.subarray(0, n), { stream: true });
  }
}

Deno.test("client with stdin a terminal: the server half-closes, the client exits 0 at once and sends its FIN", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const argv = sockchatArgv(["client", "127.0.0.1", String(port)]);
  await using client = await TmuxSession.start(argv, { env: { NO_COLOR: "1" }, suffix: "| cat" });
  using conn = await within(listener.accept(), 20_000, "the client to connect");
  // Settles either way: a failing run must not leave a rejected read behind.
  const received = readToEnd(conn).catch((error) => `read failed: ${error}`);
  await client.type("hello from the keyboard");
  await client.press("Enter");
  await client.waitForScreen(/^hello from the keyboard$/m); // the terminal's echo
  await conn.write(encoder.encode("bye\n"));
  await client.waitForScreen(/^bye$/m);
  // FIN only: the server goes on reading, so nothing forces the client to stop sending.
  const closedAt = performance.now();
  await conn.closeWrite();
  const { code } = await client.exited(10_000);
  const elapsed = performance.now() - closedAt;
  assert.equal(code, 0, await client.screen());
  // The client ended its side too, after sending every line that was typed.
  assert.equal(await within(received, 10_000, "the client's FIN"), "hello from the keyboard\n");
  // Promptly: no linger, no wait for a Ctrl-D that a person would not think to type.
  assert.ok(elapsed < 3_000, `exited ${Math.round(elapsed)} ms after the server's FIN`);
  assert.doesNotMatch(await client.screen(), /sockchat:/, "no message: a normal end");
});
