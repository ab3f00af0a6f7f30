import assert from "node:assert/strict";
import { sockchatArgv, spawnCli } from "../_helpers/cli.ts";
import { TmuxSession } from "../_helpers/tmux.ts";
import { within } from "../_helpers/wait.ts";
import { stableColorCode } from "../../lib/output/color.ts";
import { NICK_PALETTE } from "../../lib/output/nick_colors.ts";
import { formatWelcome } from "../../lib/chat/protocol.ts";

const RESTORED = "echo icanon isig opost";

/** A one-connection TCP server in the test: what the client sent, and a way to talk back. */
class TestPeer implements AsyncDisposable {
  readonly listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  conn: Deno.Conn | null = null;
  received = "";
  #reading: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  get port(): number {
    return (this.listener.addr as Deno.NetAddr).port;
  }

  async accept(): Promise<void> {
    this.conn = await within(this.listener.accept(), 20_000, "the client to connect");
    this.#reading = this.#read(this.conn);
  }

  async #read(conn: Deno.Conn): Promise<void> {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    try {
      while (true) {
        const count = await conn.read(buffer);
        if (count === null) break;
        this.received += decoder.decode(buffer.subarray(0, count), { stream: true });
        this.#wake?.();
      }
    } catch {
      // closed by the test
    }
    this.#wake?.();
  }

  /** Waits until the client has sent `text` (bounded). */
  async waitForReceived(text: string): Promise<void> {
    await within(
      (async () => {
        while (!this.received.includes(text)) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      })(),
      10_000,
      `the client to send ${JSON.stringify(text)} (got ${JSON.stringify(this.received)})`,
    );
  }

  async send(text: string): Promise<void> {
    const data = new TextEncoder().encode(text);
    let offset = 0;
    while (offset < data.length) offset += await this.conn!.write(data.subarray(offset));
  }

  closeConn(): void {
    try {
      this.conn?.close();
    } catch {
      // already closed
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closeConn();
    this.listener.close();
    await this.#reading;
  }
}

/** Starts the interactive client against `peer` in tmux and waits until it is ready. */
async function startClient(
  peer: TestPeer,
  extra: string[] = [],
  env: Record<string, string> = { NO_COLOR: "1" },
): Promise<TmuxSession> {
  const argv = sockchatArgv(["client", ...extra, "127.0.0.1", String(peer.port)]);
  const session = await TmuxSession.start(argv, { env });
  try {
    await peer.accept();
    // --name waits for a sockchat server's welcome before it sends /nick.
    if (extra.includes("--name")) await peer.send(`${formatWelcome("guest1", 1)}\n`);
    await session.waitForScreen(/\* connected to 127\.0\.0\.1:\d+ .*\n(\* welcome.*\n)?> ?$/);
  } catch (error) {
    await session[Symbol.asyncDispose]();
    throw error;
  }
  return session;
}

Deno.test("chat client: an incoming line appears above the prompt, the half-typed line stays intact", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer, ["--name", "alice"]);
  await peer.waitForReceived("/nick alice\n");
  await client.type("half typed 日本");
  await client.press("Left", "Left");
  await client.waitForScreen(/^> half typed 日本$/m);
  await peer.send("<bob> hello there\n* carol joined\n");
  const screen = await client.waitForScreen(
    /<bob> hello there\n\* carol joined\n> half typed 日本$/,
  );
  assert.ok(screen.index !== undefined);
  const rows = (await client.screen()).split("\n");
  assert.deepEqual(await client.cursor(), ["> half typed ".length, rows.length - 1]);

  await client.type("X");
  await client.press("End");
  await client.type(" more");
  await client.press("Enter");
  await peer.waitForReceived("half typed X日本 more\n");
  await client.waitForScreen(/^> half typed X日本 more\n> ?$/m);

  await client.press("C-d");
  const { code, tty } = await client.exited();
  assert.equal(code, 0);
  assert.equal(tty, RESTORED);
  assert.doesNotMatch(await client.screen(), /^> ?$/m, "the empty prompt is wiped on exit");
});

Deno.test("chat client: the server going away is announced and the client exits within a second", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer);
  await client.type("unsent words");
  await client.waitForScreen(/^> unsent words$/m);
  const closedAt = performance.now();
  peer.closeConn();
  const { code, tty } = await client.exited(5_000);
  const elapsed = performance.now() - closedAt;
  assert.equal(code, 0);
  assert.equal(tty, RESTORED);
  assert.ok(elapsed < 1_000, `exited ${Math.round(elapsed)} ms after the server closed`);
  assert.match(
    await client.screen(),
    /^> unsent words\n\* connection closed by server\n\[exit 0\]/m,
  );
});

