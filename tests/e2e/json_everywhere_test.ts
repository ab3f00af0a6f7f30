/**
 * With `--json`, stdout carries nothing but NDJSON events in every success and failure
 * path of every command: each line parses, has a string `type` and an ISO `ts`, and a
 * failed run ends with an `error` event mirroring the stderr line and the exit code.
 * @module
 */

import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { runCli, runInProcess, type RunResult, spawnCli } from "../_helpers/cli.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Asserts the JSON-only contract; returns the events. */
function assertJsonOnly(
  label: string,
  result: Pick<RunResult, "code" | "stdoutText" | "stderr">,
  expectedCode: number,
): Record<string, unknown>[] {
  assert.equal(
    result.code,
    expectedCode,
    `${label}: exit ${result.code}; stderr: ${result.stderr}`,
  );
  assert.ok(result.stdoutText.endsWith("\n"), `${label}: stdout must end with a newline`);
  const events = result.stdoutText.slice(0, -1).split("\n").map((line, i) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      assert.fail(`${label}: stdout line ${i + 1} is not JSON: ${line}`);
    }
    assert.ok(event !== null && typeof event === "object" && !Array.isArray(event), label);
    const record = event as Record<string, unknown>;
    assert.equal(typeof record.type, "string", `${label}: line ${i + 1} has no type`);
    assert.match(String(record.ts), ISO, `${label}: line ${i + 1} has no ISO ts`);
    return record;
  });
  if (expectedCode !== 0) {
    const last = events.at(-1)!;
    assert.equal(last.type, "error", `${label}: last event is ${last.type}`);
    assert.equal(last.exitCode, expectedCode, label);
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.at(-1), `sockchat: ${last.message}`, `${label}: stderr mirrors the event`);
  } else {
    assert.ok(!events.some((e) => e.type === "error"), `${label}: error event on success`);
  }
  return events;
}

/** Runs `task` for each item, at most `limit` at a time (a 2-core machine runs other tests too). */
async function eachBounded<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

Deno.test("--json: usage errors, parse errors and help keep stdout NDJSON", async () => {
  const cases: [string[], number][] = [
    [["client", "--json", "--port", "99999"], 2],
    [["client", "--json", "--bogus"], 2],
    [["client", "--json", "-v", "-q"], 2],
    [["client", "--json", "a", "1", "extra"], 2],
    [["client", "--json", "--timeout", "soon"], 2],
    [["client", "--json", "--send", "a\\q"], 2],
    [["client", "--json", "--expect", "("], 2],
    [["client", "--json", "--send-file", "/nonexistent"], 2],
    [["client", "--json", "--keep-open"], 2],
    [["server", "--json", "--mode", "bogus"], 2],
    [["server", "--json", "--port", "70000"], 2],
    [["server", "--json", "--keep-open", "--mode", "echo"], 2],
    [["wait", "--json"], 2],
    [["wait", "--json", "localhost"], 2],
    [["wait", "--json", "127.0.0.1:1", "--interval", "0"], 2],
    [["nosuchcommand", "--json"], 2],
    [["--json"], 2],
    [["client", "--help", "--json"], 0],
    [["server", "--json", "--help"], 0],
    [["wait", "--json", "-h"], 0],
    [["--help", "--json"], 0],
    [["help", "client", "--json"], 0],
    [["udp", "--json"], 2],
    [["client", "--json", "-l"], 2],
  ];
  for (const [args, code] of cases) {
    const result = await runInProcess(args);
    const events = assertJsonOnly(args.join(" "), result, code);
    if (code === 0) {
      assert.deepEqual(events.map((e) => e.type), ["help"]);
      assert.match(String(events[0]?.text), /^Usage: sockchat /);
    }
  }
});

Deno.test("--json: network failures of client, server and wait keep stdout NDJSON", async () => {
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const down = String(freePort());
  const cases: [string[], number][] = [
    [["client", "--json", "127.0.0.1", down], 1],
    [["client", "--json", "--unix", "/nonexistent/sockchat.sock"], 1],
    [["client", "--json", "-v", "--send", "x", "127.0.0.1", down], 1],
    [["server", "--json", "--mode", "echo", "--port", String(busy.addr.port)], 1],
    [["server", "--json", "--mode", "pipe", "--port", String(busy.addr.port)], 1],
    [["server", "--json", "--mode", "pipe", "--port", "0", "--timeout", "300ms"], 124],
    [["server", "--json", "--mode", "echo", "--port", "0", "--timeout", "300ms"], 124],
    [["wait", "--json", `127.0.0.1:${down}`, "--timeout", "300ms"], 124],
  ];
  await eachBounded(cases, 4, async ([args, code]) => {
    assertJsonOnly(args.join(" "), await runCli(args), code);
  });
});

Deno.test("--json: client, pipe server, echo server and wait succeed with only events on stdout", async () => {
  await using echo = spawnCli(["server", "--json", "-v", "--mode", "echo", "--port", "0"]);
  const port = String((await echo.event("listening")).port);

  const waited = await runCli(["wait", "--json", "-v", `127.0.0.1:${port}`]);
  assert.deepEqual(
    assertJsonOnly("wait", waited, 0).map((e) => e.type),
    ["attempt", "ready"],
  );

  const scripted = await runCli([
    "client",
    "--json",
    "-v",
    "--send",
    "\\xff\\xfe binary\\n",
    "--expect",
    "binary",
    "127.0.0.1",
    port,
  ]);
  const events = assertJsonOnly("client --send --expect", scripted, 0);
  assert.deepEqual(events.map((e) => e.type), ["connected", "data", "matched", "closed"]);
  assert.equal(events[1]?.base64, btoa("\xff\xfe binary\n"));

  const piped = await runCli(["client", "--json", "127.0.0.1", port], { input: "hello\n" });
  assert.deepEqual(
    assertJsonOnly("client stdin", piped, 0).map((e) => e.type),
    ["connected", "data", "closed"],
  );

  await using pipe = spawnCli(["server", "--json", "--mode", "pipe", "--port", "0"]);
  const pipePort = String((await pipe.event("listening")).port);
  const sent = await runCli(["client", "--json", "--send", "to the pipe", "127.0.0.1", pipePort]);
  assertJsonOnly("client → pipe", sent, 0);
  const pipeCode = await pipe.exit();
  const pipeEvents = assertJsonOnly(
    "server --mode pipe",
    { code: pipeCode, stdoutText: pipe.stdoutText, stderr: pipe.stderr },
    0,
  );
  assert.deepEqual(pipeEvents.map((e) => e.type), ["listening", "accepted", "data", "closed"]);
  assert.equal(pipeEvents[2]?.text, "to the pipe");

  echo.kill("SIGINT");
  const echoCode = await echo.exit();
  const echoEvents = assertJsonOnly(
    "server --mode echo",
    { code: echoCode, stdoutText: echo.stdoutText, stderr: echo.stderr },
    0,
  );
  assert.ok(echoEvents.filter((e) => e.type === "closed").length >= 3);
});

Deno.test("--json: an interrupted client ends with an error event and exit 130", async () => {
  await using echo = spawnCli(["server", "--mode", "echo", "--port", "0"]);
  const { port } = await echo.listening();
  await using client = spawnCli(["client", "--json", "127.0.0.1", String(port)], {
    stdin: "piped",
  });
  await client.event("connected");
  client.kill("SIGTERM");
  const code = await client.exit();
  const events = assertJsonOnly(
    "client interrupted",
    { code, stdoutText: client.stdoutText, stderr: client.stderr },
    130,
  );
  assert.equal(events.find((e) => e.type === "closed")?.reason, "interrupted");
});
