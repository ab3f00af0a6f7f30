import assert from "node:assert/strict";
import { ChatPeer } from "../_helpers/chat.ts";
import { runCli, spawnCli } from "../_helpers/cli.ts";
import { freePort } from "../_helpers/redis_server.ts";

Deno.test("server: bad --redis, --room and --reuse-port combinations are usage errors", async () => {
  const cases: [string[], RegExp][] = [
    [["--room", "x"], /^sockchat: Option --room needs --redis\n$/],
    [["--redis-ttl", "5s"], /^sockchat: Option --redis-ttl needs --redis\n$/],
    [
      ["--redis", "localhost:6379"],
      /^sockchat: Invalid Redis URL "localhost:6379": .*\(--redis\)\n$/,
    ],
    [
      ["--redis", "redis://u:hunter2@h/x"],
      /^sockchat: Invalid Redis URL "redis:\/\/u:\*\*\*@h\/x": /,
    ],
    [["--redis", "redis://h", "--room", "a b"], /^sockchat: Invalid --room "a b": /],
    [["--redis", "redis://h", "--redis-ttl", "10ms"], /--redis-ttl must be at least 300ms/],
    [["--mode", "echo", "--redis", "redis://h"], /--redis only applies to --mode chat/],
    [["--unix", "/tmp/x.sock", "--reuse-port"], /--reuse-port needs TCP/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(["server", ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /hunter2/);
  }
});

Deno.test("server --reuse-port: two servers listen on one port and both get clients", async () => {
  const port = String(freePort());
  await using a = spawnCli(["server", "--port", port, "--reuse-port", "--name", "alpha"]);
  await a.listening();
  await using b = spawnCli(["server", "--port", port, "--reuse-port", "--name", "beta"]);
  await b.listening();
  // Without --reuse-port the port is taken.
  const taken = await runCli(["server", "--port", port]);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /Cannot listen on "127\.0\.0\.1:\d+": address (already )?in use/);
  // The kernel spreads connections: within a bounded number, both servers get one.
  const seen = new Set<string>();
  for (let i = 0; i < 40 && seen.size < 2; i++) {
    await using peer = await ChatPeer.connect(Number(port));
    await peer.send("/who\n");
    const [, operator] = await peer.waitFor(/operator: (alpha|beta)\n/);
    seen.add(operator!);
  }
  assert.deepEqual([...seen].sort(), ["alpha", "beta"]);
});
