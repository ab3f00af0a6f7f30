/**
 * bin/sockchat, the npm package's launcher, run the way npm links it (through a symlink
 * from another directory). tests/dist/npm_install_test.ts runs the same checks on a real
 * `npm pack` + `npm install -g`.
 * @module
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { checkLauncher } from "../_helpers/launcher_checks.ts";

Deno.test("bin/sockchat behind npm's bin symlink is sockchat itself", async (t) => {
  const prefix = await Deno.makeTempDir({ prefix: "sockchat-bin-" });
  try {
    // npm links PREFIX/bin/sockchat -> ../lib/node_modules/sockchat/bin/sockchat.
    await Deno.mkdir(`${prefix}/bin`);
    await Deno.mkdir(`${prefix}/lib/node_modules`, { recursive: true });
    await Deno.symlink(ROOT_DIR, `${prefix}/lib/node_modules/sockchat`);
    await Deno.symlink("../lib/node_modules/sockchat/bin/sockchat", `${prefix}/bin/sockchat`);
    await checkLauncher(t, `${prefix}/bin/sockchat`);
  } finally {
    await Deno.remove(prefix, { recursive: true });
  }
});

Deno.test("bin/sockchat without any Deno says what to do in one line and exits 1", async () => {
  const pkg = await Deno.makeTempDir({ prefix: "sockchat-nodeno-" });
  try {
    await Deno.mkdir(`${pkg}/bin`);
    await Deno.copyFile(`${ROOT_DIR}/bin/sockchat`, `${pkg}/bin/sockchat`);
    const result = await new Deno.Command("/bin/sh", {
      args: [`${pkg}/bin/sockchat`, "--version"],
      env: { PATH: `${pkg}/no-such-dir` },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(result.code, 1);
    assert.equal(new TextDecoder().decode(result.stdout), "");
    assert.equal(
      new TextDecoder().decode(result.stderr),
      `sockchat: Cannot find the Deno runtime: run "npm install" in "${pkg}" (it installs the npm package deno)\n`,
    );
  } finally {
    await Deno.remove(pkg, { recursive: true });
  }
});
