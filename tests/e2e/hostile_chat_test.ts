/**
 * Chat slots cannot be hoarded: `--max-per-ip` caps one address (127.0.0.2… play other
 * hosts), blank lines are not activity for `--idle-timeout`, and a newcomer that says
 * nothing is dropped after `--join-timeout`.
 */
import assert from "node:assert/strict";
import { ROOT_DIR, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { ChatPeer } from "../_helpers/chat.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { fdCount, rssKiB, waitFds } from "../_helpers/proc_stats.ts";

/**
 * Opens `count` connections from source address `src` and prints, per connection, what
 * it got within 5 s: `welcome`, `closed` (closed without a line) or `silent`. Keeps them
 * open until stdin ends.
 */
const FROM_HOST = `
import socket, sys
port, src, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conns = []
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port), source_address=(src, 0))
    conns.append(s)
for s in conns:
    s.settimeout(5)
    try:
        data = s.recv(4096)
        print("welcome" if b"welcome" in data else ("closed" if data == b"" else "other"), flush=True)
    except ConnectionResetError:
        print("closed", flush=True)
    except socket.timeout:
        print("silent", flush=True)
print("done", flush=True)
sys.stdin.read()
`;

async function fromHost(port: number, src: string, count: number) {
  const peer = spawnPeer([
    requirePeer("python3"),
    "-c",
    FROM_HOST,
    String(port),
    src,
    String(count),
  ], {
    stdin: "piped",
  });
  await peer.waitForStdout(/done\n/, 20_000);
  return { peer, outcomes: peer.stdoutText.trim().split("\n").slice(0, -1) };
}

Deno.test("--max-per-ip: one address gets its share, the next connection is closed, others still get in", async () => {
  await using server = spawnCli(["server", "--port", "0", "--max-per-ip", "3", "--verbose"]);
  const { port } = await server.listening();
  const a = await fromHost(port, "127.0.0.2", 4);
  await using _a = a.peer;
  assert.deepEqual(a.outcomes.toSorted(), ["closed", "welcome", "welcome", "welcome"]);
  await server.waitForStderr(/3 connections from 127\.0\.0\.2 already \(--max-per-ip\)/);
  const b = await fromHost(port, "127.0.0.3", 1);
  await using _b = b.peer;
  assert.deepEqual(b.outcomes, ["welcome"]);
  // A slot comes back when one of the address's connections ends.
  await a.peer.closeStdin();
  assert.equal(await a.peer.exit(10_000), 0);
  const again = await fromHost(port, "127.0.0.2", 3);
  await using _again = again.peer;
  assert.deepEqual(again.outcomes, ["welcome", "welcome", "welcome"]);
});

Deno.test("--max-per-ip defaults well below --max-clients: one host cannot fill the room", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  const a = await fromHost(port, "127.0.0.2", 10);
  await using _a = a.peer;
  assert.equal(a.outcomes.filter((o) => o === "welcome").length, 8);
  assert.equal(a.outcomes.filter((o) => o === "closed").length, 2);
});

Deno.test("--idle-timeout counts lines that say something: blank lines every 500 ms do not keep a slot", async () => {
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--max-clients",
    "2",
    "--idle-timeout",
    "2s",
  ]);
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await using b = await ChatPeer.connect(port);
  await a.waitFor(/welcome/);
  await b.waitFor(/welcome/);
  const hoarding = (async () => {
    while (!a.ended || !b.ended) {
      await Promise.all([a.send("\n").catch(() => {}), b.send("\n").catch(() => {})]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  await a.waitForEnd(10_000);
  await b.waitForEnd(10_000);
  await hoarding;
  assert.match(a.text, /\* disconnected: nothing sent for 2 s \(--idle-timeout\)\n$/);
  await using c = await ChatPeer.connect(port);
  await c.waitFor(/welcome/);
  assert.doesNotMatch(c.text, /server full/);
});

Deno.test("--join-timeout: a newcomer that says nothing is dropped; one that spoke stays", async () => {
  await using server = spawnCli(["server", "--port", "0", "--join-timeout", "1s"]);
  const { port } = await server.listening();
  await using quiet = await ChatPeer.connect(port);
  await using talker = await ChatPeer.connect(port);
  await talker.waitFor(/welcome/);
  await talker.send("hello\n");
  await quiet.waitForEnd(10_000);
  assert.match(
    quiet.text,
    /\* disconnected: nothing said within 1 s of joining \(--join-timeout\)\n$/,
  );
  await talker.waitFor(/guest1 was disconnected \(idle for 1 s\)/);
  // The talker is still in the room well after its own join deadline.
  await using late = await ChatPeer.connect(port);
  await late.waitFor(/welcome/);
  await late.send("anyone?\n");
  await talker.waitFor(/<guest3> anyone\?/);
  assert.equal(talker.ended, false);
});

Deno.test("churn: connect/nick/message/close cycles with resets and denied peers leave no fds or growing memory", async () => {
  const python = requirePeer("python3");
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--max-per-ip",
    "64",
    "--deny",
    "127.0.0.2",
  ]);
  const { port } = await server.listening();
  const pid = server.child.pid;
  const round = async () => {
    const load = await runPeer([
      python,
      `${ROOT_DIR}/bench/load/churn_load.py`,
      String(port),
      "400",
      "80",
      "80",
    ]);
    assert.match(load, /"errors": 0/);
    // Every connection of the round is gone on our side: the server's must be too.
    return { fds: await waitFds(pid, (n) => n <= baseline.fds, 10_000), rss: await rssKiB(pid) };
  };
  const baseline = { fds: await fdCount(pid), rss: await rssKiB(pid) };
  const rounds = [await round(), await round(), await round(), await round()];
  for (const { fds } of rounds) assert.ok(fds <= baseline.fds, `fds ${baseline.fds} → ${fds}`);
  // After the first round (warm-up), memory levels off: generous bounds for a busy machine.
  const growth = (rounds[3]!.rss - rounds[1]!.rss) / 1024;
  assert.ok(growth < 24, `RSS grew ${growth.toFixed(1)} MiB from round 2 to round 4`);
  console.log(`RSS MiB per round: ${rounds.map((r) => (r.rss / 1024).toFixed(1)).join(", ")}`);
});

async function runPeer(argv: string[]): Promise<string> {
  await using peer = spawnPeer(argv);
  assert.equal(await peer.exit(60_000), 0, peer.stderr);
  return peer.stdoutText;
}
