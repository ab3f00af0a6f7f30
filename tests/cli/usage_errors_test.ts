/**
 * Usage errors, help and version, run in process through `main()` with in-memory stdio:
 * each case is the exit code and the one line a user sees. (A few real spawns that prove
 * the same exit codes from the outside are in tests/e2e/usage_test.ts.)
 * @module
 */

import assert from "node:assert/strict";
import { runInProcess } from "../_helpers/cli.ts";

const ONE_LINE = /^sockchat: [^\n]+\n$/;

/** Runs `args`, expects exit 2 and one stderr line matching `pattern`; returns the line. */
async function usageError(args: string[], pattern: RegExp | string): Promise<string> {
  const result = await runInProcess(args);
  const label = args.join(" ").slice(0, 100);
  assert.equal(result.code, 2, `${label}: exit ${result.code}; stderr: ${result.stderr}`);
  assert.match(result.stderr, ONE_LINE, label);
  if (typeof pattern === "string") assert.equal(result.stderr, `sockchat: ${pattern}\n`, label);
  else assert.match(result.stderr, pattern, label);
  assert.equal(result.stdout.length, 0, `${label}: nothing on stdout`);
  return result.stderr;
}

Deno.test("bad ports are usage errors naming the value and the option", async () => {
  for (const port of ["65536", "-1", "1.5", "80abc", "0x50", "0"]) {
    const line = await usageError(["client", "--port", port], /\(--port\)\n$/);
    assert.ok(line.includes(`"${port}"`), line);
  }
  await usageError(
    ["server", "--mode", "echo", "--port", "70000"],
    'Invalid port "70000": expected a whole number from 0 to 65535 (--port)',
  );
});

Deno.test("unknown flags, bad values and conflicting options are usage errors", async () => {
  const cases: [string[], RegExp | string][] = [
    [["client", "--bogus"], 'Unknown option "--bogus" (see "sockchat client --help")'],
    [["client", "--timeout", "soon"], /Invalid --timeout "soon"/],
    [["client", "--idle-timeout", "5x"], /Invalid --idle-timeout "5x"/],
    [["client", "--host", "a", "b"], /Give the host once/],
    [["client", "--unix", "/tmp/x", "--port", "80"], /--unix cannot be combined/],
    [["client", "a", "1", "extra"], /^sockchat: Too many arguments: "extra"/],
    [["server", "--mode", "echo", "--keep-open"], /--keep-open only applies to --mode pipe/],
    [["server", "--max-per-ip", "0"], /Invalid --max-per-ip "0": expected a whole number from 1/],
    [["server", "--mode", "echo", "--max-per-ip", "2"], /--max-per-ip only applies to --mode chat/],
    [["server", "9000"], /Too many arguments: "9000": this command takes none/],
    [["client", "-v", "-q"], /--verbose and --quiet/],
    [["client", "--port"], 'Option --port needs a value (PORT) (see "sockchat client --help")'],
    [["client", "--tls=yes"], /Option --tls takes no value/],
    [["wait"], 'Missing TARGET (see "sockchat wait --help")'],
  ];
  for (const [args, pattern] of cases) await usageError(args, pattern);
});

Deno.test("did you mean: mistyped commands, options and choices get a suggestion", async () => {
  await usageError(
    ["clinet"],
    'Unknown command "clinet": did you mean "client"? (see "sockchat --help")',
  );
  await usageError(["nosuchcommand"], 'Unknown command "nosuchcommand" (see "sockchat --help")');
  await usageError(
    ["udp", "sned"],
    'Unknown command "udp sned": did you mean "udp send"? (see "sockchat udp --help")',
  );
  await usageError(
    ["client", "--time-out", "5s"],
    'Unknown option "--time-out": did you mean "--timeout"? (see "sockchat client --help")',
  );
  await usageError(
    ["server", "--mode", "chatt"],
    'Invalid --mode "chatt": expected chat, pipe or echo (did you mean "chat"?) (see "sockchat server --help")',
  );
});

Deno.test("bare sockchat and bare sockchat udp are usage errors on stderr (exit 2, like nc)", async () => {
  await usageError(
    [],
    'Missing command: use "client", "server", "udp", "wait" or "probe" (see "sockchat --help")',
  );
  await usageError(
    ["udp"],
    'Missing command: use "udp send" or "udp recv" (see "sockchat udp --help")',
  );
  await usageError(["udp", "-v"], /Missing command: use "udp send" or "udp recv"/);
});

Deno.test("help COMMAND prints the same help as COMMAND --help", async () => {
  for (const words of [[], ["client"], ["server"], ["udp"], ["udp", "send"], ["udp", "recv"]]) {
    const viaHelp = await runInProcess(["help", ...words]);
    const viaFlag = await runInProcess([...words, "--help"]);
    assert.equal(viaHelp.code, 0, words.join(" "));
    assert.equal(viaHelp.stderr, "");
    assert.equal(viaHelp.stdoutText, viaFlag.stdoutText, words.join(" "));
    assert.match(viaHelp.stdoutText, /^Usage: sockchat /);
  }
  await usageError(["help", "clinet"], /Unknown command "clinet": did you mean "client"\?/);
  await usageError(["help", "client", "extra"], /Too many arguments: "extra"/);
});

