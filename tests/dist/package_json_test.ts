/**
 * package.json agrees with the code: one version, the pinned Deno, a bin that exists.
 * @module
 */

import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";

const ROOT = new URL("../../", import.meta.url);
const pkg = JSON.parse(Deno.readTextFileSync(new URL("package.json", ROOT)));

Deno.test("package.json's version is lib/version.ts's VERSION", () => {
  assert.equal(pkg.version, VERSION);
});

Deno.test("package.json pins the Deno that sockchat is tested with", () => {
  // An optional dependency: Deno does not read optionalDependencies from package.json, so the
  // launcher's frozen deno.lock stays valid (see CONTRIBUTING.md, "The npm package").
  assert.deepEqual(pkg.optionalDependencies, { deno: Deno.version.deno });
  assert.equal(pkg.dependencies, undefined);
});

Deno.test("package.json's bin is the launcher and every file it ships exists", () => {
  assert.deepEqual(pkg.bin, { sockchat: "bin/sockchat" });
  for (const file of pkg.files) Deno.statSync(new URL(file, ROOT));
  for (const page of pkg.man ?? []) Deno.statSync(new URL(page, ROOT));
});
