import assert from "node:assert/strict";
import { runCli } from "../_helpers/cli.ts";

const ONE_LINE = /^sockchat: [^\n]+\n$/;

Deno.test("bad ports are usage errors (exit 2, one line) before any socket opens", async () => {
  for (const port of ["65536", "-1", "1.5", "80abc", "0x50", "0"]) {
    const result = await runCli(["client", "--port", port]);
    assert.equal(result.code, 2, `${port}: ${result.stderr}`);
    assert.match(result.stderr, ONE_LINE, port);
    assert.ok(result.stderr.includes(`"${port}"`), result.stderr);
    assert.equal(result.stdout.length, 0);
  }
  const server = await runCli(["server", "--mode", "echo", "--port", "70000"]);
  assert.equal(server.code, 2);
  assert.equal(
    server.stderr,
    'sockchat: Invalid port "70000": expected a whole number from 0 to 65535 (--port)\n',
  );
});

Deno.test("unknown flags, bad values and conflicting options are usage errors", async () => {
  const cases: [string[], RegExp][] = [
    [["client", "--bogus"], /Unknown option '--bogus'/],
    [["client", "--timeout", "soon"], /Invalid --timeout "soon"/],
    [["client", "--idle-timeout", "5x"], /Invalid --idle-timeout "5x"/],
    [["client", "--host", "a", "b"], /Give the host once/],
    [["client", "--unix", "/tmp/x", "--port", "80"], /--unix cannot be combined/],
    [["client", "a", "1", "extra"], /too many arguments/i],
    [["server", "--mode", "nope"], /nope/],
    [["server", "--mode", "echo", "--keep-open"], /--keep-open only applies to --mode pipe/],
    [["nosuchcommand"], /unknown command/i],
    [["client", "-v", "-q"], /--verbose and --quiet/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, ONE_LINE, args.join(" "));
    assert.match(result.stderr, pattern, args.join(" "));
    assert.doesNotMatch(result.stderr, /Uncaught|at .*\.ts:\d+/);
  }
});

Deno.test("--json usage errors put exactly one error event on stdout", async () => {
  const result = await runCli(["client", "--json", "--port", "99999"]);
  assert.equal(result.code, 2);
  const lines = result.stdoutText.trim().split("\n");
  assert.equal(lines.length, 1);
  const event = JSON.parse(lines[0]!);
  assert.equal(event.type, "error");
  assert.equal(event.exitCode, 2);
  assert.match(event.message, /Invalid port "99999"/);
  assert.match(result.stderr, ONE_LINE);
});

Deno.test("--version prints sockchat's version, Deno's and the platform", async () => {
  const result = await runCli(["--version"]);
  assert.equal(result.code, 0);
  assert.match(result.stdoutText, /^sockchat \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+, [\w-]+\)\n$/);
});

Deno.test("--help of every command exits 0 and shows examples", async () => {
  for (const args of [["--help"], ["client", "--help"], ["server", "--help"]]) {
    const result = await runCli(args);
    assert.equal(result.code, 0, args.join(" "));
    assert.match(result.stdoutText, /Usage: sockchat/);
    assert.match(result.stdoutText, /Examples:/);
    assert.equal(result.stderr, "");
  }
});
