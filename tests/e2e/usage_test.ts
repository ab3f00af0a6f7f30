/**
 * The command line from the outside, spawned as a user runs it: exit codes of usage
 * errors, `--version` (answered before the CLI loads), and the netcat habits that need a
 * real peer (`HOST:PORT`, `unix:PATH`, `-4`, `-6`, `-w`). The many single-line usage
 * errors are checked in process in tests/cli/usage_errors_test.ts.
 * @module
 */

import assert from "node:assert/strict";
import { runCli } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

const ONE_LINE = /^sockchat: [^\n]+\n$/;

Deno.test("usage errors exit 2 with one line, before any socket opens", async () => {
  const [port, bare, udp] = await Promise.all([
    runCli(["server", "--mode", "echo", "--port", "70000"]),
    runCli([]),
    runCli(["udp"]),
  ]);
  assert.equal(port.code, 2);
  assert.equal(
    port.stderr,
    'sockchat: Invalid port "70000": expected a whole number from 0 to 65535 (--port)\n',
  );
  for (const result of [bare, udp]) {
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, ONE_LINE);
    assert.match(result.stderr, /Missing command: use /);
    assert.equal(result.stdout.length, 0);
  }
});

Deno.test("--version prints sockchat's version, Deno's and the platform; --json an event", async () => {
  const [text, json] = await Promise.all([
    runCli(["--version"]),
    runCli(["--version", "--json"]),
  ]);
  assert.equal(text.code, 0);
  assert.match(text.stdoutText, /^sockchat \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+, [\w-]+\)\n$/);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdoutText).type, "version");
});

/** Accepts one connection and returns what it received until EOF. */
async function receiveOne(listener: Deno.Listener): Promise<string> {
  const conn = await listener.accept();
  let text = "";
  const buffer = new Uint8Array(1024);
  try {
    while (true) {
      const count = await conn.read(buffer);
      if (count === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, count));
    }
  } finally {
    conn.close();
  }
  return text;
}

Deno.test("client takes HOST:PORT, [v6]:PORT and unix:PATH, with -w as --connect-timeout", async () => {
  using v4 = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using v6 = Deno.listen({ hostname: "::1", port: 0 });
  const dir = await Deno.makeTempDir();
  try {
    using unix = Deno.listen({ transport: "unix", path: `${dir}/s.sock` });
    const cases: [Deno.Listener, string[]][] = [
      [v4, ["-w", "5", `127.0.0.1:${v4.addr.port}`]],
      [v6, [`[::1]:${v6.addr.port}`]],
      [unix, [`unix:${dir}/s.sock`]],
      [v4, ["-4", "localhost", String(v4.addr.port)]],
      [v6, ["-6", "::1", String(v6.addr.port)]],
    ];
    for (const [listener, args] of cases) {
      const received = receiveOne(listener);
      const result = await runCli(["client", "--send", "hi", ...args]);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(await within(received, 5_000, args.join(" ")), "hi");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
