/**
 * The chat server's operator console in a real terminal (tmux): typing while clients
 * talk keeps the half-typed line intact, each sent line shows once, `/msg` once, and
 * Ctrl-C stops the server with the terminal restored. Without a terminal the server
 * keeps reading plain lines (tested in chat_test.ts).
 * @module
 */

import assert from "node:assert/strict";
import { ChatPeer } from "../_helpers/chat.ts";
import { sockchatArgv } from "../_helpers/cli.ts";
import { TmuxSession } from "../_helpers/tmux.ts";

const RESTORED = "echo icanon isig opost";

/** Lines of `screen` that match `pattern`. */
function count(screen: string, pattern: RegExp): number {
  return screen.split("\n").filter((line) => pattern.test(line)).length;
}

Deno.test("server console: typing while clients talk, one echo per line, /msg once, Ctrl-C stops", async () => {
  const argv = sockchatArgv(["server", "--port", "0", "--name", "oper", "--verbose"]);
  await using op = await TmuxSession.start(argv, { env: { NO_COLOR: "1" } });
  const [, port] = await op.waitForScreen(/listening on 127\.0\.0\.1:(\d+)/);
  await op.waitForScreen(/\n> ?$/);
  await using bob = await ChatPeer.connect(Number(port));
  await bob.waitFor(/welcome/);
  await bob.send("/nick bob\n");
  await op.waitForScreen(/\* bob joined from 127\.0\.0\.1:\d+ \(tcp\)\n> ?$/);

  // A line arrives while the operator is half-way through typing: it lands above.
  await op.type("half typed by oper");
  await op.waitForScreen(/\n> half typed by oper$/);
  await bob.send("hello operator\n");
  await op.waitForScreen(/<bob> hello operator\n> half typed by oper$/);
  assert.deepEqual(await op.cursor(), ["> half typed by oper".length, (await rows(op)) - 1]);
  // A diagnostic (--verbose, on stderr: the same terminal) lands above the prompt too.
  const probe = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  probe.close();
  await op.waitForScreen(/\n[^\n]*left before it was announced \(\w+\)\n> half typed by oper$/);

  await op.type("ator");
  await op.press("Enter");
  await bob.waitFor(/<oper> half typed by operator\n/);
  let screen = (await op.waitForScreen(/<oper> half typed by operator\n> ?$/)).input!;
  assert.equal(count(screen, /half typed by operator/), 1, screen);

  await op.type("/msg bob psst");
  await op.press("Enter");
  await bob.waitFor(/\*oper\* psst\n/);
  screen = (await op.waitForScreen(/\*oper -> bob\* psst\n> ?$/)).input!;
  assert.equal(count(screen, /psst/), 1, screen);

  await op.type("/who");
  await op.press("Enter");
  await op.waitForScreen(/\* 1 here: bob; operator: oper\n> ?$/);

  // Ctrl-D on an empty line does not stop the server; Ctrl-C does, with exit 0.
  await op.press("C-d");
  await op.waitForScreen(/keeps serving: stop it with Ctrl-C\n> ?$/);
  await op.type("unsent");
  await op.press("C-c");
  const { code, tty } = await op.exited();
  assert.deepEqual([code, tty], [0, RESTORED]);
  await bob.waitFor(/\* server shutting down\n/);
  assert.match(await op.screen(), /^> unsent$/m, "the half-typed line stays visible");
});

async function rows(session: TmuxSession): Promise<number> {
  return (await session.screen()).split("\n").length;
}
