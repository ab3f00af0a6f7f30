import assert from "node:assert/strict";
import { runCli, runInProcess, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { makePki, openssl, opensslServer } from "../_helpers/pki.ts";
import { pipeExchange } from "../_helpers/pipe_exchange.ts";

Deno.test("server --cert/--key with a CA-signed certificate: client --ca moves bytes both ways", async () => {
  await using pki = await makePki();
  await pipeExchange({
    size: 4 << 20,
    serverArgs: ["--cert", pki.serverCert, "--key", pki.serverKey],
    clientArgs: ["--ca", pki.caCert],
    host: "localhost",
    onListening: (server) =>
      assert.match(server.stderr, /\(TLS, SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}\)/),
  });
});

Deno.test("client --ca rejects a certificate that is not valid for the name (wrong name, exit 1)", async () => {
  await using pki = await makePki();
  await using server = spawnCli(
    ["server", "--mode", "echo", "--cert", pki.serverCert, "--key", pki.serverKey, "--port", "0"],
  );
  const { port } = await server.listening(20_000);
  const wrong = await runCli(
    ["client", "--ca", pki.caCert, "--servername", "chat.example.org", "127.0.0.1", String(port)],
    { input: "secret\n" },
  );
  assert.equal(wrong.code, 1);
  assert.equal(
    wrong.stderr,
    `sockchat: Cannot connect to "127.0.0.1:${port}": certificate verification failed: wrong name: the certificate is not valid for "chat.example.org"; it is valid for localhost, 127.0.0.1, ::1 (use --servername NAME to check another name)\n`,
  );
  assert.equal(wrong.stdoutText, "");
  const right = await runCli(
    ["client", "--ca", pki.caCert, "--servername", "localhost", "127.0.0.1", String(port)],
    { input: "hello\n" },
  );
  assert.equal(right.code, 0, right.stderr);
  assert.equal(right.stdoutText, "hello\n");
  const noCa = await runCli(["client", "--tls", "127.0.0.1", String(port)], { input: "x" });
  assert.equal(noCa.code, 1);
  assert.match(noCa.stderr, /certificate verification failed: unknown issuer/);
});

Deno.test("client --ca rejects an expired certificate (exit 1, says expired)", async () => {
  await using pki = await makePki();
  const dir = pki.dir;
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-out",
      "expired.pem",
      "-days",
      "-1",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  await using server = spawnCli(
    [
      "server",
      "--mode",
      "echo",
      "--cert",
      `${dir}/expired.pem`,
      "--key",
      pki.serverKey,
      "--port",
      "0",
    ],
  );
  const { port } = await server.listening(20_000);
  const result = await runCli(["client", "--ca", pki.caCert, "127.0.0.1", String(port)], {
    input: "x",
  });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^sockchat: Cannot connect to "127\.0\.0\.1:\d+": certificate verification failed: expired: .*\n$/,
  );
});

Deno.test("openssl s_client verifies sockchat server --tls --mode echo against the CA", async () => {
  await using pki = await makePki();
  await using server = spawnCli(
    ["server", "--mode", "echo", "--cert", pki.serverCert, "--key", pki.serverKey, "--port", "0"],
  );
  const { port } = await server.listening(20_000);
  await using client = spawnPeer([
    requirePeer("openssl"),
    "s_client",
    "-connect",
    `127.0.0.1:${port}`,
    "-CAfile",
    pki.caCert,
    "-verify_return_error",
    "-verify_hostname",
    "localhost",
    "-servername",
    "localhost",
  ], { stdin: "piped" });
  await client.waitForStdout(/Verify return code: 0 \(ok\)/);
  await client.write("echo through openssl\n");
  await client.waitForStdout(/echo through openssl/);
  await client.closeStdin();
  assert.equal(await client.exit(10_000), 0, client.stderr);
});

