/**
 * The GitHub workflows cannot run here, so these checks pin what they must keep saying:
 * the release matrix builds every compile task with the pinned Deno, tests each binary
 * through SOCKCHAT_BIN, checks the tag against lib/version.ts and publishes SHA256SUMS;
 * CI runs the one gate on every push and pull request. (Text checks: no YAML parser.)
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { RELEASE_TARGETS } from "./deno_config.ts";

const release = Deno.readTextFileSync(`${ROOT_DIR}/.github/workflows/release.yml`);
const ci = Deno.readTextFileSync(`${ROOT_DIR}/.github/workflows/ci.yml`);

function pinnedDeno(): string {
  const pkg = JSON.parse(Deno.readTextFileSync(`${ROOT_DIR}/package.json`));
  const version = pkg.optionalDependencies?.deno;
  assert.match(version ?? "", /^\d+\.\d+\.\d+$/, "package.json pins no exact deno version");
  return version;
}

Deno.test("the release builds with the Deno that package.json pins", () => {
  const version = pinnedDeno();
  assert.match(release, new RegExp(`DENO_VERSION: ${version.replaceAll(".", "\\.")}\\n`));
  assert.match(
    release,
    /uses: denoland\/setup-deno@v\d+\n\s+with:\n\s+deno-version: \$\{\{ env\.DENO_VERSION \}\}/,
  );
});

Deno.test("the release runs on v* tags and checks the tag against lib/version.ts", () => {
  assert.match(release, /\non:\n {2}push:\n {4}tags: \["v\*"\]\n/);
  assert.match(release, /deno run -q --no-prompt scripts\/release_tag\.ts "\$GITHUB_REF_NAME"/);
  assert.match(release, /\n {2}build:\n[\s\S]*?needs: version\n/);
});

Deno.test("the release matrix builds every compile target with its own task", () => {
  for (const [target, { output }] of Object.entries(RELEASE_TARGETS)) {
    const binary = output.replace(/^dist\//, "");
    const entry = new RegExp(
      `- target: ${target}\\n\\s+runner: [\\w.-]+\\n\\s+binary: ${binary.replace(".", "\\.")}\\n`,
    );
    assert.match(release, entry, `matrix entry for ${target}`);
  }
  assert.equal([...release.matchAll(/- target: /g)].length, Object.keys(RELEASE_TARGETS).length);
  assert.match(release, /echo "DENORT_BIN=\$RUNNER_TEMP\/denort\/denort" >> "\$GITHUB_ENV"\n/);
  assert.match(release, /run: deno task compile:\$\{\{ matrix\.target \}\}\n/);
  assert.match(
    release,
    /SOCKCHAT_BIN: \$\{\{ github\.workspace \}\}\/dist\/\$\{\{ matrix\.binary \}\}\n\s+run: deno test -P \$\{\{ matrix\.tests \}\}\n/,
  );
});

Deno.test("the release publishes the binaries, the npm tarball, the man page and SHA256SUMS", () => {
  assert.match(
    release,
    /test "\$\(ls sockchat-linux-\* sockchat-macos-\* sockchat-windows-\* \| wc -l\)" -eq 5\n/,
  );
  assert.match(release, /test "\$\(ls sockchat-\*\.tgz \| wc -l\)" -eq 1\n/);
  assert.match(release, /\n {10}npm pack --pack-destination npm\n {10}cp sockchat\.1 npm\/\n/);
  assert.match(
    release,
    /\n {6}- uses: actions\/upload-artifact@v4\n {8}with:\n {10}name: sockchat-npm\n/,
  );
  assert.match(release, /sha256sum sockchat-\* sockchat\.1 > SHA256SUMS\n/);
  assert.match(
    release,
    /gh release create "\$GITHUB_REF_NAME" dist\/sockchat-\* dist\/sockchat\.1 dist\/SHA256SUMS/,
  );
  assert.match(
    release,
    /scripts\/binary_stats\.ts \\\n\s+\$\{\{ matrix\.target \}\} "dist\/\$\{\{ matrix\.binary \}\}"/,
  );
  assert.match(release, /--notes-file notes\.md/);
  assert.match(
    release,
    /\n {2}publish:\n[\s\S]*?needs: \[build, package\]\n[\s\S]*?contents: write\n/,
  );
});

Deno.test("CI runs deno task ok on every push and pull request, from npm, as root", () => {
  assert.match(ci, /\non:\n {2}push:\n {2}pull_request:\n/);
  assert.match(ci, /\n {4}container: node:\d+-bookworm\n/);
  assert.match(ci, /\n {6}- run: npm install --no-audit --no-fund\n {6}- run: npx deno task ok\n/);
  assert.doesNotMatch(
    ci,
    /setup-deno|apt-get/,
    "Deno comes from package.json, peers from the test task",
  );
});

Deno.test("the release installs the test peers with the test task's own set-up step", () => {
  assert.match(release, /\n {8}run: sudo "\$\(command -v deno\)" task peers\n/);
  assert.doesNotMatch(release, /apt-get install/);
});

Deno.test(".ci/run runs exactly the README's test command", () => {
  const readme = Deno.readTextFileSync(`${ROOT_DIR}/README.md`);
  const command = readme.match(/Run the whole test suite[\s\S]*?```sh\n(.+)\n```/)?.[1];
  assert.equal(command, "npm install-test");
  const run = Deno.readTextFileSync(`${ROOT_DIR}/.ci/run`);
  assert.match(run, /\nnpm install-test <\/dev\/null 2>&1 \| tee "\$log"\n/);
});
