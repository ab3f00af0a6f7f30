/**
 * Every recipe in README.md and docs/, run as written through `bash -eo pipefail -c`
 * with `sockchat` on PATH. Only ports, host names and long timeouts are substituted (each
 * substitution must find its text, so a changed recipe fails here instead of drifting).
 * @module
 */

import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { runCli, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { makePki } from "../_helpers/pki.ts";
import { fakeRedis } from "../_helpers/fake_redis.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { recipe, recipeNames, ShellSandbox, substitute } from "../_helpers/shell.ts";

/** Recipes whose test waits for a command that has not landed on this branch. */
const PENDING: Record<string, string> = {};

const covered = new Set<string>();

function use(name: string): string {
  covered.add(name);
  const script = recipe(name);
  // A missing tool fails with the package to install, never a confusing shell error.
  if (script.includes("jq ")) requirePeer("jq");
  if (script.includes("sha256sum")) requirePeer("sha256sum", "coreutils");
  requirePeer("bash");
  return script;
}

Deno.test("recipe: wait for a database, then migrate", async () => {
  await using sandbox = new ShellSandbox();
  const port = String(freePort());
  const script = substitute(use("wait-for-database"), [["5432", port]]);
  // `docker compose up -d` returns before the database listens: start it in the background.
  const prelude = `
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
docker() { sockchat server --mode echo --port ${port} >/dev/null 2>&1 & }
npm() { echo "npm $*"; }
`;
  const result = await sandbox.run(prelude + script);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "npm run migrate\n");
});

Deno.test("recipe: wait for a database fails the step (124) when it never comes up", async () => {
  await using sandbox = new ShellSandbox();
  const port = String(freePort());
  const script = substitute(use("wait-for-database"), [["5432", port], ["60s", "1s"]]);
  const result = await sandbox.run(`docker() { :; }\nnpm() { echo "npm $*"; }\n${script}`);
  assert.equal(result.code, 124);
  assert.equal(result.stdout, "", "migrations must not run");
  assert.equal(
    result.stderr,
    `sockchat: Timed out after 1 s waiting for localhost:${port} (connection refused)\n`,
  );
});

Deno.test("recipe: wait for several services", async () => {
  await using sandbox = new ShellSandbox();
  using db = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using cache = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepts = [db.accept(), cache.accept()];
  const [dbPort, cachePort] = [String(db.addr.port), String(cache.addr.port)];
  const script = substitute(use("wait-for-several"), [["5432", dbPort], ["6379", cachePort]]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`localhost:${dbPort} is up \\(attempt 1\\)`));
  assert.match(result.stderr, new RegExp(`ready: localhost:${dbPort}, localhost:${cachePort} `));
  for (const conn of await Promise.all(accepts)) conn.close();
});

Deno.test("recipe: smoke test with send/expect passes against a service that answers +PONG", async () => {
  await using sandbox = new ShellSandbox();
  await using redis = fakeRedis();
  const script = substitute(use("smoke-test"), [["6379", String(redis.port)]]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "+PONG\r\n");
  assert.deepEqual(redis.commands, ["PING"]);
});

Deno.test("recipe: smoke test exits 3, 124 and 1 for a wrong answer, silence and no service", async () => {
  await using sandbox = new ShellSandbox();
  await using failing = fakeRedis("error");
  await using silent = fakeRedis("silent");
  const base = use("smoke-test");
  const wrong = await sandbox.run(substitute(base, [["6379", String(failing.port)]]));
  assert.equal(wrong.code, 3, wrong.stderr);
  assert.equal(wrong.stdout, "-ERR unknown command\r\n");
  assert.equal(
    wrong.stderr,
    `sockchat: No match for --expect "^\\+PONG\\r\\n" from "127.0.0.1:${failing.port}": the connection closed first\n`,
  );
  const quiet = await sandbox.run(substitute(base, [["6379", String(silent.port)], ["5s", "1s"]]));
  assert.equal(quiet.code, 124, quiet.stderr);
  assert.equal(
    quiet.stderr,
    'sockchat: Timed out after 1.00 s (--timeout) waiting for --expect "^\\+PONG\\r\\n"\n',
  );
  const port = String(freePort());
  const none = await sandbox.run(substitute(base, [["6379", port]]));
  assert.equal(none.code, 1, none.stderr);
  assert.equal(
    none.stderr,
    `sockchat: Cannot connect to "localhost:${port}": connection refused\n`,
  );
});