Deno.test("sockchat client --ca talks to openssl s_server both ways", async () => {
  await using pki = await makePki();
  const { server: opened, port } = await opensslServer(pki);
  await using server = opened;
  await using client = spawnCli(["client", "--ca", pki.caCert, "127.0.0.1", port], {
    stdin: "piped",
  });
  await server.waitForStdout(/CIPHER is|Shared ciphers|Secure Renegotiation|CIPHER/);
  await server.write("from s_server\n");
  await client.waitForStdout(/from s_server\n/);
  await client.write("from sockchat\n");
  await server.waitForStdout(/from sockchat/);
  await client.closeStdin();
  assert.equal(await client.exit(10_000), 0, client.stderr);
  assert.equal(client.stdoutText, "from s_server\n");
});

Deno.test("bad --cert/--key fail with one line and exit 2 before binding", async () => {
  await using pki = await makePki();
  const cases: [string[], RegExp][] = [
    [
      ["--cert", pki.serverCert, "--key", pki.otherKey],
      /^sockchat: Certificate ".*server\.pem" and key ".*other\.key" do not match: the key is not the certificate's private key\n$/,
    ],
    [
      ["--cert", `${pki.dir}/missing.pem`, "--key", pki.serverKey],
      /^sockchat: Cannot read --cert ".*missing\.pem": no such file\n$/,
    ],
    [
      ["--cert", pki.serverCert, "--key", `${pki.dir}/missing.key`],
      /^sockchat: Cannot read --key ".*missing\.key": no such file\n$/,
    ],
    [
      ["--cert", pki.serverKey, "--key", pki.serverKey],
      /^sockchat: Invalid --cert ".*server\.key": not a PEM certificate/,
    ],
    [
      ["--cert", pki.serverCert, "--key", pki.serverCert],
      /^sockchat: Invalid --key ".*server\.pem": not a PEM private key\n$/,
    ],
    [["--cert", pki.serverCert], /^sockchat: Option --cert needs --key: give both/],
    [["--key", pki.serverKey, "--tls"], /^sockchat: Option --key needs --cert: give both/],
    [
      ["--handshake-timeout", "1s"],
      /^sockchat: Option --handshake-timeout only applies with --tls\n$/,
    ],
    [["--tls", "--handshake-timeout", "0"], /^sockchat: Invalid --handshake-timeout "0"/],
    [["--tls", "--unix", `${pki.dir}/s.sock`], /^sockchat: Option --tls needs TCP/],
  ];
  for (const [args, expected] of cases) {
    const port = args.includes("--unix") ? [] : ["--port", "0"];
    const result = await runInProcess(["server", "--mode", "echo", ...port, ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, expected);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /listening/);
  }
  const json = await runInProcess([
    "server",
    "--json",
    "--cert",
    pki.serverCert,
    "--key",
    pki.otherKey,
  ]);
  assert.equal(json.code, 2);
  assert.doesNotMatch(json.stdoutText, /listening/);
  assert.match(json.stdoutText, /"type":"error".*do not match.*"exitCode":2/);
});

Deno.test("client TLS option mistakes are usage errors (exit 2)", async () => {
  await using pki = await makePki();
  const cases: [string[], RegExp][] = [
    [["--insecure", "--fingerprint", "00".repeat(32)], /--insecure and --fingerprint cannot/],
    [["--insecure", "--ca", pki.caCert], /--insecure and --ca cannot/],
    [["--fingerprint", "abc"], /^sockchat: Invalid fingerprint "abc": expected a SHA-256/],
    [["--ca", `${pki.dir}/none.pem`], /^sockchat: Cannot read --ca ".*none\.pem": no such file\n$/],
    [["--ca", pki.serverKey], /^sockchat: Invalid --ca ".*server\.key": not a PEM certificate/],
    [["--tls", "--unix", "/tmp/x.sock"], /^sockchat: Option --tls needs TCP/],
  ];
  for (const [args, expected] of cases) {
    const result = await runInProcess(["client", ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, expected);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  }
});
