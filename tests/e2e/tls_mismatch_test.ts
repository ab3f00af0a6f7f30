import assert from "node:assert/strict";
import { runCli, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { makePki, opensslServer } from "../_helpers/pki.ts";
import { freePort } from "../_helpers/ports.ts";
import { within } from "../_helpers/wait.ts";

const SPEAKS_TLS = (port: string) =>
  `sockchat: 127.0.0.1:${port}: server speaks TLS: add --tls (or --fingerprint/--insecure)\n`;
const NOT_TLS = (port: string) =>
  `sockchat: 127.0.0.1:${port}: server does not speak TLS (no TLS handshake): drop --tls\n`;

Deno.test("a plaintext client to `sockchat server --tls` exits 1 with one line and nothing on stdout", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--tls", "--port", "0", "--json"]);
  const port = String((await server.event("listening", 20_000)).port);
  const result = await runCli(["client", "127.0.0.1", port], { input: "hello\n" });
  assert.equal(result.code, 1);
  assert.equal(result.stderr, SPEAKS_TLS(port));
  assert.equal(result.stdout.length, 0);
});

Deno.test("a plaintext client to openssl s_server exits 1 with one line and nothing on stdout", async () => {
  await using pki = await makePki();
  const { server: opened, port } = await opensslServer(pki);
  await using _server = opened;
  // Shorter than a record header: OpenSSL 3 answers it with a decode_error alert (a full
  // non-TLS header it closes on silently, and then there is nothing to recognise).
  const result = await runCli(["client", "127.0.0.1", port], { input: "hi\n" });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stderr, SPEAKS_TLS(port));
  assert.equal(result.stdout.length, 0);
});

Deno.test("a plaintext peer whose first bytes are no TLS record passes through untouched", async () => {
  // 0x16 0x03 then no TLS version: data, not a record header.
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0", "--json"]);
  const port = String((await server.event("listening", 20_000)).port);
  const data = new Uint8Array([0x16, 0x03, 0x68, 0x69, 0x0a, 0x15]);
  const result = await runCli(["client", "127.0.0.1", port], { input: data });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual([...result.stdout], [...data]);
});

Deno.test("a --tls client to plain `sockchat server --mode echo` exits 1 with one line", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0", "--json"]);
  const port = String((await server.event("listening", 20_000)).port);
  for (const flags of [["--tls"], ["--insecure"]]) {
    const result = await runCli(["client", ...flags, "127.0.0.1", port], { input: "hello\n" });
    assert.equal(result.code, 1, flags.join(" "));
    assert.equal(
      result.stderr.split("\n").filter((l) => !l.includes("warning")).join("\n"),
      NOT_TLS(port),
    );
    assert.equal(result.stdout.length, 0);
  }
});

Deno.test("a --tls client to `nc -l` exits 1 with one line", async () => {
  const port = String(freePort());
  await using nc = spawnPeer([requirePeer("nc"), "-v", "-l", "127.0.0.1", port], {
    stdin: "piped",
  });
  await nc.waitForStderr(/Listening on/);
  await nc.write("hello from nc\n"); // sent as soon as the client connects
  const result = await runCli(["client", "--tls", "127.0.0.1", port], { input: "" });
  assert.equal(result.code, 1);
  assert.equal(result.stderr, NOT_TLS(port));
  assert.equal(result.stdout.length, 0);
  await within(nc.exit(10_000), 15_000, "nc exits");
});
