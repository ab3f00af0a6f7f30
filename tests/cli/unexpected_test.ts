import assert from "node:assert/strict";
import { denoRunArgv, ROOT_DIR, spawnCli } from "../_helpers/cli.ts";

const FIXTURE = `${ROOT_DIR}/tests/cli/fixtures/stray_error.ts`;

function strayRun(how: string, args: string[]) {
  return spawnCli([], { command: denoRunArgv(FIXTURE, [how, ...args]) });
}

for (const how of ["reject", "throw"]) {
  Deno.test(`an uncaught error (${how}) becomes one line and exit 1, never a stack trace`, async () => {
    await using server = strayRun(how, ["server", "--mode", "echo", "--port", "0"]);
    assert.equal(await server.exit(10_000), 1, server.stderr);
    const lines = server.stderr.trimEnd().split("\n");
    assert.equal(lines.at(-1), "sockchat: planted failure at somewhere (file.ts:1:1)");
    assert.doesNotMatch(server.stderr, /Uncaught|error: |^\s+at /m);
  });
}

Deno.test("an uncaught error with --json is an error event with the exit code", async () => {
  await using server = strayRun("reject", ["server", "--mode", "echo", "--port", "0", "--json"]);
  assert.equal(await server.exit(10_000), 1, server.stderr);
  const { ts: _ts, ...last } = server.events().at(-1) ?? {};
  assert.deepEqual(last, {
    type: "error",
    message: "planted failure at somewhere (file.ts:1:1)",
    exitCode: 1,
  });
});
