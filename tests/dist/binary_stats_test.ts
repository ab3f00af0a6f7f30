import assert from "node:assert/strict";
import { measure, median, statsRow } from "../../scripts/binary_stats.ts";

Deno.test("median() of odd and even lists", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

Deno.test("statsRow() formats size in MiB and start-up in ms", () => {
  assert.equal(statsRow("linux-x64", 83_886_080, 41.6), "| linux-x64 | 80.0 MiB | 42 ms |");
});

Deno.test("measure() times a real executable's --version (here: deno itself)", async () => {
  const { bytes, startupMs } = await measure(Deno.execPath(), 3);
  assert.equal(bytes, (await Deno.stat(Deno.execPath())).size);
  assert.ok(startupMs > 0 && startupMs < 10_000, `start-up ${startupMs} ms`);
});

Deno.test({
  name: "measure() fails when --version exits non-zero (a shell script: not on Windows)",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sockchat-stats-" });
    try {
      const broken = `${dir}/broken`;
      await Deno.writeTextFile(broken, "#!/bin/sh\necho broken >&2\nexit 3\n", { mode: 0o755 });
      await assert.rejects(measure(broken, 1), /exited 3: broken/);
      await assert.rejects(measure(`${dir}/missing`, 1), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
