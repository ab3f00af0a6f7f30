import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { runCli, sockchatArgv, spawnCli } from "../_helpers/cli.ts";
import { requirePeer, stopChild } from "../_helpers/peers.ts";
import { readToEnd, startServer, writeAllTo } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";

Deno.test("client half-closes at end of stdin and prints a reply sent after EOF", async () => {
  const request = randomBytes(3 << 20);
  await using server = startServer(async (conn) => {
    const got = await readToEnd(conn);
    await writeAllTo(conn, utf8(`got ${got.length} bytes, sha256 ${sha256(got)}\n`));
    conn.close();
  });
  const result = await runCli(["client", "127.0.0.1", String(server.port)], { input: request });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdoutText, `got ${request.length} bytes, sha256 ${sha256(request)}\n`);
  assert.equal(result.stderr, "");
});

Deno.test("client --recv-only exits promptly when the server says bye and closes, stdin still open", async () => {
  await using server = startServer(async (conn) => {
    await writeAllTo(conn, utf8("bye\n"));
    conn.close();
  });
  await using client = spawnCli(["client", "--recv-only", "--port", String(server.port)], {
    stdin: "piped",
  });
  await client.waitForStdout(/bye\n/);
  const closed = performance.now(); // the server closed right after "bye"
  assert.equal(await client.exit(3000), 0, client.stderr);
  assert.ok(performance.now() - closed < 1000, "exit within 1 s of the close");
  assert.equal(client.stdoutText, "bye\n");
  assert.equal(client.stderr, "");
});

Deno.test("client keeps sending stdin after the server's FIN until stdin ends (as nc -N, ncat)", async () => {
  await using server = startServer(async (conn) => {
    await writeAllTo(conn, utf8("ready\n"));
    await conn.closeWrite();
    const got = await readToEnd(conn);
    conn.close();
    return new TextDecoder().decode(got);
  });
  await using client = spawnCli(["client", "--port", String(server.port)], { stdin: "piped" });
  await client.waitForStdout(/ready\n/);
  // The server has half-closed; what stdin brings later must still arrive.
  for (const part of ["a", "b", "c"]) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.write(part);
  }
  await client.closeStdin();
  assert.equal(await client.exit(5000), 0, client.stderr);
  assert.equal(await server.handled[0], "abc");
  assert.equal(client.stderr, "");
});

Deno.test("client keeps received bytes and exits 1 when the peer resets", async () => {
  const python = requirePeer("python3");
  // A server that sends some bytes, then resets the connection (SO_LINGER 0).
  const script = `
import socket, struct, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.sendall(b"partial data\\n")
time.sleep(0.3)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
`;
  const peer = new Deno.Command(python, {
    args: ["-c", script],
    stdout: "piped",
    stderr: "inherit",
  })
    .spawn();
  try {
    const reader = peer.stdout.getReader();
    const { value } = await within(reader.read(), 15_000, "python port");
    reader.releaseLock();
    const port = new TextDecoder().decode(value).trim();
    await using client = spawnCli(["client", "127.0.0.1", port], { stdin: "piped" });
    assert.equal(await client.exit(5000), 1);
    assert.equal(client.stdoutText, "partial data\n");
    assert.equal(
      client.stderr,
      `sockchat: Connection to "127.0.0.1:${port}": connection reset by peer after 13 bytes received (0 sent, stdin not finished)\n`,
    );
  } finally {
    await stopChild(peer);
    await peer.stdout.cancel().catch(() => {});
  }
});

Deno.test("client reports a refused connection in one line with exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const result = await runCli(["client", "127.0.0.1", String(port)]);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `sockchat: Cannot connect to "127.0.0.1:${port}": connection refused\n`,
  );
  assert.equal(result.stdout.length, 0);
});

Deno.test("client reports an unresolvable host with its own message", async () => {
  const result = await runCli(["client", "no-such-host.invalid", "80"]);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    'sockchat: Cannot connect to "no-such-host.invalid:80": host not found (DNS lookup failed)\n',
  );
});

Deno.test("client exits quietly with 0 when stdout goes away (| head -1)", async () => {
  await using server = startServer(async (conn) => {
    const line = utf8("a line of output that repeats\n".repeat(2000));
    try {
      while (true) await writeAllTo(conn, line);
    } catch {
      // the client went away: expected
    } finally {
      conn.close();
    }
  });
  const [program, ...args] = sockchatArgv(["client", "127.0.0.1", String(server.port)]);
  const quoted = [program!, ...args].map((a) => `'${a}'`).join(" ");
  const output = await within(
    new Deno.Command("bash", {
      args: [
        "-c",
        `${quoted} < /dev/null 2>/tmp/sockchat-head-$$.err | head -1; echo "status=\${PIPESTATUS[0]}"; cat /tmp/sockchat-head-$$.err; rm -f /tmp/sockchat-head-$$.err`,
      ],
      env: { NO_COLOR: "1" },
    }).output(),
    15_000,
    "client | head -1",
  );
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(text, "a line of output that repeats\nstatus=0\n");
});

