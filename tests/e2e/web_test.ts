/// <reference lib="dom" />
/**
 * `sockchat server --web` as a user runs it: the real CLI, a real `nc`, and pages in a
 * real headless Chromium (Debian's `chromium`), all in one room.
 */

import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { inputValue, say, TestBrowser, waitForLine, watchPage } from "../_helpers/browser.ts";
import { type CliProcess, spawnCli } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { within } from "../_helpers/wait.ts";

/** Waits for both `listening` lines on stderr; returns the TCP port and the page's URL. */
async function readyText(server: CliProcess): Promise<{ port: number; url: string }> {
  const match = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+)\n(?:.*\n)*listening on [^\n]*, web page (\S+)\n/,
    15_000,
  );
  return { port: Number(match[1]), url: match[2]! };
}

/** Waits for both listening events; returns the TCP port and the page's URL. */
async function ready(server: CliProcess): Promise<{ port: number; url: string }> {
  const events = await server.waitFor(
    () => {
      const found = server.events().filter((event) => event.type === "listening");
      return found.length === 2 ? found : undefined;
    },
    "two listening events",
    15_000,
  );
  const tcp = events.find((event) => event.url === undefined)!;
  const web = events.find((event) => event.url !== undefined)!;
  return { port: tcp.port as number, url: web.url as string };
}

/** `nc 127.0.0.1 PORT` with its output collected. */
class Nc implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #text = "";
  readonly #reading: Promise<void>;

  constructor(port: number) {
    const child = new Deno.Command(requirePeer("nc", "netcat-openbsd"), {
      args: ["127.0.0.1", String(port)],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.child = child;
    this.#writer = child.stdin.getWriter();
    this.#reading = (async () => {
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        this.#text += chunk;
      }
    })();
  }

  get text(): string {
    return this.#text;
  }

  send(line: string): Promise<void> {
    return this.#writer.write(new TextEncoder().encode(line));
  }

  /** Waits until nc's output matches `pattern`; returns the match. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let match: RegExpMatchArray | null;
    while ((match = this.#text.match(pattern)) === null) {
      if (Date.now() > deadline) throw new Error(`nc never got ${pattern}. Got: ${this.#text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return match;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#writer.close().catch(() => {});
    try {
      this.child.kill("SIGTERM");
    } catch {
      // exited already
    }
    await this.child.status;
    await this.#reading.catch(() => {});
  }
}

/** Opens `url` in a new tab and waits for the room's welcome. */
async function join(browser: TestBrowser, url: string, guest: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await waitForLine(page, new RegExp(`^\\* welcome, you are ${guest} `));
  return page;
}

