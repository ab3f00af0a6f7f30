/**
 * The key loop of a terminal screen (the interactive client's and the chat server's
 * console): reads raw key bytes from stdin into a `ChatScreen`, hands each update on, and
 * settles a lone ESC after `ESCAPE_TIMEOUT_MS`.
 * @module
 */

import type { ByteSource } from "../net/stdio.ts";
import type { ChatScreen, ScreenUpdate } from "./chat_screen.ts";
import { ESCAPE_TIMEOUT_MS } from "./key_decoder.ts";

/** Reads keys into a screen until stdin ends or `stop()` is called. */
export class ScreenKeys {
  readonly #stdin: ByteSource;
  readonly #screen: ChatScreen;
  readonly #apply: (update: ScreenUpdate) => void;
  #stopped = false;
  #escapeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(stdin: ByteSource, screen: ChatScreen, apply: (update: ScreenUpdate) => void) {
    this.#stdin = stdin;
    this.#screen = screen;
    this.#apply = apply;
  }

  /** Reads until stdin ends (resolves `"ended"`, also on a read error) or `stop()`. */
  async run(): Promise<"ended" | "stopped"> {
    const buffer = new Uint8Array(4096);
    while (!this.#stopped) {
      let count: number | null;
      try {
        count = await this.#stdin.read(buffer);
      } catch {
        count = null;
      }
      if (this.#stopped) break;
      if (count === null) return "ended";
      this.#apply(this.#screen.input(buffer.subarray(0, count)));
      clearTimeout(this.#escapeTimer);
      if (this.#screen.escapePending) {
        this.#escapeTimer = setTimeout(() => {
          if (!this.#stopped) this.#apply(this.#screen.flushEscape());
        }, ESCAPE_TIMEOUT_MS);
      }
    }
    return "stopped";
  }

  /** Stops handing on keys (a read under way is ignored when it returns). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#escapeTimer);
  }
}
