import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { runCli, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { within } from "../_helpers/wait.ts";

async function tlsEcho(extra: string[] = []) {
  const server = spawnCli(["server", "--mode", "echo", "--tls", "--port", "0", "--json", ...extra]);
  const listening = await server.event("listening", 20_000);
  return { server, port: String(listening.port), fingerprint: String(listening.fingerprint) };
}

Deno.test("server --tls announces its self-signed certificate's fingerprint, text and JSON", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--tls", "--port", "0"]);
  const match = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)/,
    20_000,
  );
  const result = await runCli(["client", "--fingerprint", match[2]!, "127.0.0.1", match[1]!], {
    input: "pinned from the text line\n",
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdoutText, "pinned from the text line\n");
  assert.equal(result.stderr, "");
});

Deno.test("client --fingerprint from the listening event talks to a self-signed server byte-exactly", async () => {
  const { server, port, fingerprint } = await tlsEcho();
  await using _server = server;
  assert.match(fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const data = randomBytes(2 << 20);
  const lower = `sha256:${fingerprint.replaceAll(":", "").toLowerCase()}`;
  const result = await runCli(["client", "--fingerprint", lower, "--json", "127.0.0.1", port], {
    input: new TextEncoder().encode("x"),
  });
  assert.equal(result.code, 0, result.stderr);
  const connected = result.stdoutText.split("\n").filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((event) => event.type === "connected");
  assert.ok(connected, result.stdoutText);
  assert.equal(connected.tls, true);
  assert.equal(connected.fingerprint, fingerprint);
  const bulk = await runCli(["client", "--fingerprint", fingerprint, "127.0.0.1", port], {
    input: data,
    timeoutMs: 30_000,
  });
  assert.equal(bulk.code, 0, bulk.stderr);
  assert.equal(sha256(bulk.stdout), sha256(data));
});

Deno.test("client --fingerprint with the wrong pin exits 1 naming the mismatch and sends nothing", async () => {
  await using server = spawnCli(["server", "--mode", "pipe", "--tls", "--port", "0", "--json"]);
  const listening = await server.event("listening", 20_000);
  const real = String(listening.fingerprint);
  const wrong = (real.startsWith("00") ? "11" : "00") + real.slice(2);
  const result = await runCli([
    "client",
    "--fingerprint",
    wrong,
    "127.0.0.1",
    String(listening.port),
  ], {
    input: "top secret\n",
  });
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `sockchat: Cannot connect to "127.0.0.1:${listening.port}": certificate verification failed: fingerprint mismatch: the server's certificate is ${real}, expected ${wrong}\n`,
  );
  assert.equal(result.stdoutText, "");
  // The pipe server served that one client: it must have received nothing at all. The
  // client's abort reaches it as a failed handshake (exit 0) or, when its side of the
  // handshake had already finished, as a reset with nothing delivered (exit 1, one line).
  const code = await server.exit(10_000);
  if (code !== 0) {
    assert.equal(code, 1, server.stderr);
    assert.match(server.stderr, /connection reset by peer after 0 bytes sent/);
  }
  assert.doesNotMatch(server.stdoutText, /top secret|"type":"data"/);
});

Deno.test("client --tls refuses a self-signed certificate by default (unknown issuer, exit 1)", async () => {
  const { server, port } = await tlsEcho();
  await using _server = server;
  const result = await runCli(["client", "--tls", "127.0.0.1", port], { input: "hello\n" });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^sockchat: Cannot connect to "127\.0\.0\.1:\d+": certificate verification failed: unknown issuer: .*--fingerprint.*\n$/,
  );
  assert.equal(result.stdoutText, "");
});

