import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { runCli, spawnCli } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { readToEnd, writeAllTo } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";

async function exchange(
  port: number,
  data: Uint8Array,
  hostname = "127.0.0.1",
): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname, port });
  try {
    const reading = readToEnd(conn);
    await writeAllTo(conn, data);
    await conn.closeWrite();
    return await reading;
  } finally {
    conn.close();
  }
}

Deno.test("server announces readiness only once bound, with the real port", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0", "--json"]);
  const event = await server.event("listening");
  assert.equal(event.transport, "tcp");
  assert.equal(event.host, "127.0.0.1");
  assert.ok(typeof event.port === "number" && event.port > 0);
  assert.equal(typeof event.ts, "string");
  const echoed = await exchange(event.port as number, utf8("ping"));
  assert.equal(new TextDecoder().decode(echoed), "ping");
});

Deno.test("server --mode echo serves many clients at once, byte-exactly", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0"]);
  const { port } = await server.listening();
  const payloads = Array.from({ length: 8 }, (_, i) => randomBytes(256 * 1024 + i));
  const echoed = await within(Promise.all(payloads.map((p) => exchange(port, p))), 20_000, "echo");
  echoed.forEach((bytes, i) => assert.equal(sha256(bytes), sha256(payloads[i]!)));
  server.kill("SIGTERM");
  assert.equal(await server.exit(10_000), 0);
});

Deno.test("server --mode echo survives a client that resets and keeps serving; closed says reset, then eof", async () => {
  const python = requirePeer("python3");
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0", "--json"]);
  const port = (await server.event("listening")).port as number;
  const reset = await within(
    new Deno.Command(python, {
      args: [
        "-c",
        // recv(1): the echo has begun, so the server accepted the connection (one reset
        // before accept is dropped unseen, as ncat does); then RST with data unread.
        `import socket,struct; s=socket.create_connection(("127.0.0.1",${port})); s.sendall(b"x"*100000); s.recv(1); s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii",1,0)); s.close()`,
      ],
    }).output(),
    15_000,
    "python reset",
  );
  assert.equal(reset.code, 0);
  const first = await server.event("closed");
  assert.equal(first.reason, "reset");
  assert.equal(typeof first.error, "string");
  assert.ok((first.bytesReceived as number) >= (first.bytesSent as number));
  assert.equal(new TextDecoder().decode(await exchange(port, utf8("still here"))), "still here");
  const second = await server.waitFor(
    () => server.events().filter((event) => event.type === "closed")[1],
    "the second closed event",
  );
  assert.deepEqual(
    [second.reason, second.bytesSent, second.bytesReceived, second.error],
    ["eof", 10, 10, undefined],
  );
});

Deno.test("SIGTERM stops a server with connected clients: exit 0 within 2 s", async () => {
  for (const mode of ["echo", "pipe"]) {
    await using server = spawnCli(["server", "--mode", mode, "--port", "0"], { stdin: "piped" });
    const { port } = await server.listening();
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await writeAllTo(conn, utf8("hello"));
      if (mode === "pipe") await server.waitForStdout(/hello/);
      else await conn.read(new Uint8Array(16));
      server.kill("SIGTERM");
      assert.equal(await server.exit(5000), 0, `${mode}: ${server.stderr}`);
      // The server closed our connection: reading reaches its end.
      await within(readToEnd(conn), 5000, "the server to close our connection");
    } finally {
      conn.close();
    }
  }
});

Deno.test("server --mode pipe exits 0 once both directions are done", async () => {
  await using server = spawnCli(["server", "--mode", "pipe", "--port", "0"], { stdin: "piped" });
  const { port } = await server.listening();
  await server.write("from server\n");
  await server.closeStdin();
  const got = await exchange(port, utf8("from client\n"));
  assert.equal(new TextDecoder().decode(got), "from server\n");
  assert.equal(await server.exit(3000), 0);
  assert.equal(server.stdoutText, "from client\n");
});

Deno.test("server --mode pipe --keep-open serves clients one after another, sharing stdin", async () => {
  await using server = spawnCli(["server", "-v", "--mode", "pipe", "--keep-open", "--port", "0"], {
    stdin: "piped",
  });
  const { port } = await server.listening();
  const first = await exchange(port, utf8("one\n"));
  assert.equal(first.length, 0);
  await server.write("for the second\n");
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const buf = new Uint8Array(64);
    const n = await within(conn.read(buf), 5000, `second client data; stderr: ${server.stderr}`);
    assert.equal(new TextDecoder().decode(buf.subarray(0, n ?? 0)), "for the second\n");
    await writeAllTo(conn, utf8("two\n"));
    await conn.closeWrite();
    await server.waitForStdout(/two\n/);
  } finally {
    conn.close();
  }
  assert.equal(server.stdoutText, "one\ntwo\n");
  server.kill("SIGINT");
  assert.equal(await server.exit(2500), 0);
});

Deno.test("nc (OpenBSD) sends a file to server --mode pipe", async () => {
  const nc = requirePeer("nc", "netcat-openbsd");
  const data = randomBytes(4 << 20);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/in.bin`, data);
    await using server = spawnCli(["server", "--mode", "pipe", "--port", "0"]);
    const { port } = await server.listening();
    const sent = await within(
      new Deno.Command("bash", { args: ["-c", `'${nc}' -N 127.0.0.1 ${port} < '${dir}/in.bin'`] })
        .output(),
      10_000,
      "nc",
    );
    assert.equal(sent.code, 0);
    assert.equal(await server.exit(5000), 0, server.stderr);
    assert.equal(sha256(server.stdout), sha256(data));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Unix sockets: server --unix and client --unix, socket file removed at exit", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/s.sock`;
  try {
    await using server = spawnCli(["server", "--mode", "echo", "--unix", path]);
    await server.waitForStderr(/listening on unix:/);
    const result = await runCli(["client", "--unix", path], { input: "over unix" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, "over unix");
    server.kill("SIGTERM");
    assert.equal(await server.exit(2500), 0);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server on ::1 works and binding all interfaces warns on stderr", async () => {
  await using v6 = spawnCli(["server", "--mode", "echo", "--host", "::1", "--port", "0"]);
  const { host, port } = await v6.listening();
  assert.equal(host, "::1");
  assert.equal(new TextDecoder().decode(await exchange(port, utf8("six"), "::1")), "six");
  await using wild = spawnCli(["server", "--mode", "echo", "--host", "0.0.0.0", "--port", "0"]);
  await wild.listening();
  assert.match(wild.stderr, /^sockchat: warning: listening on all interfaces \(0\.0\.0\.0\)/);
});

Deno.test("server reports an address in use in one line with exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const result = await runCli(["server", "--mode", "echo", "--port", String(port)]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `sockchat: Cannot listen on "127.0.0.1:${port}": address already in use\n`,
    );
  } finally {
    listener.close();
  }
});
