/**
 * The release smoke suite: the cases every downloaded binary must pass on every platform,
 * without third-party peers (no socat, nc or tmux), so it runs on the macOS and Windows
 * release runners too. Against `deno run` by default; against a compiled binary when
 * `SOCKCHAT_BIN` is set (the release workflow does that on each platform's own runner).
 */

import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { utf8 } from "../_helpers/bytes.ts";
import { runCli, spawnCli } from "../_helpers/cli.ts";
import { pipeExchange } from "../_helpers/pipe_exchange.ts";

const windows = Deno.build.os === "windows";

Deno.test("--version names sockchat's version, the Deno it was built with and the platform", async () => {
  // From an empty directory: the binary must not need any file next to it or in the cwd.
  const cwd = await Deno.makeTempDir({ prefix: "sockchat-smoke-" });
  try {
    await using proc = spawnCli(["--version"], { cwd });
    assert.equal(await proc.exit(), 0, proc.stderr);
    assert.equal(
      proc.stdoutText,
      `sockchat ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})\n`,
    );
    assert.equal(proc.stderr, "");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("--help lists the commands and exits 0", async () => {
  const result = await runCli(["--help"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdoutText, /^Usage: sockchat <command> \[options\]/);
  assert.match(result.stdoutText, /\n {2}client /);
  assert.match(result.stdoutText, /\n {2}server /);
});

Deno.test("a bad port is a one-line usage error with exit 2", async () => {
  const result = await runCli(["client", "127.0.0.1", "notaport"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^sockchat: Invalid port "notaport": [^\n]+\n$/);
  assert.equal(result.stdoutText, "");
});

Deno.test("a refused connection is one line on stderr, an error event, and exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  const result = await runCli(["client", "--json", "127.0.0.1", String(port)], {
    timeoutMs: 20_000,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(
    result.stderr,
    `sockchat: Cannot connect to "127.0.0.1:${port}": connection refused\n`,
  );
  const events = result.stdoutText.trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(events.length, 1);
  assert.equal(events[0].type, "error");
  assert.equal(events[0].exitCode, 1);
});

Deno.test("client ↔ server --mode pipe moves 1 MiB each way byte-exactly", async () => {
  await pipeExchange({ size: 1 << 20, timeoutMs: 20_000 });
});

Deno.test("an echo server announces its port as a JSON event and echoes bytes back", async () => {
  await using server = spawnCli(["server", "--mode", "echo", "--port", "0", "--json"]);
  const listening = await server.event("listening");
  assert.equal(listening.transport, "tcp");
  assert.equal(listening.host, "127.0.0.1");
  assert.equal(typeof listening.port, "number");
  const payload = utf8("hello from the smoke test\n\u00e9\u2603\n");
  const result = await runCli(["client", "127.0.0.1", String(listening.port)], {
    input: payload,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stdout, payload);
});

Deno.test({
  name: "SIGTERM stops a waiting server cleanly with exit 0 (Unix only: Windows has no SIGTERM)",
  ignore: windows,
  async fn() {
    await using server = spawnCli(["server", "--mode", "pipe", "--port", "0"]);
    await server.listening();
    server.kill("SIGTERM");
    assert.equal(await server.exit(), 0, server.stderr);
  },
});