Deno.test("chat client: text without a newline is shown after the quiet moment", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer);
  await client.type("draft");
  const sentAt = performance.now();
  await peer.send("reply without newline");
  await client.waitForScreen(/^reply without newline\n> draft$/m, 5_000);
  const elapsed = performance.now() - sentAt;
  assert.ok(elapsed >= 400, `shown after ${Math.round(elapsed)} ms: too early for a quiet flush`);
  await peer.send(" and its end\n");
  await client.waitForScreen(/^reply without newline\n and its end\n> draft$/m, 5_000);
  await client.press("C-c");
  assert.equal((await client.exited()).code, 130);
});

Deno.test("chat client: escape sequences and forged lines from the server are shown harmlessly", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer);
  await peer.send("first line\n");
  await client.waitForScreen(/^first line$/m);
  await peer.send("\x1b[2J\x1b[Hpwned\r<alice> fake\x1b]0;title\x07\u202eevil\n");
  await client.waitForScreen(/^\^\[\[2J\^\[\[Hpwned\^M<alice> fake\^\[\]0;title\^G\\u202Eevil$/m);
  assert.match(await client.screen(), /^first line$/m, "the screen was not cleared");
  await client.press("C-d");
  assert.equal((await client.exited()).code, 0);
});

Deno.test("chat client: /quit is sent and leaves with 0, Ctrl-C leaves with 130; the terminal is restored", async () => {
  {
    await using peer = new TestPeer();
    await using client = await startClient(peer);
    await client.type("/quit see you");
    await client.press("Enter");
    await peer.waitForReceived("/quit see you\n");
    await peer.send("* bye\n");
    peer.closeConn();
    const { code, tty } = await client.exited();
    assert.deepEqual([code, tty], [0, RESTORED]);
    assert.match(await client.screen(), /^> \/quit see you\n\* bye\n\[exit 0\]/m);
  }
  {
    await using peer = new TestPeer();
    await using client = await startClient(peer);
    await client.type("not sent");
    await client.press("C-c");
    const { code, tty } = await client.exited();
    assert.deepEqual([code, tty], [130, RESTORED]);
    assert.match(await client.screen(), /^> not sent\nsockchat: Interrupted\n\[exit 130\]/m);
    assert.equal(peer.received, "");
  }
});

Deno.test("chat client: history, line editing keys, distinct nickname colours and dimmed replayed history in a real terminal", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer, [], {});
  await client.type("first message");
  await client.press("Enter");
  await peer.waitForReceived("first message\n");
  await client.press("Up");
  await client.waitForScreen(/\n> first message$/);
  await client.press("C-w", "C-a");
  await client.type("my ");
  await client.press("Enter");
  await peer.waitForReceived("my first \n");
  // bob and netcat share a colour by their name's hash: present together, they differ.
  await peer.send("-- history --\n<old> past\n-- now --\n<bob> coloured\n<netcat> too\n");
  assert.equal(stableColorCode("bob"), stableColorCode("netcat"));
  const [bob, netcat] = NICK_PALETTE;
  await client.waitFor(
    (screen) =>
      screen.includes(`\x1b[${bob}mbob`) && screen.includes(`\x1b[${netcat}mnetcat`) &&
      // deno-lint-ignore no-control-regex
      /\x1b\[2m-- history --\n<old> past\n-- now --\n\x1b\[0m/.test(screen),
    `bob in colour ${bob}, netcat in ${netcat}, the history dimmed`,
    10_000,
    true,
  );
  await client.press("C-d");
  assert.equal((await client.exited()).code, 0);
});

Deno.test("chat client: an error ends the session with the terminal restored before its one-line message", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer, ["--timeout", "1500ms"]);
  await client.type("typed");
  const { code, tty } = await client.exited(10_000);
  assert.deepEqual([code, tty], [124, RESTORED]);
  // Raw mode left on would print "\n" without a carriage return: the lines would drift right.
  assert.match(
    await client.screen(),
    /^> typed\nsockchat: Timed out after [^\n]+ \(--timeout\)\n\[exit 124\]/m,
  );
});