Deno.test("--help wins over other mistakes on the same line", async () => {
  const result = await runInProcess(["client", "--bogus", "--port", "x", "--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdoutText, /^Usage: sockchat client /);
});

Deno.test("--version prints text, or one version event with --json", async () => {
  for (const args of [["--version"], ["-V"]]) {
    const result = await runInProcess(args);
    assert.equal(result.code, 0);
    assert.match(result.stdoutText, /^sockchat \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+, [\w-]+\)\n$/);
  }
  for (const args of [["--version", "--json"], ["--json", "-V"]]) {
    const result = await runInProcess(args);
    assert.equal(result.code, 0, result.stderr);
    const event = JSON.parse(result.stdoutText);
    assert.equal(event.type, "version");
    assert.match(event.version, /^\d+\.\d+\.\d+$/);
    assert.equal(event.deno, Deno.version.deno);
    assert.equal(event.target, Deno.build.target);
  }
  await usageError(["--version", "client"], /Option --version goes alone or with --json/);
});

Deno.test("nc flags: -l, -u, -z, -N say what to use instead", async () => {
  await usageError(
    ["client", "-l", "9000"],
    'Option -l is not a sockchat option: to listen, use "sockchat server" (--mode pipe is nc -l)',
  );
  await usageError(["-l"], /Option -l is not a sockchat option: to listen, use "sockchat server"/);
  await usageError(["client", "-u", "h", "53"], /use "sockchat udp send" or "sockchat udp recv"/);
  await usageError(["client", "-zv", "h", "80"], /-z is not a sockchat option: .*sockchat wait/);
  await usageError(["client", "-N", "h", "80"], /half-closes \(FIN\) at the end of stdin/);
  await usageError(["client", "-k", "h", "80"], /--mode pipe --keep-open/);
  await usageError(["client", "-Q"], 'Unknown option "-Q" (see "sockchat client --help")');
});

Deno.test("-4 and -6 are checked against the target before connecting", async () => {
  await usageError(["client", "-4", "-6", "h", "1"], /Options -4 and -6 cannot be used together/);
  await usageError(
    ["client", "-4", "::1", "80"],
    'Option -4 needs an IPv4 address or a host name, not "::1"',
  );
  await usageError(["client", "-6", "127.0.0.1:80"], /Option -6 needs an IPv6 address/);
  await usageError(["client", "-4", "--unix", "/tmp/s"], /-4 needs a TCP target/);
});

Deno.test("malformed hosts are usage errors quoting the value as typed", async () => {
  const cases: [string[], string][] = [
    [["client", "a b", "80"], 'Invalid host "a b": expected a host name or IP address'],
    [["client", "[::1", "80"], 'Invalid host "[::1": expected a host name or IP address'],
    [["client", "unix:"], 'Invalid target "unix:": empty Unix socket path'],
    [
      ["client", "--host", "[::1]:80"],
      'Invalid --host "[::1]:80": expected a host without a port (give the port separately)',
    ],
    [["server", "--host", "a b"], 'Invalid --host "a b": expected a host name or IP address'],
    [
      ["udp", "send", "--host", "[::1", "x"],
      'Invalid --host "[::1": expected a host name or IP address',
    ],
    [
      ["wait", "a b:80"],
      'Invalid host "a b": expected a host name or IP address (target "a b:80")',
    ],
    [
      ["wait", "[::1:80"],
      'Invalid target "[::1:80": expected HOST:PORT, [IPv6]:PORT or unix:PATH',
    ],
    [["wait", "unix:"], 'Invalid target "unix:": empty Unix socket path'],
  ];
  for (const [args, line] of cases) await usageError(args, line);
});

Deno.test("a 70,000-character host gives a short line, cut after 80 characters", async () => {
  const host = "h".repeat(70_000);
  for (const args of [["client", host, "80"], ["wait", `${host}:80`], ["server", "--host", host]]) {
    const line = await usageError(args, /longer than 253 characters/);
    assert.ok(line.length < 300, `${line.length} characters`);
    assert.ok(line.includes(`"${"h".repeat(80)}…"`), line.slice(0, 120));
  }
});

Deno.test("udp: no subcommand, --wait-reply 0 and friends are usage errors", async () => {
  await usageError(["udp", "send", "--wait-reply", "0", "x"], /--wait-reply "0": must be greater/);
  await usageError(["udp", "send", "--tls", "x"], /--tls does not apply to UDP/);
  await usageError(["udp", "recv", "--join-interface", "1.2.3.4"], /--join-interface needs --join/);
  await usageError(["udp", "send", "-w", "1s", "--count", "0", "x"], /needs a finite --count/);
});

Deno.test("--json usage errors put exactly one error event on stdout", async () => {
  const result = await runInProcess(["client", "--json", "--port", "99999"]);
  assert.equal(result.code, 2);
  const lines = result.stdoutText.trim().split("\n");
  assert.equal(lines.length, 1);
  const event = JSON.parse(lines[0]!);
  assert.equal(event.type, "error");
  assert.equal(event.exitCode, 2);
  assert.match(event.message, /Invalid port "99999"/);
  assert.match(result.stderr, ONE_LINE);
});
