import assert from "node:assert/strict";
import { waitOptions } from "../../lib/cli/wait_command.ts";
import { WAIT_DEFAULT_INTERVAL_MS, WAIT_DEFAULT_TIMEOUT_MS } from "../../lib/commands/wait.ts";

Deno.test("waitOptions() parses every target form, with the documented defaults", () => {
  assert.deepEqual(waitOptions({}, ["db:5432", "[::1]:80", "unix:/run/app.sock"]), {
    targets: [
      { transport: "tcp", host: "db", port: 5432 },
      { transport: "tcp", host: "::1", port: 80 },
      { transport: "unix", path: "/run/app.sock" },
    ],
    timeoutMs: WAIT_DEFAULT_TIMEOUT_MS,
    intervalMs: WAIT_DEFAULT_INTERVAL_MS,
  });
  assert.equal(WAIT_DEFAULT_TIMEOUT_MS, 30_000);
  const custom = waitOptions({ timeout: "2m", interval: "1s" }, ["a:1"]);
  assert.equal(custom.timeoutMs, 120_000);
  assert.equal(custom.intervalMs, 1_000);
});

Deno.test("waitOptions() rejects bad targets and durations as usage errors", () => {
  assert.throws(
    () => waitOptions({}, ["db"]),
    /^UsageError: Invalid target "db": expected HOST:PORT/,
  );
  assert.throws(
    () => waitOptions({}, ["db:99999"]),
    /^UsageError: Invalid port "99999".* \(target "db:99999"\)$/,
  );
  assert.throws(() => waitOptions({}, ["unix:"]), /empty Unix socket path/);
  assert.throws(
    () => waitOptions({ timeout: "0" }, ["a:1"]),
    /Invalid --timeout "0": must be greater than zero/,
  );
  assert.throws(() => waitOptions({}, []), /Give at least one target/);
});