Deno.test("client --timeout ends a run that is still going with exit 124", async () => {
  await using server = startServer(async (conn) => {
    await readToEnd(conn).catch(() => {});
    conn.close();
  });
  await using client = spawnCli(
    ["client", "--timeout", "300ms", "127.0.0.1", String(server.port)],
    {
      stdin: "piped",
    },
  );
  assert.equal(await client.exit(5000), 124, client.stderr);
  assert.equal(client.stderr, "sockchat: Timed out after 300 ms (--timeout)\n");
});

Deno.test("client --idle-timeout ends a silent connection with exit 124", async () => {
  await using server = startServer(async (conn) => {
    await writeAllTo(conn, utf8("hello\n"));
    await readToEnd(conn).catch(() => {});
    conn.close();
  });
  await using client = spawnCli(["client", "-i", "400ms", "127.0.0.1", String(server.port)], {
    stdin: "piped",
  });
  assert.equal(await client.exit(5000), 124);
  assert.equal(client.stdoutText, "hello\n");
  assert.match(
    client.stderr,
    /^sockchat: No traffic with "127\.0\.0\.1:\d+" for 400 ms \(--idle-timeout\)\n$/,
  );
});

Deno.test("client talks IPv6 (::1) with --host and bracketed positional host", async () => {
  await using server = startServer(async (conn) => {
    const got = await readToEnd(conn);
    await writeAllTo(conn, got.reverse());
    conn.close();
  }, "::1");
  for (
    const args of [["--host", "::1", "--port", String(server.port)], ["[::1]", String(server.port)]]
  ) {
    const result = await runCli(["client", ...args], { input: "abc" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, "cba");
  }
});

Deno.test("client is binary-safe: every byte value passes unchanged both ways", async () => {
  const all = new Uint8Array(256 * 64).map((_, i) => i % 256);
  await using server = startServer(async (conn) => {
    const got = await readToEnd(conn);
    await writeAllTo(conn, got);
    conn.close();
  });
  const result = await runCli(["client", "127.0.0.1", String(server.port)], { input: all });
  assert.equal(result.code, 0);
  assert.equal(sha256(result.stdout), sha256(all));
});

Deno.test("client → socat server, and socat client → sockchat pipe server", async () => {
  const socat = requirePeer("socat");
  const data = randomBytes(2 << 20);
  const dir = await Deno.makeTempDir();
  try {
    // socat as the server: prints its port with -d -d, writes what it gets to a file.
    const out = `${dir}/socat.out`;
    const peer = new Deno.Command(socat, {
      args: ["-d", "-d", "-u", "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr", `CREATE:${out}`],
      stderr: "piped",
    }).spawn();
    const reader = peer.stderr.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let log = "";
      let port = "";
      while (!port) {
        const { value, done } = await within(reader.read(), 5000, "socat listening");
        if (done) throw new Error(`socat exited: ${log}`);
        log += value;
        port = /listening on .*:(\d+)/.exec(log)?.[1] ?? "";
      }
      const result = await runCli(["client", "127.0.0.1", port], { input: data });
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await within(peer.status, 5000, "socat exit")).code, 0);
      assert.equal(sha256(await Deno.readFile(out)), sha256(data));
    } finally {
      await stopChild(peer);
      await reader.cancel().catch(() => {});
    }
    // socat as the client of sockchat's pipe server.
    await using server = spawnCli(["server", "--mode", "pipe", "--port", "0"]);
    const { port } = await server.listening();
    await Deno.writeFile(`${dir}/in.bin`, data);
    const sent = await within(
      new Deno.Command(socat, { args: ["-u", `OPEN:${dir}/in.bin`, `TCP:127.0.0.1:${port}`] })
        .output(),
      10_000,
      "socat client",
    );
    assert.equal(sent.code, 0);
    assert.equal(await server.exit(5000), 0, server.stderr);
    assert.equal(sha256(server.stdout), sha256(data));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Ctrl-C (SIGINT) ends the client with exit 130", async () => {
  await using server = startServer(async (conn) => {
    await readToEnd(conn).catch(() => {});
    conn.close();
  });
  await using client = spawnCli(["client", "--json", "127.0.0.1", String(server.port)], {
    stdin: "piped",
  });
  await client.event("connected");
  client.kill("SIGINT");
  assert.equal(await client.exit(3000), 130);
  assert.equal(client.stderr, "sockchat: Interrupted\n");
  const types = client.events().map((e) => e.type);
  assert.deepEqual(types, ["connected", "closed", "error"]);
});
