import assert from "node:assert/strict";
import { ChatPeer, FROM_SOURCE_CLIENT, PythonPeer, RESET_CLIENT } from "../_helpers/chat.ts";
import { randomBytes } from "../_helpers/bytes.ts";
import { spawnCli } from "../_helpers/cli.ts";

async function joined(port: number, count: number): Promise<ChatPeer[]> {
  const peers: ChatPeer[] = [];
  for (let i = 0; i < count; i++) {
    const peer = await ChatPeer.connect(port);
    await peer.waitFor(/\* welcome/);
    await peer.send("\n"); // a blank line: announced to the others at once
    peers.push(peer);
  }
  return peers;
}

Deno.test("chat: an over-long line is cut at --max-line and its sender told", async () => {
  await using server = spawnCli(["server", "--port", "0", "--max-line", "100"]);
  const { port } = await server.listening();
  const [a, b] = await joined(port, 2);
  await using _a = a!;
  await using _b = b!;
  await a!.send("x".repeat(250) + "z".repeat(10_000) + "\nafter\n");
  await b!.waitFor(/<guest1> after\n/);
  assert.deepEqual(b!.lines.slice(-2), [`<guest1> ${"x".repeat(100)}`, "<guest1> after"]);
  await a!.waitFor(/\* your line was longer than 100 bytes: only the start was sent\n/);
  // A flood without any newline keeps memory bounded and the server working.
  // (No LF, and no 0xff: telnet commands are another test's concern.)
  await a!.send(randomBytes(4 << 20).map((byte) => (byte === 0x0a || byte === 0xff ? 0x20 : byte)));
  await a!.send("\nstill works\n");
  await b!.waitFor(/<guest1> still works\n/, 20_000);
});

Deno.test("chat: resets, kill -9 and garbage never take the server down", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using watcher = await ChatPeer.connect(port);
  await watcher.waitFor(/welcome/);
  await using reset = new PythonPeer(RESET_CLIENT, [String(port)]);
  assert.equal((await reset.result()).code, 0);
  await watcher.waitFor(/\* guest2 left \(connection lost\)\n/);

  await using doomed = new PythonPeer(
    `import socket,sys,time\ns=socket.create_connection(("127.0.0.1",int(sys.argv[1])))\ns.sendall(b"partial line without newline")\nprint("up",flush=True)\ntime.sleep(60)`,
    [String(port)],
  );
  await watcher.waitFor(/\* guest3 joined\n/);
  doomed.kill("SIGKILL");
  await watcher.waitFor(/\* guest3 left/);

  await using noisy = await ChatPeer.connect(port);
  await noisy.waitFor(/welcome/);
  await noisy.send(randomBytes(1 << 20));
  noisy.close();
  await watcher.waitFor(/\* guest4 left/, 15_000);
  await using fresh = await ChatPeer.connect(port);
  await fresh.waitFor(/welcome, you are guest5/);
  await fresh.send("all fine\n");
  await watcher.waitFor(/<guest5> all fine\n/);
});

Deno.test('chat: --max-clients turns one more away with "server full"', async () => {
  await using server = spawnCli(["server", "--port", "0", "--max-clients", "2"]);
  const { port } = await server.listening();
  const [a, b] = await joined(port, 2);
  await using _a = a!;
  await using _b = b!;
  await using extra = await ChatPeer.connect(port);
  await extra.waitForEnd();
  assert.equal(extra.text, "* server full (2 clients): try again later\n");
  a!.close();
  await b!.waitFor(/guest1 left/);
  await using next = await ChatPeer.connect(port);
  await next.waitFor(/welcome, you are guest3/);
});

Deno.test("chat: --deny wins over --allow and a refused peer gets no data", async () => {
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--host",
    "0.0.0.0",
    "--allow",
    "127.0.0.0/8",
    "--deny",
    "127.0.0.2",
  ]);
  const { port } = await server.listening();
  // python3 can pick its source address: 127.0.0.2 is denied although 127/8 is allowed.
  await using refused = new PythonPeer(FROM_SOURCE_CLIENT, [String(port), "127.0.0.2"]);
  assert.deepEqual(await refused.result(), { code: 0, stdout: "received 0 bytes\n", stderr: "" });
  await using allowed = new PythonPeer(FROM_SOURCE_CLIENT, [String(port), "127.0.0.3"]);
  assert.match((await allowed.result()).stdout, /received [1-9]\d* bytes/);
  await using local = await ChatPeer.connect(port);
  await local.waitFor(/welcome, you are guest2/);
  assert.match(server.stderr, /listening on all interfaces/);
});

Deno.test("chat: --allow refuses others, also over IPv6", async () => {
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--host",
    "::1",
    "--allow",
    "10.0.0.0/8",
  ]);
  const { port } = await server.listening();
  await using refused = await ChatPeer.connect(port, { host: "::1" });
  await refused.waitForEnd();
  assert.equal(refused.bytes.length, 0);
  await using open = spawnCli(["server", "--port", "0", "--host", "::1", "--allow", "::1"]);
  const other = await open.listening();
  await using welcome = await ChatPeer.connect(other.port, { host: "::1" });
  await welcome.waitFor(/welcome, you are guest1/);
});

Deno.test("chat: --idle-timeout disconnects a quiet client and tells the room", async () => {
  await using server = spawnCli(["server", "--port", "0", "--idle-timeout", "1s"]);
  const { port } = await server.listening();
  await using quiet = await ChatPeer.connect(port);
  await quiet.waitFor(/welcome/);
  await using chatty = await ChatPeer.connect(port);
  await chatty.waitFor(/welcome/);
  const started = performance.now();
  for (let i = 0; !quiet.ended && i < 30; i++) {
    await chatty.send(`tick ${i}\n`); // chatty stays active
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await quiet.waitForEnd(3_000);
  const took = performance.now() - started;
  assert.ok(took >= 900, `dropped after ${took} ms, before the 1 s idle timeout`);
  assert.match(quiet.text, /\* disconnected: nothing sent for 1 s \(--idle-timeout\)\n$/);
  await chatty.waitFor(/\* guest1 was disconnected \(idle for 1 s\)\n/);
  assert.equal(chatty.ended, false);
});
