/**
 * Hostile TLS peers against the real server process: the handshake deadline frees every
 * socket whatever the peer sends (counted in /proc/PID/fd), and silent peers delay no one.
 */
import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { runCli, sockchatArgv, spawnCli } from "../_helpers/cli.ts";
import { fdCount, waitFds } from "../_helpers/proc_stats.ts";
import { within } from "../_helpers/wait.ts";

/** `server --mode echo --tls` on a free port with this handshake deadline. */
function tlsEcho(handshakeTimeout: string): string[] {
  return [
    "server",
    "--mode",
    "echo",
    "--tls",
    "--port",
    "0",
    "--handshake-timeout",
    handshakeTimeout,
  ];
}

/** A real ClientHello, captured from Deno's TLS client on a plain listener. */
async function clientHello(): Promise<Uint8Array> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const client = Deno.connectTls({ hostname: "localhost", port }).then((conn) => conn, () => null);
  const conn = await listener.accept();
  const buf = new Uint8Array(4096);
  const n = (await conn.read(buf)) ?? 0;
  conn.close();
  (await client)?.close();
  assert.ok(n > 100 && buf[0] === 0x16, "a TLS handshake record");
  return buf.slice(0, n);
}

/** Resolves once the server closes `conn` (end of stream or reset). */
async function closedByServer(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(1024);
  try {
    while ((await conn.read(buf)) !== null) { /* an alert, if any */ }
  } catch {
    // a reset also ends it
  }
}

Deno.test("TLS handshake deadline frees the socket: silent, 1 byte, record header, trickled ClientHello", async () => {
  await using server = spawnCli([...tlsEcho("2s"), "--json"]);
  const listening = await server.event("listening", 20_000);
  const port = Number(listening.port);
  const pid = server.child.pid;
  // Warm up: one full client loads the TLS code and its descriptors.
  const warm = await runCli(["client", "--insecure", "127.0.0.1", String(port)], { input: "x" });
  assert.equal(warm.stdoutText, "x", warm.stderr);
  const baseline = await fdCount(pid);
  const hello = await clientHello();
  const conns: Deno.Conn[] = [];
  const trickles: Promise<void>[] = [];
  let trickling = true;
  try {
    for (let i = 0; i < 60; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(conn);
      const kind = i % 4;
      if (kind === 1) await conn.write(new Uint8Array([0x16]));
      if (kind === 2) await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00]));
      if (kind === 3) {
        // 2 bytes a second for as long as the test runs: never a complete ClientHello.
        trickles.push((async () => {
          for (let at = 0; trickling && at < hello.length; at += 2) {
            await conn.write(hello.subarray(at, at + 2)).catch(() => 0);
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        })());
      }
    }
    const during = await waitFds(pid, (n) => n >= baseline + 50, 5_000);
    assert.ok(during >= baseline + 50, `server fds: ${baseline} before, ${during} during`);
    // A legitimate client is served meanwhile.
    const ok = await runCli(["client", "--insecure", "127.0.0.1", String(port)], {
      input: "served during the attack\n",
    });
    assert.equal(ok.stdoutText, "served during the attack\n", ok.stderr);
    // Every hostile connection is closed by the server after the deadline...
    await within(Promise.all(conns.map(closedByServer)), 10_000, "the server to close them all");
    // ...and its descriptors are back where they were, while the peers still hold theirs.
    const after = await waitFds(pid, (n) => n <= baseline, 5_000);
    assert.ok(after <= baseline, `server fds: ${baseline} before, ${after} after`);
    const timedOut = server.events().filter((e) =>
      e.type === "warning" && /timed out after 2 s \(--handshake-timeout\)/.test(String(e.message))
    );
    assert.equal(timedOut.length, 60, server.stderr);
  } finally {
    trickling = false;
    await Promise.all(trickles);
    for (const conn of conns) conn.close();
  }
});

Deno.test("TLS --mode pipe: five silent peers do not delay the next handshake", async () => {
  await using server = spawnCli([
    "server",
    "--mode",
    "pipe",
    "--tls",
    "--port",
    "0",
    "--handshake-timeout",
    "60s",
  ], { stdin: "piped" });
  const { port } = await server.listening(20_000);
  const silent: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 5; i++) silent.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await server.write("hello from the server\n");
    await server.closeStdin();
    // With handshakes one at a time this would wait for the 60 s deadline of each silent peer.
    const client = await runCli(["client", "--insecure", "127.0.0.1", String(port)], {
      input: utf8("over TLS\n"),
      timeoutMs: 15_000,
    });
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdoutText, "hello from the server\n");
    assert.equal(await server.exit(10_000), 0, server.stderr);
    assert.equal(server.stdoutText, "over TLS\n");
  } finally {
    for (const conn of silent) conn.close();
  }
});

Deno.test("TLS: a process at its descriptor limit keeps serving once silent peers time out", async () => {
  // 300 silent connections against a server limited to 128 descriptors (ulimit -n).
  await using server = spawnCli([], {
    command: [
      "sh",
      "-c",
      'ulimit -n 128 && exec "$@"',
      "sh",
      ...sockchatArgv(tlsEcho("1s")),
    ],
  });
  const { port } = await server.listening(20_000);
  const conns: Deno.Conn[] = [];
  try {
    // The server's accept queue may overflow meanwhile; what matters is what got in.
    for (let i = 0; i < 300; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => null);
      if (conn !== null) conns.push(conn);
    }
    assert.ok(conns.length > 128, `only ${conns.length} connections got through`);
    await within(Promise.all(conns.map(closedByServer)), 20_000, "every silent peer to be closed");
    const ok = await runCli(["client", "--insecure", "127.0.0.1", String(port)], {
      input: "still serving\n",
      timeoutMs: 15_000,
    });
    assert.equal(ok.stdoutText, "still serving\n", ok.stderr + server.stderr);
    const exhausted = server.stderr.match(/accept failed: .*pausing/g) ?? [];
    assert.ok(exhausted.length <= 3, `said once per burst, got:\n${server.stderr}`);
  } finally {
    for (const conn of conns) conn.close();
  }
});
