import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { type CliProcess, runCli, runInProcess, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { readToEnd } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";

/** Starts `server --exec -- ...argv` on port 0 with `--json`; returns it and its port. */
async function execServer(
  argv: string[],
  extra: string[] = [],
): Promise<{ server: CliProcess; port: number }> {
  const server = spawnCli(["server", "--port", "0", "--json", ...extra, "--exec", "--", ...argv]);
  const { port } = (await server.event("listening")) as { port: number };
  return { server, port };
}

function closedEvents(server: CliProcess): Record<string, unknown>[] {
  return server.events().filter((e) => e.type === "closed");
}

/** The program processes the server runs right now (its children). */
async function children(pid: number): Promise<string[]> {
  const out = await new Deno.Command("ps", {
    args: ["--ppid", String(pid), "-o", "comm="],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((line) => line !== "");
}

Deno.test("server --exec -- tr a-z A-Z: each client talks to its own program, exit code in closed", async () => {
  const { server, port } = await execServer(["tr", "a-z", "A-Z"]);
  await using _server = server;
  for (const text of ["hello world\n", "second client\n"]) {
    const result = await runCli(["client", "127.0.0.1", String(port)], { input: text });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, text.toUpperCase());
  }
  await server.waitFor(() => closedEvents(server).length === 2, "two closed events");
  for (const event of closedEvents(server)) {
    assert.equal(event.exitCode, 0);
    assert.equal(event.reason, "eof");
    assert.equal(event.signal, undefined);
  }
  assert.deepEqual(closedEvents(server).map((e) => e.bytesSent), [12, 14]);
});

Deno.test("server --exec: a program that exits non-zero is reported, its stderr passed through", async () => {
  await using server = spawnCli([
    "server",
    "--port",
    "0",
    "--exec",
    "--",
    "sh",
    "-c",
    "cat; echo 'from the program' >&2; exit 3",
  ]);
  const { port } = await server.listening();
  const result = await runCli(["client", "127.0.0.1", String(port)], { input: "abc\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdoutText, "abc\n");
  // Without -v a failed program still gets its line.
  await server.waitForStderr(/program exited with 3/);
  assert.match(server.stderr, /^from the program$/m);
  assert.match(
    server.stderr,
    /closed 127\.0\.0\.1:\d+: sent 4 B, received 4 B in .+ \(eof\), program exited with 3\n/,
  );
});

Deno.test("server --exec -- cat: 8 MiB both ways byte-exact (sha256)", async () => {
  const { server, port } = await execServer(["cat"]);
  await using _server = server;
  const input = randomBytes(8 << 20);
  await using client = spawnCli(["client", "127.0.0.1", String(port)], { stdin: "piped" });
  const writing = client.write(input).then(() => client.closeStdin());
  assert.equal(await client.exit(60_000), 0, client.stderr);
  await writing;
  assert.equal(sha256(client.stdout), sha256(input));
  const closed = await server.event("closed");
  assert.deepEqual(
    [closed.bytesSent, closed.bytesReceived, closed.exitCode],
    [input.length, input.length, 0],
  );
});

Deno.test("server --exec -- cat: a client stopped (SIGSTOP) mid-transfer still gets every byte", async () => {
  const { server, port } = await execServer(["cat"]);
  await using _server = server;
  const input = randomBytes(16 << 20);
  await using client = spawnCli(["client", "127.0.0.1", String(port)], { stdin: "piped" });
  const writing = client.write(input).then(() => client.closeStdin());
  await client.waitFor(() => client.stdout.length > 0, "the first echoed bytes");
  client.kill("SIGSTOP");
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  client.kill("SIGCONT");
  assert.equal(await client.exit(60_000), 0, client.stderr);
  await writing;
  assert.equal(sha256(client.stdout), sha256(input));
  const closed = await server.event("closed");
  assert.deepEqual([closed.reason, closed.exitCode], ["eof", 0]);
});

Deno.test("server --exec: a program that stops reading still has its output delivered; the rest is counted", async () => {
  const { server, port } = await execServer(["sh", "-c", "head -c 5; sleep 0.3; echo; echo done"], [
    "--hex",
  ]);
  await using _server = server;
  const input = randomBytes(2 << 20);
  await using client = spawnCli(["client", "127.0.0.1", String(port)], { stdin: "piped" });
  const writing = client.write(input).catch(() => {}).then(() => client.closeStdin());
  // Whether the client could hand all of it to the kernel depends on buffer sizes: 0 or 1.
  assert.ok([0, 1].includes(await client.exit(20_000)), client.stderr);
  await writing;
  assert.deepEqual(client.stdout, new Uint8Array([...input.subarray(0, 5), ...utf8("\ndone\n")]));
  const closed = await server.event("closed");
  assert.equal(closed.reason, "error");
  assert.equal(closed.exitCode, 0);
  assert.equal(closed.bytesSent, 11);
  assert.match(String(closed.error), /^the program stopped reading its input/);
  // --hex shows the program's 11 bytes going to the client, whatever the chunking.
  const sent = [...server.stderr.matchAll(/^> \S+ 127\.0\.0\.1:\d+ offset=\d+ length=(\d+)$/gm)];
  assert.equal(sent.reduce((sum, m) => sum + Number(m[1]), 0), 11, server.stderr.slice(0, 500));
});

Deno.test("server --exec --max-clients 2: a third client is turned away, a freed slot serves again", async () => {
  const { server, port } = await execServer(["cat"], ["--max-clients", "2"]);
  await using _server = server;
  const first = await Deno.connect({ hostname: "127.0.0.1", port });
  const second = await Deno.connect({ hostname: "127.0.0.1", port });
  // Both are served: each one's own cat echoes.
  for (const conn of [first, second]) {
    await conn.write(utf8("ping\n"));
    const buf = new Uint8Array(16);
    assert.equal(await within(conn.read(buf), 10_000, "the echo"), 5);
  }
  const third = await Deno.connect({ hostname: "127.0.0.1", port });
  const turnedAway = await within(readToEnd(third).catch(() => "reset"), 10_000, "turned away");
  assert.ok(turnedAway === "reset" || turnedAway.length === 0);
  third.close();
  await server.waitFor(
    () =>
      server.events().find((e) => e.type === "warning" && /turned away/.test(String(e.message))),
    "the turned-away warning",
  );
  assert.equal((await children(server.child.pid)).length, 2);
  first.close();
  await server.waitFor(() => closedEvents(server).length === 1, "the first client's end");
  const result = await runCli(["client", "127.0.0.1", String(port)], { input: "again\n" });
  assert.equal(result.stdoutText, "again\n", result.stderr);
  second.close();
});

Deno.test("server --exec: a client that resets ends its program, the server goes on", async () => {
  const { server, port } = await execServer(["cat"]);
  await using _server = server;
  await using reset = spawnPeer(["python3", "-c", RESET_AFTER_ECHO, String(port)]);
  assert.equal(await reset.exit(), 0, reset.stderr);
  const closed = await server.event("closed");
  assert.equal(closed.reason, "reset");
  assert.equal(closed.bytesReceived, 4);
  // The program was stopped (SIGTERM), or it ended at the end of its input first.
  assert.ok(closed.signal === "SIGTERM" || closed.exitCode === 0, JSON.stringify(closed));
  assert.deepEqual(await children(server.child.pid), []);
  const result = await runCli(["client", "127.0.0.1", String(port)], { input: "next\n" });
  assert.equal(result.stdoutText, "next\n", result.stderr);
});

/** Sends a line, waits for its echo, then closes with SO_LINGER 0 (a reset). */
const RESET_AFTER_ECHO = `
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"abc\\n")
data = b""
while not data.endswith(b"\\n"):
    data += s.recv(1024)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
`;

Deno.test("server --exec over TLS and a Unix socket: the program sees the plaintext", async () => {
  await using tls = spawnCli([
    "server",
    "--tls",
    "--port",
    "0",
    "--exec",
    "--",
    "tr",
    "a-z",
    "A-Z",
  ]);
  const [, port, fingerprint] = await tls.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
  );
  const viaTls = await runCli(["client", "--fingerprint", fingerprint!, "127.0.0.1", port!], {
    input: "over tls\n",
  });
  assert.equal(viaTls.code, 0, viaTls.stderr);
  assert.equal(viaTls.stdoutText, "OVER TLS\n");
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/exec.sock`;
    await using unix = spawnCli(["server", "--unix", path, "--exec", "--", "tr", "a-z", "A-Z"]);
    await unix.waitForStderr(/listening on /);
    const viaUnix = await runCli(["client", "--unix", path], { input: "over unix\n" });
    assert.equal(viaUnix.code, 0, viaUnix.stderr);
    assert.equal(viaUnix.stdoutText, "OVER UNIX\n");
    assert.doesNotMatch(unix.stderr, /warning/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server --exec: usage errors, a missing program, and the warning beyond loopback", async () => {
  const cases: [string[], string][] = [
    [["server", "--exec"], "Option --exec needs a program after --: --exec -- PROGRAM [ARGS...]"],
    [
      ["server", "--exec", "cat"],
      'Too many arguments: "cat": the program goes after --: --exec -- PROGRAM [ARGS...]',
    ],
    [
      ["server", "--", "cat"],
      'Too many arguments: "cat": this command takes none, except a program after --exec --',
    ],
    [
      ["server", "--mode", "pipe", "--exec", "--", "cat"],
      "Option --exec cannot be combined with --mode pipe",
    ],
    [
      ["server", "--mode", "echo", "--max-clients", "3"],
      "Option --max-clients only applies to --mode chat or --exec",
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(args);
    assert.equal(result.code, 2, args.join(" "));
    assert.equal(result.stderr, `sockchat: ${message}\n`, args.join(" "));
  }
  const missing = await runCli(["server", "--port", "0", "--exec", "--", "no-such-program-here"]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'sockchat: Cannot run "no-such-program-here": not found in PATH\n');

  await using open = spawnCli([
    "server",
    "--host",
    "0.0.0.0",
    "--port",
    "0",
    "--exec",
    "--",
    "cat",
  ]);
  await open.listening();
  assert.match(
    open.stderr,
    /sockchat: warning: --exec runs "cat" for anyone who can connect to 0\.0\.0\.0\n/,
  );
});
