import assert from "node:assert/strict";
import { ExitCode, reportFor } from "../../lib/cli/exit_codes.ts";
import { ExpectError, InterruptedError, TimeoutError, UsageError } from "../../lib/errors.ts";
import { DnsError, netError } from "../../lib/net/errors.ts";

Deno.test("reportFor() maps each error class to its documented exit code", () => {
  assert.equal(reportFor(new UsageError("x")).exitCode, ExitCode.usage);
  assert.equal(reportFor(new TimeoutError("x")).exitCode, 124);
  assert.equal(reportFor(new ExpectError("x")).exitCode, 3);
  assert.equal(reportFor(new InterruptedError()).exitCode, 130);
  assert.equal(reportFor(new DnsError("x")).exitCode, 1);
  assert.equal(reportFor(new Deno.errors.ConnectionRefused("x")).exitCode, 1);
  assert.equal(reportFor(new Error("x")).exitCode, 1);
  assert.equal(reportFor("a string").exitCode, 1);
});

Deno.test("reportFor() makes multi-line messages one line", () => {
  assert.equal(reportFor(new Error("first\n  second\n")).message, "first second");
});

Deno.test("netError() keeps the error class and says what failed and why", () => {
  const error = netError(
    "Cannot connect to",
    "127.0.0.1:1",
    new Deno.errors.ConnectionRefused("os"),
  );
  assert.ok(error instanceof Deno.errors.ConnectionRefused);
  assert.equal(error.message, 'Cannot connect to "127.0.0.1:1": connection refused');
  const dns = netError(
    "Cannot connect to",
    "x.invalid:1",
    new Error("failed to lookup address information: Name or service not known"),
  );
  assert.ok(dns instanceof DnsError);
  assert.match(dns.message, /host not found/);
  const inUse = netError("Cannot listen on", "127.0.0.1:80", new Deno.errors.AddrInUse("os"));
  assert.equal(inUse.message, 'Cannot listen on "127.0.0.1:80": address already in use');
});