Deno.test("recipe: a short conversation checked with expects in order", async () => {
  await using sandbox = new ShellSandbox();
  await using redis = fakeRedis();
  const script = substitute(use("smoke-test-conversation"), [["6379", String(redis.port)]]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "+OK\r\n$5\r\nhello\r\n");
  assert.deepEqual(redis.commands, ["SET greeting hello", "GET greeting"]);
});

Deno.test("recipe: a transcript of a smoke test in a file, stdout untouched", async () => {
  await using sandbox = new ShellSandbox();
  await using redis = fakeRedis();
  const script = substitute(use("hex-transcript"), [["6379", String(redis.port)]]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  const stamp = "\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z";
  const peer = `127\\.0\\.0\\.1:${redis.port}`;
  assert.match(
    result.stdout,
    new RegExp(
      `^\\+PONG\\r\\n> ${stamp} ${peer} offset=0 length=6\\n` +
        "00000000  50 49 4e 47 0d 0a +\\|PING\\.\\.\\|\\n" +
        `> ${stamp} ${peer} end offset=6\\n` +
        `< ${stamp} ${peer} offset=0 length=7\\n` +
        "00000000  2b 50 4f 4e 47 0d 0a +\\|\\+PONG\\.\\.\\|\\n",
    ),
  );
  assert.deepEqual(redis.commands, ["PING"]);
});

Deno.test("recipe: a program behind a port as a test double", async () => {
  await using sandbox = new ShellSandbox();
  const port = String(freePort());
  const result = await sandbox.run(substitute(use("exec-service"), [["7000", port]]));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "HELLO\n");
  assert.match(result.stderr, new RegExp(`listening on 127\\.0\\.0\\.1:${port}\\n`));
});

Deno.test("recipe: read from a service still starting: drops before any data moved are retried", async () => {
  await using sandbox = new ShellSandbox();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepts = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      // The first two connections are closed at once, like a forwarder with no backend yet.
      if (++accepts > 2) await conn.write(new TextEncoder().encode("SSH-2.0-test\r\nmore\n"));
      conn.close();
    }
  })().catch(() => {});
  const port = String(listener.addr.port);
  const result = await sandbox.run(substitute(use("retry-early-drop"), [["8080", port]]));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "SSH-2.0-test\r\n");
  assert.equal(
    result.stderr,
    `localhost:${port}: was closed before any data moved (attempt 1); retrying in 100 ms\n` +
      `localhost:${port}: was closed before any data moved (attempt 2); retrying in 200 ms\n`,
  );
  assert.equal(accepts, 3);
  listener.close();
  await serving;
});

Deno.test("recipe: a TLS service behind a SOCKS proxy, verified for its name", async () => {
  await using sandbox = new ShellSandbox();
  await using pki = await makePki();
  await Deno.copyFile(pki.caCert, `${sandbox.dir}/internal-ca.pem`);
  await using server = spawnCli([
    "server",
    "--mode",
    "echo",
    "--tls",
    "--cert",
    pki.serverCert,
    "--key",
    pki.serverKey,
    "--port",
    "0",
  ]);
  const { port } = await server.listening();
  requirePeer("microsocks");
  const proxyPort = String(freePort());
  await using _proxy = spawnPeer(["microsocks", "-i", "127.0.0.1", "-p", proxyPort]);
  for (const until = performance.now() + 10_000;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port: Number(proxyPort) })).close();
      break;
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const script = substitute(use("proxy-tls"), [
    ["127.0.0.1:1080", `127.0.0.1:${proxyPort}`],
    ["echo.internal 7443", `localhost ${port}`],
  ]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "hello\n");
});

Deno.test("recipe: send a file and check its hash on the other side", async () => {
  await using sandbox = new ShellSandbox();
  const original = randomBytes(5 << 20);
  await Deno.writeFile(`${sandbox.dir}/backup.tar`, original);
  await using receiver = sandbox.spawn(
    substitute(use("file-receiver"), [["--host 0.0.0.0", "--host 127.0.0.1"], ["9000", "0"]]),
  );
  const { port } = await receiver.listening();
  const sender = await sandbox.run(
    substitute(use("file-sender"), [["receiver.example 9000", `127.0.0.1 ${port}`]]),
  );
  assert.equal(sender.code, 0, sender.stderr);
  assert.equal(await receiver.exit(), 0, receiver.stderr);
  const hash = sha256(original);
  assert.equal(sender.stdout, `${hash}  backup.tar\n`);
  assert.equal(receiver.stdoutText, `${hash}  received.tar\n`);
});

Deno.test("recipe: jq on the event stream of a smoke test", async () => {
  await using sandbox = new ShellSandbox();
  await using redis = fakeRedis();
  const result = await sandbox.run(substitute(use("jq-closed"), [["6379", String(redis.port)]]));
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^7 bytes in \d+ ms\n$/);
});

