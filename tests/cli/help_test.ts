/**
 * The help texts are part of the interface: pinned as golden files, generated from the
 * same definitions the parser uses. Regenerate after a deliberate change with
 * `UPDATE_GOLDEN=1 deno test -P tests/cli/help_test.ts`.
 * @module
 */

import assert from "node:assert/strict";
import { runInProcess } from "../_helpers/cli.ts";

const COMMANDS: [string, string[]][] = [
  ["sockchat", []],
  ["client", ["client"]],
  ["server", ["server"]],
  ["wait", ["wait"]],
  ["probe", ["probe"]],
  ["udp", ["udp"]],
  ["udp_send", ["udp", "send"]],
  ["udp_recv", ["udp", "recv"]],
];

for (const [name, args] of COMMANDS) {
  Deno.test(`help of "${["sockchat", ...args].join(" ")}" matches its golden file`, async () => {
    const result = await runInProcess([...args, "--help"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    const golden = new URL(`./golden/${name}.txt`, import.meta.url);
    if (Deno.env.get("UPDATE_GOLDEN") === "1") {
      await Deno.writeTextFile(golden, result.stdoutText);
    }
    assert.equal(result.stdoutText, await Deno.readTextFile(golden));
  });
}
