import assert from "node:assert/strict";
import { formatWelcome } from "../../lib/chat/protocol.ts";
import { MAX_RECEIVED_LINE } from "../../lib/chat/chat_session.ts";
import { runChatClient } from "../../lib/commands/client_chat.ts";
import type { CommandContext } from "../../lib/commands/context.ts";
import type { Stdin } from "../../lib/net/stdio.ts";
import { InterruptedError, TimeoutError } from "../../lib/errors.ts";
import type { Terminal } from "../../lib/net/terminal.ts";
import { makeColors } from "../../lib/output/color.ts";
import { Reporter } from "../../lib/output/reporter.ts";
import { OrderedWriter } from "../../lib/output/writer.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { readToEnd } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";
import { VirtualTerminal } from "../_helpers/vt.ts";
import { concatBytes as concat } from "../../lib/bytes.ts";

const encoder = new TextEncoder();

/** A keyboard the test types on. */
class FakeKeyboard implements Stdin {
  #chunks: (Uint8Array | null)[] = [];
  #wake: (() => void) | null = null;
  #started = Promise.withResolvers<void>();
  /** Resolves once the session reads the keyboard: it is running, the terminal is raw. */
  readonly reading = this.#started.promise;
  isTerminal = () => true;
  type(text: string | null): void {
    this.#chunks.push(text === null ? null : encoder.encode(text));
    this.#wake?.();
  }
  async read(buffer: Uint8Array): Promise<number | null> {
    this.#started.resolve();
    while (this.#chunks.length === 0) await new Promise<void>((r) => (this.#wake = r));
    const chunk = this.#chunks.shift()!;
    if (chunk === null) return null;
    buffer.set(chunk);
    return chunk.length;
  }
}

/** A terminal that records raw mode. */
class FakeTerminal implements Terminal {
  log: string[] = [];
  columns = () => 40;
  enterRaw(): Disposable {
    this.log.push("raw");
    return { [Symbol.dispose]: () => void this.log.push("restored") };
  }
  watchResize(): Disposable {
    this.log.push("watch");
    return { [Symbol.dispose]: () => void this.log.push("unwatched") };
  }
}

interface Harness extends AsyncDisposable {
  keyboard: FakeKeyboard;
  terminal: FakeTerminal;
  controller: AbortController;
  server: Promise<Deno.Conn>;
  screen(): VirtualTerminal;
  output(): string;
  run: Promise<number>;
}

function context() {
  const chunks: Uint8Array[] = [];
  const stdout = new OrderedWriter({
    write: (p) => {
      chunks.push(p.slice());
      return Promise.resolve(p.length);
    },
  });
  const controller = new AbortController();
  const ctx: CommandContext = {
    reporter: new Reporter({
      json: false,
      verbosity: "normal",
      colors: makeColors(false),
      stdout,
      stderrLine: () => {},
    }),
    stdin: new FakeKeyboard(),
    stdout,
    stdoutIsTerminal: true,
    stdoutColors: makeColors(false),
    stderrLine: () => {},
    signal: controller.signal,
  };
  return { ctx, controller, output: () => new TextDecoder().decode(concat(chunks)) };
}

function harness(options: { timeoutMs?: number; name?: string } = {}): Harness {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { ctx, controller, output } = context();
  const keyboard = ctx.stdin as FakeKeyboard;
  const terminal = new FakeTerminal();
  const port = (listener.addr as Deno.NetAddr).port;
  const server = listener.accept();
  const run = runChatClient(
    { target: { transport: "tcp", host: "127.0.0.1", port }, ...options },
    ctx,
    terminal,
  );
  run.catch(() => {});
  return {
    keyboard,
    terminal,
    controller,
    server,
    run,
    output,
    screen: () => new VirtualTerminal(40, 12).write(output()),
    async [Symbol.asyncDispose]() {
      await run.catch(() => {});
      (await server).close();
      listener.close();
    },
  };
}

async function readAll(conn: Deno.Conn): Promise<string> {
  return new TextDecoder().decode(await readToEnd(conn));
}

const RESTORED = ["raw", "watch", "unwatched", "restored"];

Deno.test("runChatClient() sends --name first (once greeted), then typed lines; Ctrl-D leaves with 0", async () => {
  await using h = harness({ name: "alice" });
  const conn = await h.server;
  const received = readAll(conn);
  await conn.write(encoder.encode(`${formatWelcome("guest1", 1)}\n`));
  h.keyboard.type("hello\r");
  h.keyboard.type("wor");
  h.keyboard.type("ld\r\x04");
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  assert.equal(await received, "/nick alice\nhello\nworld\n");
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() Ctrl-C throws InterruptedError (exit 130) and restores the terminal", async () => {
  await using h = harness();
  await h.server;
  h.keyboard.type("half\x03");
  await assert.rejects(within(h.run, 5_000, "exit"), InterruptedError);
  assert.deepEqual(h.terminal.log, RESTORED);
  assert.match(h.screen().lines().join("\n"), /^> half$/m);
});

Deno.test("runChatClient() /quit sends the line, waits for the goodbye, exits 0", async () => {
  await using h = harness();
  const conn = await h.server;
  h.keyboard.type("/quit bye\r");
  const buffer = new Uint8Array(64);
  const count = await conn.read(buffer);
  assert.equal(new TextDecoder().decode(buffer.subarray(0, count ?? 0)), "/quit bye\n");
  await conn.write(encoder.encode("* you left\n"));
  conn.closeWrite();
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  assert.deepEqual(h.screen().lines().slice(-2), ["> /quit bye", "* you left"]);
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() /quit leaves after a bounded wait when the server stays", async () => {
  await using h = harness();
  await h.server;
  const started = performance.now();
  h.keyboard.type("/quit\r");
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  assert.ok(performance.now() - started < 2_000);
});

Deno.test("runChatClient() shows received lines and says when the server closes", async () => {
  await using h = harness();
  const conn = await h.server;
  h.keyboard.type("draft");
  await conn.write(encoder.encode("<bob> hi\nlast words without newline"));
  conn.closeWrite();
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  assert.deepEqual(h.screen().lines().slice(-4), [
    "<bob> hi",
    "last words without newline",
    "> draft",
    "* connection closed by server",
  ]);
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() end of stdin leaves with 0", async () => {
  await using h = harness();
  await h.server;
  h.keyboard.type(null);
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() an interrupt signal throws InterruptedError after restoring", async () => {
  await using h = harness();
  await h.keyboard.reading;
  h.keyboard.type("x");
  h.controller.abort(new InterruptedError());
  await assert.rejects(within(h.run, 5_000, "exit"), InterruptedError);
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() --timeout throws TimeoutError after restoring", async () => {
  await using h = harness({ timeoutMs: 200 });
  await h.server;
  await assert.rejects(within(h.run, 5_000, "exit"), TimeoutError);
  assert.deepEqual(h.terminal.log, RESTORED);
});

Deno.test("runChatClient() cuts an over-long received line and marks it", async () => {
  await using h = harness();
  const conn = await h.server;
  const data = encoder.encode(`${"x".repeat(MAX_RECEIVED_LINE + 100)}\nafter\n`);
  let written = 0;
  while (written < data.length) written += await conn.write(data.subarray(written));
  await conn.closeWrite();
  assert.equal(await within(h.run, 5_000, "exit"), 0);
  const output = h.output();
  assert.ok(
    output.includes(
      `${"x".repeat(MAX_RECEIVED_LINE)} [line cut at ${MAX_RECEIVED_LINE} bytes]\r\n`,
    ),
  );
  assert.ok(!output.includes("x".repeat(MAX_RECEIVED_LINE + 1)));
  assert.ok(output.includes("\r\x1b[2Kafter\r\n"), JSON.stringify(output));
});

Deno.test("runChatClient() a reset connection is an error after restoring the terminal", async () => {
  const script = [
    "import socket, struct, sys",
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)",
    "print(s.getsockname()[1], flush=True)",
    "c, _ = s.accept(); c.recv(100)",
    "c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close()",
  ].join("\n");
  const child = new Deno.Command(requirePeer("python3"), {
    args: ["-c", script],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    const first = await within(reader.read(), 10_000, "python's port");
    reader.releaseLock();
    const port = Number(new TextDecoder().decode(first.value).trim());
    const { ctx } = context();
    const terminal = new FakeTerminal();
    const keyboard = ctx.stdin as FakeKeyboard;
    const run = runChatClient(
      { target: { transport: "tcp", host: "127.0.0.1", port } },
      ctx,
      terminal,
    );
    keyboard.type("trigger\r");
    await assert.rejects(within(run, 5_000, "exit"), /Connection to "127\.0\.0\.1:\d+": .*reset/i);
    assert.deepEqual(terminal.log, RESTORED);
  } finally {
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});
