import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { runCli, runInProcess, spawnCli } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").filter((l) => l !== "").map((line) => JSON.parse(line));
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("client --retry exits 124 once the budget is spent, with a retry event per pause", async () => {
  const port = freePort();
  const result = await runCli([
    "client",
    "--json",
    "127.0.0.1",
    String(port),
    "--retry",
    "2",
    "--retry-delay",
    "50ms",
  ], { input: "never sent\n" });
  assert.equal(result.code, 124, result.stderr);
  const events = jsonLines(result.stdoutText);
  assert.deepEqual(
    events.filter((e) => e.type === "retry").map((e) => [e.attempt, e.error, e.delayMs]),
    [[1, "connection refused", 50], [2, "connection refused", 100]],
  );
  assert.equal(events.at(-1)?.type, "error");
  assert.match(
    result.stderr,
    new RegExp(
      `^sockchat: Cannot connect to "127\\.0\\.0\\.1:${port}": connection refused \\(gave up after 3 attempts in .+\\)\\n$`,
    ),
  );
});

Deno.test("client --retry-for stops at its time budget, and without --json retries show on stderr", async () => {
  const port = freePort();
  const started = performance.now();
  const result = await runCli([
    "client",
    `127.0.0.1:${port}`,
    "--retry-for",
    "400ms",
    "--retry-delay",
    "50ms",
  ]);
  const elapsed = performance.now() - started;
  assert.equal(result.code, 124);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines[0], `127.0.0.1:${port}: connection refused (attempt 1); retrying in 50 ms`);
  assert.ok(lines.length >= 2 && lines.length <= 5, result.stderr);
  assert.match(lines.at(-1)!, /gave up after \d attempts/);
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  assert.equal(result.stdoutText, "");
});

Deno.test("client --retry connects once the server comes up, and sends stdin exactly once", async () => {
  const port = freePort();
  const input = new Uint8Array(256 * 1024);
  for (let i = 0; i < input.length; i += 65_536) {
    crypto.getRandomValues(input.subarray(i, i + 65_536));
  }
  await using client = spawnCli([
    "client",
    "--json",
    "127.0.0.1",
    String(port),
    "--retry",
    "50",
    "--retry-delay",
    "50ms",
  ], { stdin: "piped" });
  // The client reads no stdin before it connects: the pipe fills, so write in the background.
  const writing = client.write(input).then(() => client.closeStdin());
  await client.waitFor(() => client.stdoutText.includes('"type":"retry"'), "a first retry");
  using listener = Deno.listen({ hostname: "127.0.0.1", port });
  const conn = await within(listener.accept(), 10_000, "the retried connection");
  const received: Uint8Array[] = [];
  for await (const chunk of conn.readable) received.push(chunk); // reads to EOF, then closes
  const total = new Uint8Array(received.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of received) {
    total.set(chunk, offset);
    offset += chunk.length;
  }
  await writing;
  assert.equal(await client.exit(10_000), 0, client.stderr);
  assert.equal(await sha256(total), await sha256(input), "stdin arrived once, byte-exact");
  const events = jsonLines(client.stdoutText);
  assert.ok(events.some((e) => e.type === "connected"));
  assert.ok(
    events.findIndex((e) => e.type === "retry") < events.findIndex((e) => e.type === "connected"),
  );
});

Deno.test("client --retry does not reconnect once connected, even when the server drops it", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepts = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      accepts++;
      await conn.read(new Uint8Array(64));
      conn.close(); // with unread data pending: the client sees a reset or an error writing
    }
  })();
  const result = await runCli([
    "client",
    "--json",
    `127.0.0.1:${listener.addr.port}`,
    "--retry",
    "3",
    "--retry-delay",
    "50ms",
  ], { input: "hello\n".repeat(50_000) });
  assert.notEqual(result.code, 124, result.stderr);
  const events = jsonLines(result.stdoutText);
  assert.deepEqual(events.filter((e) => e.type === "retry"), []);
  assert.equal(accepts, 1, "one connection only");
  listener.close();
  await serving.catch(() => {});
});

Deno.test("client retry options are checked before connecting", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--retry-delay", "1s"],
      /^sockchat: Option --retry-delay needs --retry N or --retry-for DUR/,
    ],
    [["--retry", "x"], /^sockchat: Invalid --retry "x": expected a whole number from 0/],
    [["--retry-for", "0"], /^sockchat: Invalid --retry-for "0": must be greater than zero/],
    [["--retry", "1", "--retry-delay", "0"], /^sockchat: Invalid --retry-delay "0"/],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(["client", "127.0.0.1:1", ...args]);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, message, JSON.stringify(result.stderr));
  }
});

/** A server whose first `drops` connections are closed at once; later ones go to `serve`. */
function droppingServer(drops: number, serve: (conn: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepts = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      accepts++;
      if (accepts <= drops) conn.close();
      else await serve(conn).catch(() => {}).finally(() => conn.close());
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    accepts: () => accepts,
    async [Symbol.asyncDispose]() {
      listener.close();
      await serving;
    },
  };
}

Deno.test("client --retry: a connection closed before any data moved is tried again", async () => {
  await using server = droppingServer(2, async (conn) => {
    await conn.write(new TextEncoder().encode("served\n"));
  });
  const result = await runCli([
    "client",
    "--json",
    "--recv-only",
    `127.0.0.1:${server.port}`,
    "--retry",
    "5",
    "--retry-delay",
    "50ms",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const events = jsonLines(result.stdoutText);
  assert.deepEqual(
    events.filter((e) => e.type === "retry").map((e) => [e.attempt, e.error, e.delayMs]),
    [[1, "was closed before any data moved", 50], [2, "was closed before any data moved", 100]],
  );
  assert.deepEqual(events.filter((e) => e.type === "data").map((e) => e.text), ["served\n"]);
  assert.equal(server.accepts(), 3);
});

Deno.test("client --retry: stdin not yet sent survives dropped connections, and arrives once", async () => {
  const input = new Uint8Array(256 * 1024);
  for (let i = 0; i < input.length; i += 65_536) {
    crypto.getRandomValues(input.subarray(i, i + 65_536));
  }
  let received = new Uint8Array(0);
  await using server = droppingServer(2, async (conn) => {
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65_536);
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
      chunks.push(buf.slice(0, n));
    }
    received = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      received.set(chunk, offset);
      offset += chunk.length;
    }
  });
  await using client = spawnCli([
    "client",
    "--json",
    `127.0.0.1:${server.port}`,
    "--retry",
    "5",
    "--retry-delay",
    "50ms",
  ], { stdin: "piped" });
  // stdin comes only after two connections were dropped: each left a read of it pending.
  await client.waitFor(
    () => jsonLines(client.stdoutText).filter((e) => e.type === "retry").length === 2,
    "two retries",
  );
  await client.write(input);
  await client.closeStdin();
  assert.equal(await client.exit(10_000), 0, client.stderr);
  assert.equal(await sha256(received), await sha256(input), "stdin arrived once, byte-exact");
  assert.equal(server.accepts(), 3);
});

Deno.test("client --retry: drops before any data moved spend the budget, then exit 124", async () => {
  await using server = droppingServer(100, () => Promise.resolve());
  const result = await runCli([
    "client",
    "--recv-only",
    `127.0.0.1:${server.port}`,
    "--retry",
    "2",
    "--retry-delay",
    "50ms",
  ]);
  assert.equal(result.code, 124, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `sockchat: Connection to "127\\.0\\.0\\.1:${server.port}" was closed before any data moved \\(gave up after 3 attempts in .+\\)\\n$`,
    ),
  );
  assert.equal(server.accepts(), 3);
});
