import assert from "node:assert/strict";
import { CLIENT_COMMAND, clientOptions } from "../../lib/cli/client_command.ts";
import { parseArgv } from "../../lib/cli/parse_argv.ts";
import { UsageError } from "../../lib/errors.ts";

const client = (...argv: string[]) => clientOptions(parseArgv(CLIENT_COMMAND, argv));

Deno.test("client targets: HOST PORT, HOST:PORT, [v6]:PORT, bare IPv6 and unix:PATH", () => {
  assert.deepEqual(client().target, { transport: "tcp", host: "127.0.0.1", port: 12345 });
  assert.deepEqual(client("h", "80").target, { transport: "tcp", host: "h", port: 80 });
  assert.deepEqual(client("127.0.0.1:9").target, { transport: "tcp", host: "127.0.0.1", port: 9 });
  assert.deepEqual(client("[::1]:9").target, { transport: "tcp", host: "::1", port: 9 });
  assert.deepEqual(client("::1", "9").target, { transport: "tcp", host: "::1", port: 9 });
  assert.deepEqual(client("[::1]", "9").target, { transport: "tcp", host: "::1", port: 9 });
  assert.deepEqual(client("h", "-p", "9").target, { transport: "tcp", host: "h", port: 9 });
  assert.deepEqual(client("unix:/tmp/s").target, { transport: "unix", path: "/tmp/s" });
  assert.deepEqual(client("-U", "/tmp/s").target, { transport: "unix", path: "/tmp/s" });
});

Deno.test("client targets: a host or port given twice, or mixed with a Unix socket, is a usage error", () => {
  const cases: [string[], RegExp][] = [
    [["h:1", "2"], /^Give the port once: "h:1" and "2"$/],
    [["h:1", "-p", "2"], /^Give the port once: "h:1" and --port "2"$/],
    [["h", "--host", "g"], /^Give the host once/],
    [["unix:/s", "80"], /cannot be combined with a host or port/],
    [["unix:/s", "-U", "/t"], /Give the Unix socket once/],
    [["h:99999"], /^Invalid port "99999".*\(target "h:99999"\)$/],
    [["h:"], /^Invalid port "".*\(target "h:"\)$/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => client(...argv),
      (e: Error) => e instanceof UsageError && message.test(e.message),
      argv.join(" "),
    );
  }
});

Deno.test("client: -w is --connect-timeout, -4/-6 set the address family", () => {
  assert.equal(client("-w", "5", "h", "1").connectTimeoutMs, 5000);
  assert.equal(client("-4", "h", "1").family, 4);
  assert.equal(client("-6", "h", "1").family, 6);
  assert.equal(client("h", "1").family, undefined);
});
