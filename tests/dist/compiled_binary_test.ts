/**
 * The real thing: with a `denort` runtime base at hand (`DENORT_BIN`, the variable
 * `deno compile` reads instead of downloading one), build sockchat with `deno task
 * compile`'s exact flags and run the end-to-end suite against the executable. Without
 * `DENORT_BIN` this test is reported as ignored, by name: it is the one case that needs
 * something the offline machine does not have (compile_payload_test.ts covers everything
 * up to that step).
 */

import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { ROOT_DIR } from "../_helpers/cli.ts";
import { readDenoConfig, taskWords } from "./deno_config.ts";

const denort = Deno.env.get("DENORT_BIN");

async function run(
  program: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await new Deno.Command(program, {
    args,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

Deno.test({
  name: "compiled binary (needs DENORT_BIN): deno task compile builds it, e2e suite passes",
  ignore: denort === undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "sockchat-binary-" });
    try {
      const exe = `${dir}/sockchat${Deno.build.os === "windows" ? ".exe" : ""}`;
      const words = taskWords(readDenoConfig().tasks["compile"] ?? "");
      const args = words.slice(1).map((w, i, all) => (all[i - 1] === "--output" ? exe : w));
      const build = await run(Deno.execPath(), args, { cwd: ROOT_DIR });
      assert.equal(build.code, 0, `deno ${args.join(" ")}: ${build.stderr}`);

      await t.step("--version from an empty directory", async () => {
        const result = await run(exe, ["--version"], { cwd: dir });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(
          result.stdout,
          `sockchat ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})\n`,
        );
      });

      await t.step("the e2e suite and the smoke suite pass against the binary", async () => {
        const result = await run(
          Deno.execPath(),
          ["test", "-P", "tests/e2e/", "tests/dist/smoke_test.ts"],
          { cwd: ROOT_DIR, env: { SOCKCHAT_BIN: exe } },
        );
        assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /\| [1-9]\d* passed \| 0 failed/);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
