import assert from "node:assert/strict";
import { parseNick } from "../../lib/cli/client_command.ts";
import { UsageError } from "../../lib/errors.ts";
import { runCli, runInProcess } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

Deno.test("parseNick() takes one word of printable characters", () => {
  assert.equal(parseNick("alice"), "alice");
  assert.equal(parseNick("zoë_42"), "zoë_42");
  for (const bad of ["", "a b", "tab\there", "esc\x1b", "x\u202e", "n".repeat(65)]) {
    assert.throws(() => parseNick(bad), UsageError, JSON.stringify(bad));
  }
});

Deno.test("client --name with a bad nickname is a usage error before connecting", async () => {
  const result = await runInProcess(["client", "--name", "a b", "127.0.0.1", "1"]);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'sockchat: Invalid --name "a b": expected one word of up to 64 printable characters\n',
  );
});

Deno.test("client --name sends /nick NAME before the piped input", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const served = (async () => {
    const conn = await listener.accept();
    let text = "";
    const buffer = new Uint8Array(1024);
    while (true) {
      const count = await conn.read(buffer);
      if (count === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, count));
    }
    conn.close();
    return text;
  })();
  const result = await runCli(["client", "--name", "bot", "127.0.0.1", String(port)], {
    input: "hello\n",
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await within(served, 5_000, "the server"), "/nick bot\nhello\n");
});
