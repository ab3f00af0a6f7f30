/**
 * A burst of connections reset before the server took them (RST in the accept queue)
 * is counted, not slept on: a legitimate client is served during the burst, and the
 * server does not print a warning per reset.
 */
import assert from "node:assert/strict";
import { spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { ChatPeer } from "../_helpers/chat.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { within } from "../_helpers/wait.ts";

/** Connects `count` times and resets each connection at once (SO_LINGER 0). */
const RESETS = `
import socket, struct, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
for i in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.connect(("127.0.0.1", port))
    s.close()
    if i == count // 10:
        print("burst under way", flush=True)
print("burst done", flush=True)
`;

for (const mode of ["chat", "echo"]) {
  Deno.test(`${mode}: a legitimate client is served during a burst of 1,000 resets`, async () => {
    const python = requirePeer("python3");
    await using server = spawnCli(["server", "--mode", mode, "--port", "0"]);
    const { port } = await server.listening();
    await using burst = spawnPeer([python, "-c", RESETS, String(port), "1000"]);
    await burst.waitForStdout(/burst under way/, 20_000);
    const started = performance.now();
    await using client = await ChatPeer.connect(port);
    if (mode === "chat") {
      await client.waitFor(/welcome/, 10_000);
    } else {
      await client.send("echo me\n");
      await client.waitFor(/echo me\n/, 10_000);
    }
    const took = performance.now() - started;
    await within(burst.exit(60_000), 61_000, "the burst to end");
    assert.match(burst.stdoutText, /burst done/, burst.stderr);
    // Served, not slept on: with a 50 ms pause per reset this took many seconds.
    console.log(`${mode}: served after ${Math.round(took)} ms during the burst`);
    assert.doesNotMatch(server.stderr, /accept failed/);
    server.kill("SIGTERM");
    assert.equal(await server.exit(5_000), 0, server.stderr);
  });
}
