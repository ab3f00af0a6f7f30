/**
 * What an installed `sockchat` command must do, checked against any launcher path: the
 * repository's bin/sockchat behind a symlink, or the one npm installed from the tarball.
 * The process must be sockchat itself (signals, exit codes, working directory, output).
 * @module
 */

import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { randomBytes, sha256 } from "./bytes.ts";
import { ChatPeer } from "./chat.ts";
import { concat, spawnPeer } from "./cli.ts";

/** Runs `bin args` to completion in `cwd`; returns exit code and output. */
async function run(bin: string, args: string[], cwd?: string, env: Record<string, string> = {}) {
  await using proc = spawnPeer([bin, ...args], { ...(cwd ? { cwd } : {}), env });
  const code = await proc.exit(20_000);
  return { code, stdout: proc.stdoutText, stderr: proc.stderr };
}

/** Command lines of running processes that contain `marker` (from `ps`). */
function processesWith(marker: string): string[] {
  const { stdout } = new Deno.Command("ps", {
    args: ["-e", "-o", "pid=,args="],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return new TextDecoder().decode(stdout).split("\n").filter((line) => line.includes(marker));
}

function closedPort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/** The steps every `sockchat` launcher passes. */
export async function checkLauncher(t: Deno.TestContext, bin: string): Promise<void> {
  await t.step("--version is sockchat's, with nothing else printed", async () => {
    const result = await run(bin, ["--version"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      `sockchat ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})\n`,
    );
  });

  await t.step("exit codes 1, 2 and 124 come through unchanged", async () => {
    const port = closedPort();
    const refused = await run(bin, ["client", "--send", "x", "127.0.0.1", String(port)]);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      `sockchat: Cannot connect to "127.0.0.1:${port}": connection refused\n`,
    );
    const usage = await run(bin, ["client", "--no-such-option"]);
    assert.equal(usage.code, 2, usage.stderr);
    assert.equal(usage.stderr.split("\n").filter(Boolean).length, 1, usage.stderr);
    const timeout = await run(bin, ["wait", `127.0.0.1:${port}`, "--timeout", "300ms"]);
    assert.equal(timeout.code, 124, timeout.stderr);
  });

  await t.step("a chat round trip through the launched server and client", async () => {
    await using server = spawnPeer([bin, "server", "--port", "0"]);
    const { port } = await server.listening();
    await using alice = await ChatPeer.connect(port);
    await alice.waitFor(/welcome, you are guest1/);
    const bob = await run(bin, [
      "client",
      "--name",
      "bob",
      "--send",
      "hello alice\\n",
      "--expect",
      "welcome",
      "--timeout",
      "10s",
      "127.0.0.1",
      String(port),
    ]);
    assert.equal(bob.code, 0, bob.stderr);
    await alice.waitFor(/<bob> hello alice\n/);
    server.kill("SIGTERM");
    assert.equal(await server.exit(), 0, server.stderr);
  });

  await t.step("`cmd & kill $!` stops sockchat itself: exit 0, nothing left running", async () => {
    const marker = `launcher-kill-${crypto.randomUUID()}`;
    const dir = await Deno.makeTempDir({ prefix: "sockchat-launcher-" });
    try {
      const script = `
"$1" server --port 0 --name "$2" 2>"$3/err" </dev/null & pid=$!
while ! grep -q "listening on" "$3/err"; do
  kill -0 "$pid" 2>/dev/null || { echo "server ended early"; exit 99; }
  sleep 0.02
done
echo "exe $(ps -o comm= -p "$pid")"
kill "$pid"
wait "$pid"
echo "exit $?"
`;
      const result = await run("sh", ["-c", script, "sh", bin, marker.slice(0, 20), dir]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const [exe, exit] = result.stdout.trim().split("\n");
      assert.equal(exe, "exe deno", "the background PID is the Deno process, not a shell");
      assert.equal(exit, "exit 0");
      assert.deepEqual(processesWith(marker.slice(0, 20)), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("a relative --send-file resolves in the caller's directory", async () => {
    const dir = await Deno.makeTempDir({ prefix: "sockchat-launcher-" });
    try {
      const data = randomBytes(300_000);
      await Deno.mkdir(`${dir}/sub`);
      await Deno.writeFile(`${dir}/sub/data.bin`, data);
      using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const received = (async () => {
        using conn = await listener.accept();
        const chunks: Uint8Array[] = [];
        for await (const chunk of conn.readable) chunks.push(chunk);
        return concat(chunks);
      })();
      const args = ["client", "--send-file", "sub/data.bin", "127.0.0.1"];
      const result = await run(bin, [...args, String(listener.addr.port)], dir);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(sha256(await received), sha256(data));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