Deno.test("recipe: jq pulls a capture group out of a reply", async () => {
  await using sandbox = new ShellSandbox();
  await using redis = fakeRedis();
  const result = await sandbox.run(substitute(use("jq-version"), [["6379", String(redis.port)]]));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "7.2.4\n");
});

Deno.test("recipe: jq lists the services still down, and the step fails with 124", async () => {
  await using sandbox = new ShellSandbox();
  const [db, cache] = [String(freePort()), String(freePort())];
  const script = substitute(use("jq-wait"), [["5432", db], ["6379", cache], ["30s", "1s"]]);
  const result = await sandbox.run(script);
  assert.equal(result.code, 124, result.stderr);
  const lines = result.stdout.trim().split("\n").map((line) => line.trim());
  assert.deepEqual(
    lines.map((line) => line.replace(/^\d+ /, "")).sort(),
    [
      `localhost:${cache}: connection refused`,
      `localhost:${db}: connection refused`,
    ].sort(),
  );
  for (const line of lines) assert.ok(Number(line.split(" ")[0]) >= 2, line);
});

Deno.test("recipe: jq watches connections on an echo server", async () => {
  await using sandbox = new ShellSandbox();
  const port = String(freePort());
  await using server = sandbox.spawn(substitute(use("jq-server"), [["7000", port]]));
  assert.equal((await runCli(["wait", `127.0.0.1:${port}`, "--timeout", "15s"])).code, 0);
  const client = await runCli(["client", "--send", "hi", "127.0.0.1", port]);
  assert.equal(client.code, 0, client.stderr);
  sandbox.signalAll("SIGINT");
  assert.equal(await server.exit(), 0, server.stderr);
  const events = server.stdoutText.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(events.map((e) => e.type), ["accepted", "closed", "accepted", "closed"]);
  assert.equal(events[3].bytesReceived, 2);
});

Deno.test("recipe: the UDP heartbeat sender sends one datagram per interval", async () => {
  await using sandbox = new ShellSandbox();
  await using monitor = spawnCli(["udp", "recv", "--port", "0", "--count", "3"]);
  const { port } = await monitor.listening();
  const script = substitute(use("udp-heartbeat-sender"), [
    ["monitor.example", "127.0.0.1"],
    ["9999", String(port)],
    ["--count 0", "--count 3"],
    ["10s", "100ms"],
  ]);
  const started = performance.now();
  const result = await sandbox.run(script);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(performance.now() - started >= 200, "two intervals between three datagrams");
  assert.equal(await monitor.exit(5000), 0, monitor.stderr);
  const hostname = (await new Deno.Command("hostname").output()).stdout;
  const line = `alive ${new TextDecoder().decode(hostname).trim()}\n`;
  assert.equal(monitor.stdoutText, line.repeat(3));
});

Deno.test("recipe: the UDP heartbeat monitor keeps going while beats arrive, then alerts", async () => {
  await using sandbox = new ShellSandbox();
  const port = String(freePort());
  const script = substitute(use("udp-heartbeat-monitor"), [
    ["0.0.0.0", "127.0.0.1"],
    ["9999", port],
    ["30s", "1s"],
  ]);
  const started = performance.now();
  const result = await sandbox.run(script);
  // No heartbeat at all: the first wait times out (124), the loop ends, the alert is printed.
  assert.equal(result.code, 0, result.stderr);
  assert.ok(performance.now() - started >= 1000);
  assert.equal(
    result.stderr,
    "listening on 127.0.0.1:" + port +
      "\nsockchat: Timed out after 1.00 s (--timeout): received 0 of 1 datagrams\nno heartbeat for 30 s\n",
  );
});

Deno.test("recipe: a script pins the TLS server's fingerprint from its listening event", async () => {
  requirePeer("jq");
  await using sandbox = new ShellSandbox();
  // The recipe leaves its server running in the background; stop it when the script ends.
  const prelude = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n";
  const result = await sandbox.run(prelude + use("tls-pin"));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "hello\n");
  const events = (await Deno.readTextFile(`${sandbox.dir}/events.ndjson`)).trim().split("\n");
  const listening = JSON.parse(events[0]!);
  assert.equal(listening.type, "listening");
  assert.match(listening.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

Deno.test("every recipe in README.md and docs/ is covered by a test", () => {
  const untested = recipeNames().filter((name) => !covered.has(name) && !(name in PENDING));
  assert.deepEqual(untested, []);
});
