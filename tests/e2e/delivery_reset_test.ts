/**
 * Resets and early closes tell the truth: a peer that half-closes and then resets, a TLS
 * peer that resets (every TLS mode, client and server), a server that closes while the
 * client uploads, and a slow producer into a receiver that half-closed at once (ncat and
 * sockchat's own pipe server). Real processes, sha256, exit codes and stderr asserted.
 * @module
 */

import assert from "node:assert/strict";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { makePki } from "../_helpers/pki.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { ShellSandbox } from "../_helpers/shell.ts";
import { readStream, SENDER_CUT_LINE, startPipeServer } from "../_helpers/transfer.ts";

/**
 * A Python peer: `role` is `server` (prints its port) or `client` (connects to `port`);
 * with `cert`/`key` it speaks TLS. It first half-closes when `halfClose`, sends `send`
 * bytes, reads `read` bytes, then resets the connection (SO_LINGER 0).
 */
function pythonPeer(options: {
  role: "server" | "client";
  port?: number;
  tls?: { cert: string; key: string } | "client";
  halfClose?: boolean;
  send?: number;
  read?: number;
}) {
  const script = `
import socket, ssl, struct, sys, time
role, port, tls, half, send, read = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1", int(sys.argv[5]), int(sys.argv[6])
if role == "server":
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept()
else:
    c = socket.create_connection(("127.0.0.1", port))
if tls == "client":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    c = ctx.wrap_socket(c)
elif tls != "":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(*tls.split(","))
    c = ctx.wrap_socket(c, server_side=True)
if half and tls == "":
    c.shutdown(socket.SHUT_WR)
if send:
    c.sendall(b"x" * send)
got = 0
while got < read:
    chunk = c.recv(65536)
    if not chunk: break
    got += len(chunk)
time.sleep(0.3)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
print("done", got, flush=True)
`;
  const tls = options.tls === undefined
    ? ""
    : options.tls === "client"
    ? "client"
    : `${options.tls.cert},${options.tls.key}`;
  return spawnPeer([
    requirePeer("python3"),
    "-c",
    script,
    options.role,
    String(options.port ?? 0),
    tls,
    options.halfClose ? "1" : "0",
    String(options.send ?? 0),
    String(options.read ?? 0),
  ]);
}

async function peerPort(peer: ReturnType<typeof pythonPeer>): Promise<string> {
  return (await peer.waitForStdout(/^(\d+)\n/))[1]!;
}