Deno.test("chat client: with the sockchat chat server, a message from another user lands above the prompt", async () => {
  await using server = spawnCli(["server", "--port", "0"], { stdin: "piped" });
  const { port } = await server.listening();
  const argv = sockchatArgv(["client", "--name", "alice", "127.0.0.1", String(port)]);
  await using alice = await TmuxSession.start(argv, { env: { NO_COLOR: "1" } });
  await alice.waitForScreen(/is now known as alice\n> ?$/);
  await alice.type("half-typed reply");
  using bob = await Deno.connect({ hostname: "127.0.0.1", port });
  await bob.write(new TextEncoder().encode("/nick bob\nhi alice, 日本語 ok?\n"));
  await alice.waitForScreen(/^<bob> hi alice, 日本語 ok\?\n> half-typed reply$/m);
  await alice.press("Enter");
  const seen = await readUntil(bob, "<alice> half-typed reply\n");
  assert.match(seen, /<alice> half-typed reply\n/);
  await alice.type("/quit");
  await alice.press("Enter");
  const { code, tty } = await alice.exited();
  assert.deepEqual([code, tty], [0, RESTORED]);
  server.kill("SIGINT");
  assert.equal(await server.exit(), 0);
});

/** Reads from `conn` until `text` was seen (bounded). */
async function readUntil(conn: Deno.Conn, text: string): Promise<string> {
  let seen = "";
  const buffer = new Uint8Array(4096);
  await within(
    (async () => {
      while (!seen.includes(text)) {
        const count = await conn.read(buffer);
        if (count === null) break;
        seen += new TextDecoder().decode(buffer.subarray(0, count));
      }
    })(),
    10_000,
    `${JSON.stringify(text)} (got ${JSON.stringify(seen)})`,
  );
  return seen;
}

Deno.test("chat client: a resized terminal gets the prompt redrawn to its new width", async () => {
  await using peer = new TestPeer();
  await using client = await startClient(peer);
  const text = "0123456789".repeat(6) + "END";
  await client.type(text);
  await client.waitForScreen(new RegExp(`^> ${text}$`, "m"));
  await client.tmux("resize-window", "-t", "0", "-x", "40");
  const screen = await client.waitForScreen(/^> (\S+END)$/m);
  assert.equal(screen[1]!.length, 40 - 2 - 1, "the visible tail fills the row but its last column");
  assert.equal(text.endsWith(screen[1]!), true);
  assert.deepEqual((await client.cursor())[0], 39);
  await peer.send("<bob> still fine\n");
  await client.waitForScreen(/^<bob> still fine\n> \S+END$/m);
  await client.press("Enter");
  await peer.waitForReceived(text + "\n");
  await client.press("C-d");
  assert.equal((await client.exited()).code, 0);
});

Deno.test("chat client: with stdout not a terminal, the client stays the byte-exact pipe", async () => {
  await using peer = new TestPeer();
  const argv = sockchatArgv(["client", "127.0.0.1", String(peer.port)]);
  await using client = await TmuxSession.start(argv, { env: { NO_COLOR: "1" }, suffix: "| cat" });
  await peer.accept();
  await client.type("plain line");
  await client.press("Enter");
  await peer.waitForReceived("plain line\n");
  await peer.send("\x1b[1mraw reply\x1b[0m\n");
  await client.waitForScreen(/^raw reply$/m);
  assert.doesNotMatch(await client.screen(), /connected to|^> /m);
  peer.closeConn();
  assert.equal((await client.exited()).code, 0);
});

Deno.test("chat client: SIGHUP, SIGTERM and SIGINT from outside end it with 130 and restore the terminal", async () => {
  for (const signal of ["SIGHUP", "SIGTERM", "SIGINT"] as const) {
    await using peer = new TestPeer();
    await using client = await startClient(peer);
    await client.type("half typed");
    await client.waitForScreen(/^> half typed$/m);
    Deno.kill(await programPid(client), signal);
    const { code, tty } = await client.exited();
    assert.deepEqual([signal, code, tty], [signal, 130, RESTORED]);
    assert.equal(peer.received, "");
  }
});

/** The pid of the program in the pane (the child of the pane's shell). */
async function programPid(session: TmuxSession): Promise<number> {
  const shell = (await session.tmux("display-message", "-p", "-t", "0", "#{pane_pid}")).trim();
  const children = await new Deno.Command("pgrep", { args: ["-P", shell], stdout: "piped" })
    .output();
  const pids = new TextDecoder().decode(children.stdout).trim().split(/\s+/).map(Number);
  assert.equal(pids.length, 1, `children of the pane's shell: ${pids.join(", ")}`);
  return pids[0]!;
}
