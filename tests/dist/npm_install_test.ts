/**
 * The npm package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a
 * temporary prefix (npm's cache first; the npm registry only for what it lacks), then the
 * installed `sockchat` command passes the launcher checks.
 * @module
 */

import assert from "node:assert/strict";
import { ROOT_DIR, spawnPeer } from "../_helpers/cli.ts";
import { checkLauncher } from "../_helpers/launcher_checks.ts";
import { VERSION } from "../../lib/version.ts";
import { findOnPath } from "../../scripts/test_peers.ts";

async function npm(args: string[], cwd: string): Promise<string> {
  assert.ok(findOnPath("npm"), "npm is not on PATH (the tests are run with npm install-test)");
  await using proc = spawnPeer(["npm", ...args], {
    cwd,
    env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
  });
  const code = await proc.exit(180_000);
  assert.equal(code, 0, `npm ${args.join(" ")} failed:\n${proc.stderr}`);
  return proc.stdoutText;
}

/** `sockchat --version` works with a PATH that holds no deno (only what sh may need). */
async function versionWithoutDenoOnPath(bin: string, dir: string): Promise<void> {
  const path = await Deno.makeTempDir({ dir, prefix: "path-" });
  await Deno.symlink(findOnPath("readlink")!, `${path}/readlink`);
  await using proc = spawnPeer([bin, "--version"], { env: { PATH: path } });
  assert.equal(await proc.exit(), 0, proc.stderr);
  assert.equal(proc.stderr, "");
  assert.match(proc.stdoutText, new RegExp(`^sockchat ${VERSION} \\(deno ${Deno.version.deno},`));
}

Deno.test("the README's install from a clone gives a sockchat with its own Deno", async () => {
  const readme = await Deno.readTextFile(`${ROOT_DIR}/README.md`);
  const command = readme.match(/\*\*From a clone\*\*[\s\S]*?```sh\n(\S.*?) +#/)?.[1];
  assert.equal(command, "npm install -g --install-links .");
  const dir = await Deno.makeTempDir({ prefix: "sockchat-npm-" });
  try {
    const prefix = `${dir}/prefix`;
    const args = command!.split(" ").slice(1);
    await npm([...args, "--prefix", prefix, "--prefer-offline", "--no-audit"], ROOT_DIR);
    const installed = `${prefix}/lib/node_modules/sockchat`;
    assert.ok((await Deno.lstat(installed)).isDirectory, "a copy, not a link to the clone");
    await versionWithoutDenoOnPath(`${prefix}/bin/sockchat`, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("npm pack + npm install -g of the tarball gives a working sockchat", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-npm-" });
  try {
    const tarball = (await npm(["pack", "--silent", "--pack-destination", dir], ROOT_DIR)).trim();
    const pkg = JSON.parse(await Deno.readTextFile(`${ROOT_DIR}/package.json`));
    assert.equal(tarball, `sockchat-${pkg.version}.tgz`);
    const prefix = `${dir}/prefix`;
    await npm(
      ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", `${dir}/${tarball}`],
      dir,
    );
    const installed = `${prefix}/lib/node_modules/sockchat`;
    await t.step(
      "the package holds the code, the config, the lock and the man page, and no tests",
      async () => {
        for (
          const file of ["bin/sockchat", "main.ts", "deno.json", "deno.lock", "lib/version.ts"]
        ) {
          await Deno.stat(`${installed}/${file}`);
        }
        await assert.rejects(Deno.stat(`${installed}/tests`));
        assert.ok((await Deno.lstat(`${prefix}/bin/sockchat`)).isSymlink, "npm links the bin");
        const man = await Deno.readTextFile(`${prefix}/share/man/man1/sockchat.1`);
        assert.equal(
          man,
          await Deno.readTextFile(`${ROOT_DIR}/sockchat.1`),
          "npm installs the man page",
        );
      },
    );
    await t.step("it runs the Deno npm installed with it, with no deno on PATH", async () => {
      await versionWithoutDenoOnPath(`${prefix}/bin/sockchat`, dir);
    });
    await checkLauncher(t, `${prefix}/bin/sockchat`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
