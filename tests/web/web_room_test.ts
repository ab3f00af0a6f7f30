/// <reference lib="dom" />
/**
 * The web front in front of a real chat room, over real loopback sockets, with a real
 * headless Chromium: browser members and a TCP member share one room.
 */

import assert from "node:assert/strict";
import { ChatServer } from "../../lib/chat/server.ts";
import { isAllowed } from "../../lib/net/cidr.ts";
import type { ChatEvent } from "../../lib/output/events.ts";
import { serveWeb, type WebFront } from "../../lib/web/web_front.ts";
import {
  inputValue,
  pageLines,
  say,
  TestBrowser,
  waitForLine,
  watchPage,
} from "../_helpers/browser.ts";
import type { Page } from "puppeteer-core";
import { ChatPeer } from "../_helpers/chat.ts";

/** A chat server with a TCP listener and a web front, both on loopback port 0. */
class Room implements AsyncDisposable {
  readonly events: ChatEvent[] = [];
  readonly refused: string[] = [];
  readonly server: ChatServer;
  readonly web: WebFront;
  readonly listener: Deno.TcpListener;
  readonly #accepting: Promise<void>;

  constructor(options: { maxLineBytes?: number; webPort?: number } = {}) {
    const maxLineBytes = options.maxLineBytes ?? 1024;
    this.server = new ChatServer({
      operatorName: "op",
      historySize: 5,
      maxLineBytes,
      maxClients: 10,
      access: { allow: [], deny: [] },
    }, {
      onEvent: (event) => this.events.push(event),
      onOperatorLine: () => {},
      debug: () => {},
    });
    this.web = serveWeb({
      host: "127.0.0.1",
      port: options.webPort ?? 0,
      maxLineBytes,
      mayConnect: (host) => isAllowed({ allow: [], deny: [] }, host),
      onMember: (endpoint, peer) => this.server.accept(endpoint, peer),
      debug: (line) => this.refused.push(line),
    });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const server = this.server;
    this.listener = listener;
    this.#accepting = (async () => {
      for await (const conn of listener) {
        server.accept(conn, {
          name: `127.0.0.1:${(conn.remoteAddr as Deno.NetAddr).port}`,
          host: "127.0.0.1",
        });
      }
    })().catch(() => {});
  }

  get url(): string {
    return `http://127.0.0.1:${this.web.addr.port}/`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.listener.close();
    await this.#accepting;
    await this.server.shutdown();
    await this.web.shutdown();
  }
}

