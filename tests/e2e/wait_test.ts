import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { runCli, runInProcess, spawnCli } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("wait exits 0 once the target accepts, after a connect-and-close that sends nothing", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const result = await runCli(["wait", `127.0.0.1:${listener.addr.port}`]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(`^ready: 127\\.0\\.0\\.1:${listener.addr.port} \\(after `),
  );
  using conn = await within(accepted, 5_000, "the wait connection");
  assert.equal(await conn.read(new Uint8Array(16)), null, "wait must send nothing");
});

Deno.test("wait accepts [::1]:PORT and unix:PATH targets together", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using v6 = Deno.listen({ hostname: "::1", port: 0 });
    using unix = Deno.listen({ transport: "unix", path: `${dir}/app.sock` });
    const conns = [v6.accept(), unix.accept()];
    const result = await runCli([
      "wait",
      "--json",
      `[::1]:${v6.addr.port}`,
      `unix:${dir}/app.sock`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const events = jsonLines(result.stdoutText);
    assert.deepEqual(events.at(-1)?.targets, [`[::1]:${v6.addr.port}`, `unix:${dir}/app.sock`]);
    assert.deepEqual(events.filter((e) => e.type === "attempt").map((e) => e.ok), [true, true]);
    for (const conn of await Promise.all(conns)) conn.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wait exits 124 at the deadline, naming only the targets still down and why", async () => {
  const down = freePort();
  using up = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = up.accept();
  const started = performance.now();
  const result = await runCli([
    "wait",
    `127.0.0.1:${up.addr.port}`,
    `127.0.0.1:${down}`,
    "--timeout",
    "1s",
    "--interval",
    "100ms",
  ]);
  const elapsed = performance.now() - started;
  assert.equal(result.code, 124);
  assert.equal(
    result.stderr,
    `sockchat: Timed out after 1 s waiting for 127.0.0.1:${down} (connection refused)\n`,
  );
  assert.ok(elapsed >= 1_000, `gave up after ${elapsed} ms, before the deadline`);
  (await accepted).close();
});

Deno.test("wait --json reports every attempt and ends with an error event at the deadline", async () => {
  const down = freePort();
  const result = await runCli([
    "wait",
    "--json",
    `127.0.0.1:${down}`,
    "--timeout",
    "600ms",
    "--interval",
    "100ms",
  ]);
  assert.equal(result.code, 124);
  const events = jsonLines(result.stdoutText);
  const attempts = events.filter((e) => e.type === "attempt");
  assert.ok(attempts.length >= 3, `only ${attempts.length} attempts`);
  attempts.forEach((attempt, i) => {
    assert.deepEqual(attempt, {
      type: "attempt",
      ts: attempt.ts,
      target: `127.0.0.1:${down}`,
      attempt: i + 1,
      ok: false,
      error: "connection refused",
    });
  });
  assert.deepEqual(events.at(-1), {
    type: "error",
    ts: events.at(-1)?.ts,
    message: `Timed out after 600 ms waiting for 127.0.0.1:${down} (connection refused)`,
    exitCode: 124,
  });
});

Deno.test("wait succeeds when the target comes up midway", async () => {
  const port = freePort();
  await using waiter = spawnCli([
    "wait",
    "--json",
    `127.0.0.1:${port}`,
    "--timeout",
    "20s",
    "--interval",
    "100ms",
  ]);
  // Start the server only once the waiter has seen it down.
  await waiter.waitFor(
    () => waiter.events().find((e) => e.type === "attempt" && e.ok === false),
    "a failed attempt",
  );
  await using server = spawnCli(["server", "--mode", "echo", "--port", String(port)]);
  assert.equal(await waiter.exit(20_000), 0, waiter.stderr);
  const attempts = waiter.events().filter((e) => e.type === "attempt");
  assert.equal(attempts.at(-1)?.ok, true);
  assert.ok(attempts.length >= 2);
  assert.equal(waiter.events().at(-1)?.type, "ready");
  await server.listening();
});

Deno.test("wait rejects bad targets and durations before connecting (exit 2)", async () => {
  const cases: [string[], string][] = [
    [["localhost"], 'Invalid target "localhost": expected HOST:PORT, [IPv6]:PORT or unix:PATH'],
    [["::1:80"], 'Invalid target "::1:80": expected HOST:PORT, [IPv6]:PORT or unix:PATH'],
    [
      ["127.0.0.1:0"],
      'Invalid port "0": port 0 is only allowed when listening (target "127.0.0.1:0")',
    ],
    [
      ["127.0.0.1:1", "--timeout", "soon"],
      'Invalid --timeout "soon": expected a duration like 500ms, 5s, 2m or 1h',
    ],
    [["127.0.0.1:1", "--interval", "0"], 'Invalid --interval "0": must be greater than zero'],
    [[], 'Missing TARGET (see "sockchat wait --help")'],
    [["a b:80"], 'Invalid host "a b": expected a host name or IP address (target "a b:80")'],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(["wait", ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stderr, `sockchat: ${message}\n`);
  }
});
