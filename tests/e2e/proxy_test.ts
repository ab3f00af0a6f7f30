import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { runInProcess, type RunResult, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";
import { makePki, opensslServer } from "../_helpers/pki.ts";

/** Waits until something accepts on `port` (bounded). */
async function portUp(port: number): Promise<void> {
  const until = performance.now() + 10_000;
  while (performance.now() < until) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing listens on ${port} after 10 s`);
}

/**
 * A target that reads until a newline, then answers "got N bytes\n" and closes. (microsocks
 * and tinyproxy do not pass a half-close on: they end the whole tunnel at the client's FIN,
 * so the test keeps stdin open until the reply is in; see `through`.)
 */
function countingTarget(): { listener: Deno.TcpListener; served: Promise<number[]> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const counts: number[] = [];
    for await (const conn of listener) {
      let n = 0;
      const buf = new Uint8Array(65536);
      while (true) {
        const read = await conn.read(buf);
        if (read === null) break;
        n += read;
        if (buf[read - 1] === 10) break;
      }
      await conn.write(new TextEncoder().encode(`got ${n} bytes\n`));
      conn.close();
      counts.push(n);
    }
    return counts;
  })();
  return { listener, served };
}

/** Runs the client with `input` on stdin, closing stdin only once the reply is in. */
async function through(
  args: string[],
  input: string,
  replied = (stdout: string) => stdout.endsWith("\n"),
): Promise<RunResult> {
  await using client = spawnCli(["client", ...args], { stdin: "piped" });
  await client.write(input);
  // stdin stays open until the reply: a proxy without half-close (microsocks) ends the
  // whole tunnel at the client's FIN.
  await client.waitFor(() => replied(client.stdoutText) || client.stderr !== "", "a reply")
    .catch(() => {});
  await client.closeStdin();
  const code = await client.exit(10_000);
  return { code, stdout: client.stdout, stdoutText: client.stdoutText, stderr: client.stderr };
}

async function withMicrosocks(
  extra: string[],
  body: (port: number) => Promise<void>,
): Promise<void> {
  requirePeer("microsocks");
  const port = freePort();
  await using _proxy = spawnPeer(["microsocks", "-i", "127.0.0.1", "-p", String(port), ...extra]);
  await portUp(port);
  await body(port);
}

/** A real tinyproxy on a free loopback port allowing CONNECT to `connectPort` only. */
async function withTinyproxy(
  connectPort: number | string,
  body: (port: number, log: () => Promise<string>) => Promise<void>,
): Promise<void> {
  requirePeer("tinyproxy");
  const dir = await Deno.makeTempDir();
  try {
    const port = freePort();
    await Deno.writeTextFile(
      `${dir}/tinyproxy.conf`,
      [
        `Port ${port}`,
        "Listen 127.0.0.1",
        "Allow 127.0.0.1",
        `ConnectPort ${connectPort}`,
        `LogFile "${dir}/tinyproxy.log"`,
        "MaxClients 10",
      ].join("\n") + "\n",
    );
    await using _proxy = spawnPeer(["tinyproxy", "-d", "-c", `${dir}/tinyproxy.conf`]);
    await portUp(port);
    await body(port, () => Deno.readTextFile(`${dir}/tinyproxy.log`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("client --proxy socks5:// relays through microsocks, the proxy resolving the name", async () => {
  const { listener, served } = countingTarget();
  await withMicrosocks([], async (proxy) => {
    const input = "x".repeat(99_999) + "\n";
    const result = await through([
      "--proxy",
      `socks5://127.0.0.1:${proxy}`,
      "localhost",
      String(listener.addr.port),
    ], input);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, "got 100000 bytes\n");
  });
  listener.close();
  assert.deepEqual(await within(served, 5_000, "the target"), [100_000]);
});

Deno.test("client --proxy socks5://user:pass@ authenticates; a wrong or missing password is one line, exit 1", async () => {
  const { listener, served } = countingTarget();
  await withMicrosocks(["-u", "alice", "-P", "s3cret"], async (proxy) => {
    const target = ["127.0.0.1", String(listener.addr.port)];
    const ok = await through([
      "--proxy",
      `socks5://alice:s3cret@127.0.0.1:${proxy}`,
      ...target,
    ], "hello\n");
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdoutText, "got 6 bytes\n");
    const wrong = await through([
      "--proxy",
      `socks5://alice:nope@127.0.0.1:${proxy}`,
      ...target,
    ], "hello\n");
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.stderr,
      `sockchat: Proxy "127.0.0.1:${proxy}" refused: authentication failed (wrong user name or password)\n`,
    );
    const none = await through(["--proxy", `socks5://127.0.0.1:${proxy}`, ...target], "hello\n");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /refused: it requires authentication/);
  });
  listener.close();
  assert.deepEqual(await within(served, 5_000, "the target"), [6]);
});

