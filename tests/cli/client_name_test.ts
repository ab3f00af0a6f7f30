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

/** A one-connection server that says `greeting` first and returns all it received. */
function fakeServer(greeting: string): { port: number; received: Promise<string> } & Disposable {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received = (async () => {
    const conn = await listener.accept();
    if (greeting !== "") await conn.write(new TextEncoder().encode(greeting));
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
  return {
    port: (listener.addr as Deno.NetAddr).port,
    received,
    [Symbol.dispose]: () => listener.close(),
  };
}

Deno.test("client --name sends /nick NAME before the piped input once a sockchat server greeted", async () => {
  const welcome = "<alice> earlier\n* welcome, you are guest2 (2 here). /nick NAME renames you\n";
  using server = fakeServer(welcome);
  const result = await runCli(["client", "--name", "bot", "127.0.0.1", String(server.port)], {
    input: "hello\n",
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await within(server.received, 5_000, "the server"), "/nick bot\nhello\n");
  assert.equal(result.stdoutText, welcome, "what the check read still reaches stdout");
  assert.doesNotMatch(result.stderr, /warning/);
});

Deno.test("client --name sends nothing for the name to a server that does not greet as sockchat", async () => {
  for (const greeting of ["", "Welcome to my server\n"]) {
    using server = fakeServer(greeting);
    const result = await runCli(["client", "--name", "bot", "127.0.0.1", String(server.port)], {
      input: "hello\n",
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await within(server.received, 5_000, "the server"), "hello\n", greeting);
    assert.equal(result.stdoutText, greeting);
    assert.match(
      result.stderr,
      /^sockchat: warning: --name not sent: "127\.0\.0\.1:\d+" did not greet as a sockchat chat server\n$/m,
    );
  }
});