Deno.test("server --web: browsers and nc in one room, in a real Chromium", async (t) => {
  await using browser = await TestBrowser.launch({ ignoreHttpsErrors: true });
  const fresh = async () => {
    for (const page of await browser.browser.pages()) await page.close();
  };

  await t.step("two pages and nc chat both ways; /nick, /msg, /me, /who; JSON events", async () => {
    await using server = spawnCli(["server", "--port", "0", "--web", "0", "--json"]);
    const { port, url } = await ready(server);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const alice = await join(browser, url, "guest1");
    const bob = await join(browser, url, "guest2");
    const watches = [watchPage(alice), watchPage(bob)];
    await using nc = new Nc(port);
    await nc.waitFor(/welcome, you are guest3 /);

    await say(alice, "/nick alice");
    await say(bob, "/nick bob");
    await nc.send("/nick carol\n");
    // A /nick before the newcomer was announced (500 ms) makes it join under that name.
    await waitForLine(alice, /^\* (guest3 is now known as carol|carol joined)$/);
    await nc.waitFor(/\* (guest2 is now known as bob|bob joined)\n/);

    await say(alice, "hi from a browser");
    await nc.waitFor(/<alice> hi from a browser\n/);
    await waitForLine(bob, /^<alice> hi from a browser$/);
    await nc.send("hi from nc\n");
    await waitForLine(alice, /^<carol> hi from nc$/);
    await waitForLine(bob, /^<carol> hi from nc$/);
    await say(bob, "/msg alice psst");
    await waitForLine(alice, /^\*bob\* psst$/);
    await waitForLine(bob, /^-> \*alice\* psst$/);
    await nc.send("/msg bob back at you\n");
    await waitForLine(bob, /^\*carol\* back at you$/);
    await say(alice, "/me waves");
    await nc.waitFor(/\*\* alice waves\n/);
    await say(bob, "/who");
    await waitForLine(bob, /^\* 3 here: .*alice.*bob.*carol|^\* 3 here: /);
    assert.doesNotMatch(nc.text, /psst/, "a private message reaches only its receiver");
    assert.equal(await inputValue(alice), "");
    assert.equal(await alice.evaluate(() => document.activeElement?.id), "line");

    await server.waitFor(
      () => server.events().find((e) => e.type === "message" && e.action === true),
      "the /me event",
    );
    const joined = server.events().filter((e) => e.type === "joined");
    assert.deepEqual(joined.map((e) => e.transport), ["web", "web", "tcp"]);
    assert.ok(joined.every((e) => /^127\.0\.0\.1:\d+$/.test(e.peer as string)));
    const messages = server.events().filter((e) => e.type === "message");
    assert.deepEqual(
      messages.map((e) => `${e.nick}${e.to ? `->${e.to}` : ""}: ${e.text}`),
      [
        "alice: hi from a browser",
        "carol: hi from nc",
        "bob->alice: psst",
        "carol->bob: back at you",
        "alice: waves",
      ],
    );
    assert.deepEqual(watches.flatMap((w) => [...w.dialogs, ...w.errors]), []);
    await screenshot(alice, "laptop");
    await alice.setViewport({ width: 390, height: 720 });
    await screenshot(alice, "phone");
  });

  await fresh();
  await t.step("markup and terminal escapes show as text and run nothing", async () => {
    await using server = spawnCli(["server", "--port", "0", "--web", "0", "--json"]);
    const { port, url } = await ready(server);
    const alice = await join(browser, url, "guest1");
    const watch = watchPage(alice);
    await using nc = new Nc(port);
    await nc.waitFor(/welcome/);
    await nc.send(
      "<img src=x onerror=alert(1)> \x1b[2J\x1b]0;pwned\x07<script>alert(2)</script>\n",
    );
    const line = await waitForLine(alice, /^<guest2> <img/);
    assert.equal(
      line,
      "<guest2> <img src=x onerror=alert(1)> ^[[2J^[]0;pwned^G<script>alert(2)</script>",
    );
    await say(alice, "<img src=y onerror=alert(3)>");
    await nc.waitFor(/<guest1> <img src=y onerror=alert\(3\)>\n/);
    await waitForLine(alice, /^<guest1> <img src=y/);
    const elements = await alice.$$eval("#log img, #log script", (found) => found.length);
    assert.equal(elements, 0, "no element came from chat text");
    assert.equal(await alice.title(), "sockchat", "the title was not changed by an escape");
    assert.deepEqual(watch.dialogs, [], "no dialog opened");
    assert.deepEqual(watch.errors, []);
  });

  await fresh();
  await t.step("the replayed history is marked and dimmed, live lines are not", async () => {
    await using server = spawnCli(["server", "--port", "0", "--web", "0", "--json"]);
    const { port, url } = await ready(server);
    await using nc = new Nc(port);
    await nc.waitFor(/welcome/);
    await nc.send("said before\n");
    await server.waitFor(() => server.events().find((e) => e.type === "message"), "the message");
    const alice = await join(browser, url, "guest2");
    await nc.send("said after\n");
    await waitForLine(alice, /^<guest1> said after$/);
    const rows = await alice.$$eval("#log .line", (found) =>
      found.map((row) => ({
        text: row.querySelector(".text")?.textContent ?? "",
        history: row.classList.contains("history"),
      })));
    assert.deepEqual(rows.filter((row) => row.history).map((row) => row.text), [
      "-- history --",
      "<guest1> said before",
      "-- now --",
    ]);
    assert.ok(rows.some((row) => row.text === "<guest1> said after" && !row.history));
  });

  await fresh();
  await t.step("limits: oversize lines, a full room and --deny apply to the web too", async () => {
    await using server = spawnCli([
      "server",
      "--port",
      "0",
      "--web",
      "0",
      "--json",
      "--max-line",
      "64",
      "--max-clients",
      "2",
      "--deny",
      "127.0.0.2/32",
    ]);
    const { port, url } = await ready(server);
    const alice = await join(browser, url, "guest1");
    await say(alice, "x".repeat(65));
    await waitForLine(alice, /^\* too long: 65 bytes, at most 64: nothing was sent$/);
    assert.equal(await inputValue(alice), "x".repeat(65), "the text stays in the input");

    // A client that is not the page (no such check on its side) is refused by the server.
    const webUrl = url.replace(/^http/, "ws") + "chat";
    const raw = new WebSocket(webUrl);
    await within(new Promise((resolve) => (raw.onopen = resolve)), 5000, "raw WebSocket open");
    await server.waitFor( // announced (it stayed 500 ms), so its leaving is an event
      () => server.events().filter((e) => e.type === "joined").length === 2,
      "the raw WebSocket's joined event",
    );
    const closed = new Promise<CloseEvent>((resolve) => (raw.onclose = resolve));
    raw.send("é".repeat(33));
    assert.equal((await within(closed, 5000, "the refusal")).code, 1009);
    const left = await server.waitFor(
      () => server.events().find((e) => e.type === "left"),
      "the refused member's left event",
    );
    assert.equal(left.reason, "error");

    await using nc = new Nc(port);
    await nc.waitFor(/welcome/);
    const bob = await browser.newPage();
    await bob.goto(url);
    await waitForLine(bob, /^\* server full \(2 clients\): try again later$/);

    // --deny 127.0.0.2: a request from there gets 403.
    using client = Deno.createHttpClient({ localAddress: "127.0.0.2" });
    const response = await fetch(url, { client });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /not allowed/);
  });

  await fresh();
  await t.step(
    "another origin's page is refused; the page reconnects after a restart",
    async () => {
      let server = spawnCli(["server", "--port", "0", "--web", "0"]);
      try {
        const { url } = await readyText(server);
        const webPort = Number(new URL(url).port);
        const alice = await join(browser, url, "guest1");
        await say(alice, "said before the restart");
        await server.waitForStdout(/<guest1> said before the restart\n/);
        assert.match(server.stdoutText, /\* guest1 joined from 127\.0\.0\.1:\d+ \(web\)\n/);

        // A page from another origin (another port here) tries the room's WebSocket.
        const site = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen: () => {} },
          () =>
            new Response(
              `<!doctype html><title>other</title><script>
            const ws = new WebSocket("ws://127.0.0.1:${webPort}/chat");
            ws.onopen = () => (document.title = "opened");
            ws.onclose = (e) => (document.title = "closed " + e.code);
          </script>`,
              { headers: { "content-type": "text/html" } },
            ),
        );
        try {
          const other = await browser.newPage();
          await other.goto(`http://127.0.0.1:${site.addr.port}/`);
          await other.waitForFunction(() => document.title.startsWith("closed"), {
            timeout: 10_000,
          });
          assert.equal(await other.title(), "closed 1006", "the upgrade was refused");
          await other.close();
        } finally {
          await site.shutdown();
        }
        assert.doesNotMatch(server.stdoutText, /guest2/, "nobody else joined");

        server.kill("SIGTERM");
        assert.equal(await server.exit(), 0);
        await waitForLine(alice, /^\* server shutting down$/);
        await alice.waitForFunction(() => document.body.dataset.state === "waiting");
        await server[Symbol.asyncDispose]();

        server = spawnCli(["server", "--port", "0", "--web", `127.0.0.1:${webPort}`, "--json"]);
        const again = await ready(server);
        assert.equal(again.url, url);
        await using nc = new Nc(again.port);
        // nc and the page's reconnect race for the first guest number: either may win.
        const ncName = (await nc.waitFor(/welcome, you are (guest\d+) /))[1];
        await waitForLine(alice, /^\* reconnected as a newcomer/, 20_000);
        await say(alice, "said after the restart");
        const said = await nc.waitFor(/<(guest\d+)> said after the restart\n/);
        assert.notEqual(said[1], ncName, "the page's line, from the page's new name");
        assert.doesNotMatch(nc.text, /before the restart/, "nothing was sent again");
        await server.waitFor(
          () => server.events().find((e) => e.type === "message"),
          "the message event",
        );
        const texts = server.events().filter((e) => e.type === "message").map((e) => e.text);
        assert.deepEqual(texts, ["said after the restart"]);
      } finally {
        await server[Symbol.asyncDispose]();
      }
    },
  );

  await fresh();
  await t.step("--tls serves the page over https and the room over wss", async () => {
    await using server = spawnCli(["server", "--port", "0", "--web", "0", "--tls", "--json"]);
    const { url } = await ready(server);
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const listening = server.events().filter((e) => e.type === "listening");
    assert.equal(listening[0]!.fingerprint, listening[1]!.fingerprint, "one certificate");
    const alice = await join(browser, url, "guest1");
    await say(alice, "over wss");
    await server.waitFor(
      () => server.events().find((e) => e.type === "message" && e.text === "over wss"),
      "the message over wss",
    );
    assert.equal(server.events().find((e) => e.type === "joined")!.transport, "web");
  });
  await fresh();
});

/**
 * Saves a screenshot of `page` as a PNG: into `SOCKCHAT_SCREENSHOTS` when set (to look
 * at), otherwise into a temporary directory that is removed again.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const keep = Deno.env.get("SOCKCHAT_SCREENSHOTS");
  const dir = keep ?? await Deno.makeTempDir({ prefix: "sockchat-shot-" });
  try {
    const path = `${dir}/${name}.png`;
    await page.screenshot({ path: path as `${string}.png` });
    const png = await Deno.readFile(path);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
    assert.ok(png.length > 5_000, `a screenshot with something on it (${png.length} bytes)`);
  } finally {
    if (keep === undefined) await Deno.remove(dir, { recursive: true });
  }
}
