/// <reference lib="dom" />
/**
 * A real headless Chromium for the web page's tests: Debian's `chromium` driven by
 * `puppeteer-core` over a pipe (no browser download), loaded only here. Every launch gets
 * a fresh profile directory; a missing browser fails the test with the package to
 * install, never skips it.
 *
 * Why puppeteer-core and not playwright-core: playwright-core probes
 * `/proc/sys/fs/binfmt_misc` at import time, which Deno allows only with `--allow-all`;
 * puppeteer-core runs with the tests' own permission set, and loads faster (about
 * 0.2 s and 60 MB against 0.5 s and 110 MB here).
 * @module
 */

import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { requirePeer } from "./peers.ts";

/** Flags that keep Chromium quiet, offline and independent of the machine's profile. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Several tabs at once: background tabs must keep their timers and rendering going.
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

/** A launched browser with its own profile, closed and removed on dispose. */
export class TestBrowser implements AsyncDisposable {
  readonly browser: Browser;
  readonly #profile: string;

  private constructor(browser: Browser, profile: string) {
    this.browser = browser;
    this.#profile = profile;
  }

  /** Launches Debian's `chromium` with a fresh profile. */
  static async launch(options: { ignoreHttpsErrors?: boolean } = {}): Promise<TestBrowser> {
    const executablePath = requirePeer("chromium");
    const profile = await Deno.makeTempDir({ prefix: "sockchat-chromium-" });
    try {
      const browser = await puppeteer.launch({
        executablePath,
        headless: true,
        pipe: true,
        userDataDir: profile,
        args: CHROMIUM_FLAGS,
        acceptInsecureCerts: options.ignoreHttpsErrors ?? false,
        timeout: 30_000,
        protocolTimeout: 20_000,
      });
      return new TestBrowser(browser, profile);
    } catch (error) {
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  /** A new tab. */
  newPage(): Promise<Page> {
    return this.browser.newPage();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.browser.close().catch(() => {});
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

/** What a page did that a test wants to know about. */
export interface PageWatch {
  /** Dialogs (alert, confirm, prompt) the page tried to open: must stay empty. */
  dialogs: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/** Starts recording a page's dialogs (dismissing them) and errors. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { dialogs: [], errors: [] };
  page.on("dialog", (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => watch.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") watch.errors.push(message.text());
  });
  return watch;
}

/** The text of every line on the chat page (time stamps left out). */
export function pageLines(page: Page): Promise<string[]> {
  return page.$$eval("#log .line", (rows) =>
    rows.map((row) =>
      [...row.childNodes]
        .filter((node) => !(node instanceof HTMLElement && node.classList.contains("time")))
        .map((node) => node.textContent ?? "")
        .join("")
    ));
}

/** Waits until some line on the page matches `pattern`; fails after `timeoutMs`. */
export async function waitForLine(
  page: Page,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  try {
    const found = await page.waitForFunction(
      (source: string, flags: string) => {
        const re = new RegExp(source, flags);
        for (const row of document.querySelectorAll("#log .line")) {
          const text = [...row.childNodes]
            .filter((node) => !(node instanceof HTMLElement && node.classList.contains("time")))
            .map((node) => node.textContent ?? "")
            .join("");
          if (re.test(text)) return text;
        }
        return null;
      },
      { timeout: timeoutMs, polling: 50 },
      pattern.source,
      pattern.flags,
    );
    return await found.jsonValue() as string;
  } catch (error) {
    const lines = await pageLines(page).catch(() => []);
    throw new Error(
      `No line matching ${pattern} within ${timeoutMs} ms (${(error as Error).name}). ` +
        `Page:\n${lines.join("\n")}`,
    );
  }
}

/** Puts `text` into the chat input and sends it with Enter (a real key press). */
export async function say(page: Page, text: string): Promise<void> {
  await page.$eval("#line", (input, value) => ((input as HTMLInputElement).value = value), text);
  await page.focus("#line");
  await page.keyboard.press("Enter");
}

/** The chat input's current text. */
export function inputValue(page: Page): Promise<string> {
  return page.$eval("#line", (input) => (input as HTMLInputElement).value);
}