Deno.test("client --insecure connects without verification and warns every time", async () => {
  const { server, port } = await tlsEcho();
  await using _server = server;
  for (let i = 0; i < 2; i++) {
    const result = await runCli(["client", "--insecure", "127.0.0.1", port], { input: "hi\n" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdoutText, "hi\n");
    assert.match(
      result.stderr,
      /^sockchat: warning: --insecure: the server's certificate is NOT verified/,
    );
  }
  const json = await runCli(["client", "--insecure", "--json", "127.0.0.1", port], {
    input: "hi\n",
  });
  assert.equal(json.code, 0, json.stderr);
  assert.match(json.stdoutText, /"type":"warning".*--insecure/);
});

Deno.test("plaintext, garbage and stalled clients end only their own connection", async () => {
  const { server, port, fingerprint } = await tlsEcho(["--handshake-timeout", "1s"]);
  await using _server = server;
  const stalled = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  const stalledAt = performance.now();
  try {
    for (const bytes of [utf8("GET / HTTP/1.0\r\n\r\n"), garbage()]) {
      using raw = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
      await raw.write(bytes).catch(() => 0);
      await within(drain(raw), 5_000, "the server to close a non-TLS connection");
    }
    const ok = await runCli(["client", "--fingerprint", fingerprint, "127.0.0.1", port], {
      input: "still serving\n",
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdoutText, "still serving\n");
    await server.waitForStderr(
      /127\.0\.0\.1:\d+: TLS handshake failed: timed out after 1 s \(--handshake-timeout\)/,
    );
    assert.ok(performance.now() - stalledAt >= 900, "dropped before the handshake timeout");
    // The deadline closed the silent peer's socket: it sees the end without sending a byte.
    await within(drain(stalled), 5_000, "the dropped client's connection to close");
  } finally {
    stalled.close();
  }
  assert.match(server.stderr, /TLS handshake failed: the peer does not speak TLS/);
  const after = await runCli(["client", "--fingerprint", fingerprint, "127.0.0.1", port], {
    input: "after\n",
  });
  assert.equal(after.stdoutText, "after\n", after.stderr);
});

/** Random bytes that cannot start a TLS record (0x14–0x18). */
function garbage(): Uint8Array {
  const bytes = randomBytes(4096);
  bytes[0] = 0xff;
  return bytes;
}

async function drain(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(4096);
  try {
    while ((await conn.read(buf)) !== null) {
      // the server's alert, if any
    }
  } catch {
    // a reset also ends it
  }
}

Deno.test("openssl s_client sees the ephemeral certificate: same fingerprint, SANs for localhost", async () => {
  const openssl = requirePeer("openssl");
  const { server, port, fingerprint } = await tlsEcho();
  await using _server = server;
  await using client = spawnPeer(
    [
      openssl,
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      "localhost",
      "-showcerts",
    ],
    { stdin: "piped" },
  );
  const pem = await client.waitForStdout(
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
    10_000,
  );
  await client.write("via s_client\n");
  await client.waitForStdout(/via s_client/);
  await client.closeStdin();
  const der = Uint8Array.from(
    atob(pem[0].replace(/-----[A-Z ]+-----|\s/g, "")),
    (c) => c.charCodeAt(0),
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  assert.equal(
    Array.from(digest, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":"),
    fingerprint,
  );
  const { X509Certificate } = await import("node:crypto");
  const cert = new X509Certificate(pem[0]);
  assert.equal(
    cert.subjectAltName,
    "IP Address:127.0.0.1, DNS:localhost, IP Address:::1",
  );
});

Deno.test("pinned client ↔ server --tls --mode pipe: 8 MiB each way, half-close keeps the reply", async () => {
  const up = randomBytes(8 << 20);
  const down = randomBytes(8 << 20);
  await using server = spawnCli(["server", "--mode", "pipe", "--tls", "--port", "0"], {
    stdin: "piped",
  });
  const [, port, fingerprint] = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
    20_000,
  );
  await using client = spawnCli(["client", "--fingerprint", fingerprint!, "127.0.0.1", port!], {
    stdin: "piped",
  });
  // The client ends its stdin first: its half-close must not cut the server's reply.
  await client.write(up);
  await client.closeStdin();
  await server.write(down);
  await server.closeStdin();
  assert.equal(await client.exit(30_000), 0, client.stderr);
  assert.equal(await server.exit(30_000), 0, server.stderr);
  assert.equal(sha256(server.stdout), sha256(up));
  assert.equal(sha256(client.stdout), sha256(down));
});

Deno.test("pinned client keeps sending after the server half-closed first (no truncation)", async () => {
  const up = randomBytes(8 << 20);
  await using server = spawnCli(["server", "--mode", "pipe", "--tls", "--port", "0"]);
  const [, port, fingerprint] = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
    20_000,
  );
  // The server's stdin is empty: it sends close_notify + FIN before the client is done.
  const client = await runCli(["client", "--fingerprint", fingerprint!, "127.0.0.1", port!], {
    input: up,
    timeoutMs: 30_000,
  });
  assert.equal(client.code, 0, client.stderr);
  assert.equal(await server.exit(30_000), 0, server.stderr);
  assert.equal(sha256(server.stdout), sha256(up));
});

Deno.test("server --tls --mode pipe skips a plaintext client and serves the next TLS one", async () => {
  await using server = spawnCli(["server", "--mode", "pipe", "--tls", "--port", "0"], {
    stdin: "piped",
  });
  const [, port, fingerprint] = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
    20_000,
  );
  {
    using plain = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
    await plain.write(utf8("hello in the clear\n"));
    await within(drain(plain), 5_000, "the server to drop the plaintext client");
  }
  await server.write("welcome\n");
  await server.closeStdin();
  const client = await runCli(["client", "--fingerprint", fingerprint!, "127.0.0.1", port!], {
    input: "over TLS\n",
  });
  assert.equal(client.code, 0, client.stderr);
  assert.equal(client.stdoutText, "welcome\n");
  assert.equal(await server.exit(10_000), 0, server.stderr);
  assert.equal(server.stdoutText, "over TLS\n");
  assert.match(server.stderr, /TLS handshake failed: the peer does not speak TLS/);
});