Deno.test("the chat page in a real headless Chromium", async (t) => {
  await using browser = await TestBrowser.launch();
  const fresh = async () => {
    for (const page of await browser.browser.pages()) await page.close();
  };
  await fresh();
  await t.step("two browser pages and a TCP client chat in one room, both ways", async () => {
    await using room = new Room();
    const alice = await browser.newPage();
    const bob = await browser.newPage();
    const watchAlice = watchPage(alice);
    const watchBob = watchPage(bob);
    await alice.goto(room.url);
    await waitForLine(alice, /^\* welcome, you are guest1/);
    await bob.goto(room.url);
    await waitForLine(bob, /^\* welcome, you are guest2/);
    await using carol = await ChatPeer.connect(room.listener.addr.port);
    await carol.waitFor(/welcome, you are guest3/);

    await say(alice, "/nick alice");
    await waitForLine(bob, /^\* guest1 is now known as alice$/);
    await say(bob, "/nick bob");
    await carol.waitFor(/\* guest2 is now known as bob\n/);
    await carol.send("/nick carol\n");
    await waitForLine(alice, /^\* guest3 is now known as carol$/);

    await say(alice, "hello from a browser");
    await carol.waitFor(/<alice> hello from a browser\n/);
    await waitForLine(bob, /^<alice> hello from a browser$/);
    await carol.send("hello from nc\n");
    await waitForLine(alice, /^<carol> hello from nc$/);
    await waitForLine(bob, /^<carol> hello from nc$/);
    await say(bob, "/msg carol psst");
    await carol.waitFor(/\*bob\* psst\n/);
    await waitForLine(bob, /^-> \*carol\* psst$/);
    await say(alice, "/me waves");
    await carol.waitFor(/\*\* alice waves\n/);

    assert.equal(await inputValue(alice), "", "the input is emptied after sending");
    assert.equal(await alice.evaluate(() => document.activeElement?.id), "line", "input has focus");
    assert.equal(await alice.$eval("#state", (state) => state.textContent), "connected as alice");
    assert.ok(
      !(await pageLines(bob)).some((line) => line.includes("psst") && line.startsWith("*")),
    );
    assert.deepEqual([...watchAlice.dialogs, ...watchBob.dialogs], []);
    assert.deepEqual([...watchAlice.errors, ...watchBob.errors], []);
    await screenshot(alice, "laptop");
    await alice.setViewport({ width: 390, height: 720 });
    await screenshot(alice, "phone");
    const joined = room.events.filter((event) => event.type === "joined").map((event) =>
      event.peer
    );
    assert.equal(joined.length, 3);
  });

  await fresh();
  await t.step(
    "markup and terminal escapes from any member show as text and run nothing",
    async () => {
      await using room = new Room();
      const alice = await browser.newPage();
      const bob = await browser.newPage();
      const watches = [watchPage(alice), watchPage(bob)];
      await alice.goto(room.url);
      await waitForLine(alice, /welcome, you are guest1/);
      await bob.goto(room.url);
      await waitForLine(bob, /welcome, you are guest2/);
      await using carol = await ChatPeer.connect(room.listener.addr.port);
      await carol.waitFor(/welcome/);

      await carol.send("<img src=x onerror=alert(1)> \x1b[31mred\x1b]0;title\x07\n");
      await waitForLine(
        alice,
        /^<guest3> <img src=x onerror=alert\(1\)> \^\[\[31mred\^\[\]0;title\^G$/,
      );
      await say(bob, "<script>alert(2)</script><b onmouseover=alert(3)>bold</b>");
      await waitForLine(
        alice,
        /^<guest2> <script>alert\(2\)<\/script><b onmouseover=alert\(3\)>bold<\/b>$/,
      );
      await carol.waitFor(/<guest2> <script>alert\(2\)<\/script>/);
      await say(alice, "/nick <img/src=x/onerror=alert(4)>");
      await waitForLine(alice, /cannot change your nickname/);

      for (const page of [alice, bob]) {
        await page.bringToFront();
        await page.hover("#log .line:last-child");
        const injected = await page.$$eval(
          "#log img, #log script, #log b, #log [onerror]",
          (found) => found.length,
        );
        assert.equal(injected, 0, "no element came from chat text");
      }
      assert.deepEqual(watches.flatMap((watch) => watch.dialogs), [], "no dialog opened");
      assert.deepEqual(watches.flatMap((watch) => watch.errors), []);
    },
  );

  await fresh();
  await t.step("a page from another origin cannot open the room's WebSocket", async () => {
    await using room = new Room();
    const evil = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(
          `<!doctype html><title>evil</title><script>
          const ws = new WebSocket("ws://127.0.0.1:${room.web.addr.port}/chat");
          ws.onopen = () => { document.title = "opened"; };
          ws.onclose = (e) => { document.title = "closed " + e.code; };
        </script>`,
          { headers: { "content-type": "text/html" } },
        ),
    );
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${evil.addr.port}/`);
      await page.waitForFunction(() => document.title.startsWith("closed"), { timeout: 10_000 });
      assert.equal(await page.title(), "closed 1006", "the handshake failed");
      assert.equal(room.server.size, 0);
      assert.deepEqual(room.events, []);
      assert.ok(
        room.refused.some((line) =>
          /Origin "http:\/\/127\.0\.0\.1:\d+" is not this page's/.test(line)
        ),
      );
    } finally {
      await evil.shutdown();
    }
  });

  await fresh();
  await t.step("the page reconnects after a server restart and sends nothing again", async () => {
    const first = new Room();
    const port = first.web.addr.port;
    const alice = await browser.newPage();
    const watch = watchPage(alice);
    await alice.goto(first.url);
    await waitForLine(alice, /welcome, you are guest1/);
    await say(alice, "said before the restart");
    await waitForLine(alice, /^<guest1> said before the restart$/);
    await first[Symbol.asyncDispose]();
    await waitForLine(alice, /^\* server shutting down$/);
    await alice.waitForFunction(() => document.body.dataset.state === "waiting");
    await say(alice, "typed while down");
    await waitForLine(alice, /^\* not connected: nothing was sent/);
    assert.equal(await inputValue(alice), "typed while down", "unsent text stays in the input");

    await using second = new Room({ webPort: port });
    await using carol = await ChatPeer.connect(second.listener.addr.port);
    await carol.waitFor(/welcome, you are guest1/);
    await waitForLine(alice, /^\* reconnected as a newcomer/, 15_000);
    await carol.waitFor(/\* guest2 joined\n/);
    await alice.$eval("#line", (input) => ((input as HTMLInputElement).value = ""));
    await say(alice, "said after the restart");
    await carol.waitFor(/<guest2> said after the restart\n/);
    assert.doesNotMatch(carol.text, /before the restart|while down/, "nothing was sent again");
    assert.match(await alice.$eval("#state", (state) => state.textContent ?? ""), /^connected/);
    assert.deepEqual(watch.dialogs, []);
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