Deno.test("client: a server that half-closes, then resets while the client uploads → exit 1, one line, closed event says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-reset-" });
  try {
    await Deno.writeFile(`${dir}/up.bin`, randomBytes(32 << 20));
    await using server = pythonPeer({ role: "server", halfClose: true, read: 1 << 20 });
    const port = await peerPort(server);
    await using client = spawnCli([
      "client",
      "--json",
      "--send-file",
      `${dir}/up.bin`,
      "127.0.0.1",
      port,
    ]);
    assert.equal(await client.exit(15_000), 1, client.stderr);
    const line = client.stderr.trim();
    assert.match(
      line,
      /^sockchat: Connection to "127\.0\.0\.1:\d+": connection (?:reset|closed) by peer after [\d,]+ bytes sent \(--send not finished\)$/,
    );
    const closed = client.events().find((e) => e.type === "closed")!;
    assert.equal(closed.reason, "reset");
    assert.equal(closed.stdinFinished, false);
    assert.ok((closed.bytesSent as number) >= 1 << 20 && (closed.bytesSent as number) < 32 << 20);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server --mode pipe: a receiver that half-closes, then resets → the sending server exits 1 with one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-reset-" });
  try {
    await Deno.writeFile(`${dir}/down.bin`, randomBytes(32 << 20));
    const { server, clientArgs } = await startPipeServer("tcp", dir, `${dir}/down.bin`);
    await using _server = server;
    await using peer = pythonPeer({
      role: "client",
      port: Number(clientArgs.at(-1)),
      halfClose: true,
      read: 1 << 20,
    });
    assert.equal(await server.exit(), 1, server.stderr);
    assert.match(server.problems, SENDER_CUT_LINE);
    await peer.exit();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("client: a TLS server that resets after 100,000 bytes → exit 1 in every TLS mode, every byte kept", async () => {
  await using pki = await makePki();
  const fingerprint = await certFingerprint(pki.serverCert);
  const modes = [["--ca", pki.caCert], ["--fingerprint", fingerprint], ["--insecure"]];
  for (const mode of modes) {
    await using server = pythonPeer({
      role: "server",
      tls: { cert: pki.serverCert, key: pki.serverKey },
      send: 100_000,
    });
    const port = await peerPort(server);
    await using client = spawnCli(["client", ...mode, "127.0.0.1", port], { stdin: "piped" });
    assert.equal(await client.exit(10_000), 1, `${mode[0]}: ${client.stderr}`);
    assert.equal(client.stdout.length, 100_000, mode[0]);
    const lines = client.stderr.split("\n").filter((l) => l !== "" && !l.includes("--insecure:"));
    assert.deepEqual(lines, [
      `sockchat: Connection to "127.0.0.1:${port}": connection reset by peer after 100,000 bytes received (0 sent, stdin not finished)`,
    ], mode[0]);
  }
});

Deno.test("server --mode pipe --tls: a TLS client that resets after 100,000 bytes → exit 1, every byte kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-reset-" });
  try {
    const { server, clientArgs } = await startPipeServer("tls", dir, "/dev/null");
    await using _server = server;
    const port = clientArgs.at(-1)!;
    await using peer = pythonPeer({
      role: "client",
      port: Number(port),
      tls: "client",
      send: 100_000,
    });
    const received = await readStream(server.child.stdout);
    assert.equal(await server.exit(), 1, server.stderr);
    assert.equal(received.length, 100_000);
    assert.match(
      server.problems,
      /^sockchat: Connection to "127\.0\.0\.1:\d+": connection reset by peer after 100,000 bytes received \(0 sent, stdin finished\)$/,
    );
    await peer.exit();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a slow producer into a receiver that half-closed at once delivers everything (ncat -l, server --mode pipe)", async () => {
  const ncat = requirePeer("ncat");
  await using sandbox = new ShellSandbox();
  const producer = "(printf a; sleep 0.4; printf b; sleep 0.4; printf c)";
  // ncat -l < /dev/null: it half-closes at once and prints what it receives.
  await using listener = spawnPeer([ncat, "-v", "-l", "-U", `${sandbox.dir}/ncat.sock`]);
  await listener.waitForStderr(/Listening on/);
  const viaNcat = await sandbox.run(
    `${producer} | sockchat client --unix ${sandbox.dir}/ncat.sock`,
  );
  assert.equal(viaNcat.code, 0, viaNcat.stderr);
  assert.equal(viaNcat.stderr, "");
  assert.equal(await listener.exit(5000), 0, listener.stderr);
  assert.equal(listener.stdoutText, "abc");
  // sockchat's own pipe server, with stdin at its end from the start.
  const { server, clientArgs } = await startPipeServer("tcp", sandbox.dir, "/dev/null");
  await using _server = server;
  const [received, viaPipe] = await Promise.all([
    readStream(server.child.stdout),
    sandbox.run(`${producer} | sockchat client ${clientArgs.join(" ")}`),
  ]);
  assert.equal(viaPipe.code, 0, viaPipe.stderr);
  assert.equal(viaPipe.stderr, "");
  assert.equal(new TextDecoder().decode(received), "abc");
  assert.equal(await server.exit(), 0, server.stderr);
  assert.equal(sha256(received), sha256(new TextEncoder().encode("abc")));
});

async function certFingerprint(certPath: string): Promise<string> {
  const out = await new Deno.Command(requirePeer("openssl"), {
    args: ["x509", "-in", certPath, "-noout", "-fingerprint", "-sha256"],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim().split("=")[1]!;
}
