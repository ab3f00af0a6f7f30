import assert from "node:assert/strict";
import { cappedSource, FILE_READ_BYTES, STDIN_READ_BYTES } from "../../lib/net/stdin_source.ts";

Deno.test("cappedSource() never asks the source for more than the cap", async () => {
  const asked: number[] = [];
  const source = cappedSource({
    read: (buf) => {
      asked.push(buf.length);
      buf.fill(7, 0, 3);
      return Promise.resolve(3);
    },
  }, 1000);
  const buf = new Uint8Array(5000);
  assert.equal(await source.read(buf), 3);
  assert.deepEqual([...buf.subarray(0, 4)], [7, 7, 7, 0], "data lands at the start");
  assert.equal(await source.read(new Uint8Array(10)), 3);
  assert.deepEqual(asked, [1000, 10]);
});

Deno.test("stdinReadBytes() reads a regular file in larger pieces than a pipe", async () => {
  const module = new URL("../../lib/net/stdin_source.ts", import.meta.url).href;
  const script = `import { stdinReadBytes } from "${module}"; console.log(stdinReadBytes());`;
  const file = await Deno.makeTempFile();
  try {
    const run = async (shell: string) => {
      const out = await new Deno.Command("sh", {
        args: ["-c", shell, "sh", Deno.execPath(), script, file],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      return Number(new TextDecoder().decode(out.stdout).trim());
    };
    assert.equal(await run(`"$1" eval -q --allow-read "$2" < "$3"`), FILE_READ_BYTES);
    assert.equal(await run(`cat "$3" | "$1" eval -q --allow-read "$2"`), STDIN_READ_BYTES);
    assert.ok(FILE_READ_BYTES > STDIN_READ_BYTES);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("cappedSource() passes end of stream and errors through", async () => {
  const eof = cappedSource({ read: () => Promise.resolve(null) });
  assert.equal(await eof.read(new Uint8Array(1 << 20)), null);
  const failing = cappedSource({ read: () => Promise.reject(new Deno.errors.BrokenPipe("gone")) });
  await assert.rejects(failing.read(new Uint8Array(8)), Deno.errors.BrokenPipe);
});
