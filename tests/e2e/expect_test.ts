import assert from "node:assert/strict";
import { runCli, runInProcess, spawnCli } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";

/** An echo server (never closes first) for the client to talk to. */
async function echoServer() {
  const server = spawnCli(["server", "--mode", "echo", "--port", "0"]);
  const { port } = await server.listening();
  return { server, port: String(port) };
}

Deno.test("client --expect exits 0 as soon as every pattern matched, without waiting for the peer to close", async () => {
  const { server, port } = await echoServer();
  await using _ = server;
  // --keep-open: no half-close, so the echo server never closes; only the match ends the run.
  const result = await runCli([
    "client",
    "--send",
    "PING\\r\\n",
    "--send",
    "+PONG\\r\\n",
    "--keep-open",
    "--expect",
    "PING",
    "--expect",
    "^\\r\\n\\+PONG\\r\\n",
    "--timeout",
    "10s",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdoutText, "PING\r\n+PONG\r\n");
  assert.equal(result.stderr, "");
});

Deno.test("client --expect --json reports data, then matched with the pattern and its index, then closed", async () => {
  const { server, port } = await echoServer();
  await using _ = server;
  const result = await runCli([
    "client",
    "--json",
    "--send",
    "version 4.2\\n",
    "--keep-open",
    "--expect",
    "version (\\d+)\\.(\\d+)",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdoutText.trim().split("\n").map((line) => JSON.parse(line));
  const types = events.map((e) => e.type);
  assert.deepEqual(types.filter((t) => t !== "data"), ["connected", "matched", "closed"]);
  assert.ok(types.indexOf("data") < types.indexOf("matched"));
  const matched = events.find((e) => e.type === "matched");
  assert.equal(matched.index, 0);
  assert.equal(matched.pattern, "version (\\d+)\\.(\\d+)");
  assert.equal(matched.text, "version 4.2");
  assert.deepEqual(matched.groups, ["4", "2"]);
  assert.equal(matched.peer, `127.0.0.1:${port}`);
  const closed = events.at(-1);
  assert.equal(closed.reason, "matched");
  assert.equal(closed.bytesSent, 12);
  assert.equal(typeof closed.durationMs, "number");
});

Deno.test("client --expect exits 3 when the peer closes before the pattern was seen", async () => {
  const { server, port } = await echoServer();
  await using _ = server;
  const result = await runCli([
    "client",
    "--send",
    "PING\\r\\n",
    "--expect",
    "PING",
    "--expect",
    "PONG",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 3);
  assert.equal(result.stdoutText, "PING\r\n", "what was received is still printed");
  assert.equal(
    result.stderr,
    `sockchat: No match for --expect "PONG" (2 of 2) from "127.0.0.1:${port}": the connection closed first\n`,
  );
});

Deno.test("client --expect exits 124 when --timeout passes first, naming the pattern", async () => {
  const { server, port } = await echoServer();
  await using _ = server;
  const result = await runCli([
    "client",
    "--json",
    "--send",
    "PING\\r\\n",
    "--keep-open",
    "--expect",
    "PONG",
    "--timeout",
    "1s",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 124);
  const message = 'Timed out after 1.00 s (--timeout) waiting for --expect "PONG"';
  assert.equal(result.stderr, `sockchat: ${message}\n`);
  const events = result.stdoutText.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(events.at(-1), { ...events.at(-1), type: "error", message, exitCode: 124 });
  assert.equal(events.find((e) => e.type === "closed")?.reason, "timeout");
});

Deno.test("client --expect checks replies to stdin input too, ending the run while stdin is still open", async () => {
  const { server, port } = await echoServer();
  await using _ = server;
  await using client = spawnCli(
    ["client", "--expect", "two", "--timeout", "10s", "127.0.0.1", port],
    { stdin: "piped" },
  );
  await client.write("one\n");
  await client.waitForStdout(/one\n/);
  await client.write("two\n");
  // stdin is still open: only the match ends the run.
  assert.equal(await client.exit(), 0, client.stderr);
  assert.equal(client.stdoutText, "one\ntwo\n");
});

Deno.test("client rejects an invalid --expect pattern and bad --send escapes before connecting (exit 2)", async () => {
  // Port 1 refuses connections: exit 1 would mean the client tried to connect.
  const cases: [string[], string][] = [
    [["--expect", "("], 'sockchat: Invalid --expect "(": unterminated group\n'],
    [
      ["--send", "a\\q"],
      'sockchat: Invalid --send "a\\q": unknown escape "\\q" (escapes: \\n \\r \\t \\\\ \\0 \\xHH)\n',
    ],
    [
      ["--send", "\\x4"],
      'sockchat: Invalid --send "\\x4": "\\x" needs two hex digits, as in \\x1b (escapes: \\n \\r \\t \\\\ \\0 \\xHH)\n',
    ],
    [
      ["--send-file", "/nonexistent/file"],
      'sockchat: Cannot read --send-file "/nonexistent/file": no such file\n',
    ],
    [["--send-file", "/"], 'sockchat: Cannot read --send-file "/": is a directory\n'],
    [["--keep-open"], "sockchat: Option --keep-open needs --send or --send-file\n"],
  ];
  for (const [args, stderr] of cases) {
    const result = await runCli(["client", ...args, "127.0.0.1", "1"]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stderr, stderr);
    assert.equal(result.stdoutText, "");
  }
});

const RESETTING_PEER = `
import socket, struct
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.recv(1)
c.sendall(b"-ERR\\r\\n")
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
`;

Deno.test("client --expect exits 3 when the peer resets the connection before the pattern was seen", async () => {
  const python = requirePeer("python3");
  await using peer = spawnCli([], { command: [python, "-c", RESETTING_PEER] });
  const port = (await peer.waitForStdout(/^(\d+)\n/))[1]!;
  const result = await runCli([
    "client",
    "--send",
    "PING\\r\\n",
    "--keep-open",
    "--expect",
    "PONG",
    "--timeout",
    "10s",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(
    result.stderr,
    `sockchat: No match for --expect "PONG" from "127.0.0.1:${port}": the connection was reset first\n`,
  );
  assert.equal(await peer.exit(), 0);
});

Deno.test("client --send/--expect work over a Unix socket too", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/echo.sock`;
    await using server = spawnCli(["server", "--mode", "echo", "--unix", path]);
    await server.waitForStderr(/listening on unix:/);
    const result = await runCli([
      "client",
      "--unix",
      path,
      "--send",
      "over unix\\n",
      "--keep-open",
      "--expect",
      "unix\\n$",
      "--timeout",
      "10s",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, "over unix\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("client --help and wait --help document the scripting options with examples", async () => {
  const client = await runInProcess(["client", "--help"]);
  assert.equal(client.code, 0);
  for (const text of ["--send TEXT", "--send-file PATH", "--keep-open", "--expect REGEX"]) {
    assert.ok(client.stdoutText.includes(text), text);
  }
  assert.match(client.stdoutText, /escapes:\s+\\n \\r \\t \\\\ \\0 \\xHH/);
  assert.match(client.stdoutText, /sockchat client --send 'PING\\r\\n' --expect/);
  const wait = await runInProcess(["wait", "--help"]);
  assert.equal(wait.code, 0);
  assert.match(wait.stdoutText, /^Usage: sockchat wait \[options\] TARGET\.\.\./);
  assert.match(wait.stdoutText, /\(default: 30s\)/);
  assert.match(wait.stdoutText, /\(default: 250ms\)/);
  assert.match(wait.stdoutText, /sockchat wait localhost:5432/);
});
