import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { releaseTagProblem } from "../../scripts/release_tag.ts";

Deno.test("releaseTagProblem() accepts v + VERSION and nothing else", () => {
  assert.equal(releaseTagProblem("v0.1.0", "0.1.0"), null);
  assert.equal(releaseTagProblem("v1.2.3-rc.1", "1.2.3-rc.1"), null);
  assert.equal(
    releaseTagProblem("v0.2.0", "0.1.0"),
    `Tag "v0.2.0" does not match lib/version.ts VERSION "0.1.0" (expected "v0.1.0")`,
  );
  assert.match(releaseTagProblem("0.1.0", "0.1.0")!, /does not match/);
  assert.match(releaseTagProblem("vx", "x")!, /not a semantic version/);
});

Deno.test("lib/version.ts's VERSION is a semantic version", () => {
  assert.equal(releaseTagProblem(`v${VERSION}`, VERSION), null);
});

Deno.test("scripts/release_tag.ts fails a mismatched tag with one line and exit 1", async () => {
  const check = (tag: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", "--no-prompt", "scripts/release_tag.ts", tag],
      cwd: ROOT_DIR,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const bad = await check("v999.0.0");
  assert.equal(bad.code, 1);
  assert.equal(
    new TextDecoder().decode(bad.stderr),
    `release: Tag "v999.0.0" does not match lib/version.ts VERSION "${VERSION}" (expected "v${VERSION}")\n`,
  );
  const good = await check(`v${VERSION}`);
  assert.equal(good.code, 0, new TextDecoder().decode(good.stderr));
});