Deno.test("client --proxy socks5:// names the SOCKS5 reply when the proxy cannot connect", async () => {
  const closed = freePort();
  await withMicrosocks([], async (proxy) => {
    const result = await through([
      "--proxy",
      `socks5://127.0.0.1:${proxy}`,
      "127.0.0.1",
      String(closed),
    ], "");
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `sockchat: Proxy "127.0.0.1:${proxy}" could not connect to "127.0.0.1:${closed}": connection refused (SOCKS5 reply 5)\n`,
    );
  });
});

Deno.test("client --proxy http:// tunnels with CONNECT through tinyproxy; a refused CONNECT names the status", async () => {
  const { listener, served } = countingTarget();
  try {
    await withTinyproxy(listener.addr.port, async (port) => {
      const ok = await through([
        "--proxy",
        `http://127.0.0.1:${port}`,
        "127.0.0.1",
        String(listener.addr.port),
      ], "through tinyproxy\n");
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdoutText, "got 18 bytes\n");
      const other = freePort();
      const refused = await through([
        "--proxy",
        `http://127.0.0.1:${port}`,
        "127.0.0.1",
        String(other),
      ], "");
      assert.equal(refused.code, 1);
      assert.equal(
        refused.stderr,
        `sockchat: Proxy "127.0.0.1:${port}" refused CONNECT to "127.0.0.1:${other}": HTTP 403 Access violation\n`,
      );
    });
  } finally {
    listener.close();
  }
  assert.deepEqual(await within(served, 5_000, "the target"), [18]);
});

Deno.test("client --proxy socks5:// --tls: TLS end to end through microsocks, pinned; a wrong pin is one line", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--tls", "--port", "0"]);
  const [, port, fingerprint] = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
  );
  await withMicrosocks([], async (proxy) => {
    const via = ["--proxy", `socks5://127.0.0.1:${proxy}`, "--tls"];
    // "localhost": the proxy resolves it; TLS checks the pin on the far side of the tunnel.
    const ok = await through(
      [...via, "--fingerprint", fingerprint!, "--json", "localhost", port!],
      "secret through the tunnel\n",
      (stdout) => /"type":"data"/.test(stdout), // not just the "connected" line
    );
    assert.equal(ok.code, 0, ok.stderr);
    const events = ok.stdoutText.trim().split("\n").map((line) => JSON.parse(line));
    const connected = events.find((e) => e.type === "connected");
    assert.deepEqual(
      [connected.peer, connected.tls, connected.fingerprint],
      [`localhost:${port}`, true, fingerprint],
    );
    assert.deepEqual(
      events.filter((e) => e.type === "data").map((e) => e.text).join(""),
      "secret through the tunnel\n",
    );
    const wrongPin = fingerprint!.replace(/^../, fingerprint!.startsWith("00") ? "11" : "00");
    const wrong = await through([...via, "--fingerprint", wrongPin, "localhost", port!], "x\n");
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      new RegExp(`^sockchat: Cannot connect to "localhost:${port}": .*fingerprint mismatch`),
    );
  });
});

Deno.test("client --proxy http:// --tls --ca: a verified TLS session with openssl s_server through tinyproxy", async () => {
  await using pki = await makePki();
  const { server, port: tlsPort } = await opensslServer(pki);
  await using _server = server;
  await withTinyproxy(tlsPort, async (port, log) => {
    await using client = spawnCli([
      "client",
      "--proxy",
      `http://127.0.0.1:${port}`,
      "--tls",
      "--ca",
      pki.caCert,
      "localhost",
      tlsPort,
    ], { stdin: "piped" });
    await client.write("hello s_server\n");
    await server.waitForStdout(/hello s_server/);
    await server.write("reply from s_server\n");
    await client.waitForStdout(/reply from s_server\n/);
    await client.closeStdin();
    assert.equal(await client.exit(10_000), 0, client.stderr);
    assert.equal(client.stdoutText, "reply from s_server\n");
    // It went through the proxy, which opened the tunnel by name.
    assert.match(
      await log(),
      new RegExp(`Request \\(file descriptor \\d+\\): CONNECT localhost:${tlsPort} HTTP/1\\.1`),
    );
  });
});

Deno.test("client --proxy values and combinations are checked before connecting", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--proxy", "ftp://h:1"],
      /^sockchat: Invalid --proxy "ftp:\/\/h:1": unsupported scheme "ftp"/,
    ],
    [["--proxy", "socks5://h"], /^sockchat: Invalid --proxy "socks5:\/\/h": give the proxy's port/],
    [["--proxy", "nonsense"], /^sockchat: Invalid --proxy "nonsense": expected socks5:/],
    [["--proxy", "http://u:p@h:1"], /credentials are supported for socks5 only/],
    [
      ["--proxy", "socks5://h:1", "-4"],
      /^sockchat: Options --proxy and -4 cannot be used together/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(["client", "127.0.0.1:1", ...args]);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, message, JSON.stringify(result.stderr));
  }
  const unix = await runInProcess(["client", "unix:/tmp/x.sock", "--proxy", "socks5://h:1"]);
  assert.equal(unix.code, 2);
  assert.match(unix.stderr, /Option --proxy needs a TCP target/);
});
