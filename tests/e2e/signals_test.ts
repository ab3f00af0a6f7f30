/**
 * Stop signals end servers in order: SIGHUP like SIGTERM, a burst of one signal (GNU
 * `timeout` sends TERM twice) as one request, a different second signal as "exit now".
 */
import assert from "node:assert/strict";
import { sockchatArgv, spawnCli } from "../_helpers/cli.ts";
import { ChatPeer } from "../_helpers/chat.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { SIGNAL_BURST_MS } from "../../lib/cli/signal_gate.ts";

Deno.test("SIGHUP ends the chat server like SIGTERM: notices, transcript, exit 0", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await a.waitFor(/welcome/);
  await server.waitForStdout(/\* guest1 joined/);
  server.kill("SIGHUP");
  assert.equal(await server.exit(5_000), 0, server.stderr);
  await a.waitForEnd(2_000);
  assert.match(a.text, /\* server shutting down\n$/);
  assert.match(server.stdoutText, /\* guest1 left \(server shutting down\)\n/);
  assert.equal(server.stderr.includes("Error"), false, server.stderr);
});

Deno.test("SIGHUP ends the echo and pipe servers with exit 0", async () => {
  for (const mode of ["echo", "pipe"]) {
    await using server = spawnCli(["server", "--mode", mode, "--port", "0"]);
    await server.listening();
    server.kill("SIGHUP");
    assert.equal(await server.exit(5_000), 0, `${mode}: ${server.stderr}`);
  }
});

Deno.test("`timeout 60 sockchat server` stopped with TERM (sent twice by timeout) exits 0, every time", async () => {
  const timeout = requirePeer("timeout");
  // Six runs side by side: each one is the `timeout 60 sockchat server & kill -TERM $!` case.
  const runs = Array.from({ length: 6 }, async () => {
    await using server = spawnCli([], {
      command: [timeout, "60", ...sockchatArgv(["server", "--port", "0"])],
    });
    const { port } = await server.listening();
    // A connected client makes the shutdown take a moment, so the second TERM lands in it.
    await using peer = await ChatPeer.connect(port);
    await peer.waitFor(/welcome/);
    server.kill("SIGTERM");
    return { code: await server.exit(5_000), stderr: server.stderr };
  });
  for (const { code, stderr } of await Promise.all(runs)) assert.equal(code, 0, stderr);
});

Deno.test("a burst of TERM to the server itself is one shutdown request (exit 0)", async () => {
  // Three TERMs 30 ms apart: taken apart by the runtime, yet within SIGNAL_BURST_MS of the
  // first. A run whose kills got spread wider than that by a busy machine is tried again.
  for (let attempt = 1;; attempt++) {
    await using server = spawnCli(["server", "--port", "0"]);
    const { port } = await server.listening();
    await using peer = await ChatPeer.connect(port);
    await peer.waitFor(/welcome/);
    const first = performance.now();
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 30));
      server.kill("SIGTERM");
    }
    const spread = performance.now() - first;
    const code = await server.exit(5_000);
    if (spread > SIGNAL_BURST_MS - 20 && attempt < 3) continue;
    assert.ok(spread <= SIGNAL_BURST_MS, `the kills took ${Math.round(spread)} ms`);
    assert.equal(code, 0, server.stderr);
    assert.match(peer.text, /\* server shutting down\n/);
    return;
  }
});

Deno.test("a different second signal during the shutdown exits at once with 130", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  // A peer that never closes its side keeps the orderly shutdown waiting for a moment.
  await using peer = await ChatPeer.connect(port);
  await peer.waitFor(/welcome/);
  await server.waitForStdout(/\* guest1 joined/);
  server.kill("SIGTERM");
  await server.waitForStdout(/left \(server shutting down\)/);
  server.kill("SIGINT");
  assert.equal(await server.exit(5_000), 130, server.stderr);
});
