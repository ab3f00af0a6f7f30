/**
 * Reading one client's lines: reads with a small buffer, splits with a length cap (see
 * `TextLineSplitter`), and does the quiet flush — text that arrives without a newline is
 * handed out as a line once the sender has been quiet for `QUIET_FLUSH_MS`, so a client
 * that sends `hello` with a bare `send()` and then waits for a reply gets one. A chat
 * client's telnet commands (a `telnet` user's Ctrl-C) are dropped first (`telnet`).
 * @module
 */

import type { ByteSource } from "../net/stdio.ts";
import { TelnetFilter } from "./telnet_filter.ts";
import { type SplitLine, TextLineSplitter } from "./text_line_splitter.ts";

/** How long a sender must be quiet before text without a newline goes out: 500 ms. */
export const QUIET_FLUSH_MS = 500;

/** Read buffer of an idle or chatty connection: small, since many clients sit idle. */
const SMALL_READ = 1024;
/** Read buffer while a burst fills the small one; dropped again once the burst ends. */
const LARGE_READ = 32 * 1024;

/** Options of `readLines`. */
export interface LineReaderOptions {
  maxLineBytes: number;
  /** Called for every complete (or quiet-flushed, or cut) line. */
  onLine: (line: SplitLine) => void;
  /** Called after every successful read (for idle tracking). */
  onRead?: () => void;
  /** Called after a read's lines were handed out; the next read waits for what it returns. */
  afterLines?: () => Promise<void> | undefined;
  /** The quiet moment; defaults to `QUIET_FLUSH_MS`. */
  quietMs?: number;
  /** Drop telnet commands (`IAC …`, see `TelnetFilter`) before splitting: a chat client's input. */
  telnet?: boolean;
}

/**
 * Reads `source` to its end, calling `onLine` per line; the unfinished rest at end of
 * stream comes out as a last line. Rejects with the read error (reset, closed).
 */
export async function readLines(source: ByteSource, options: LineReaderOptions): Promise<void> {
  const splitter = new TextLineSplitter(options.maxLineBytes);
  const quietMs = options.quietMs ?? QUIET_FLUSH_MS;
  const telnet = options.telnet ? new TelnetFilter() : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flushQuiet = () => {
    timer = undefined;
    const line = splitter.takePartial();
    if (line !== null) options.onLine(line);
  };
  let buffer: Uint8Array = new Uint8Array(SMALL_READ);
  try {
    while (true) {
      const n = await source.read(buffer);
      if (n === null) break;
      options.onRead?.();
      const read = buffer.subarray(0, n);
      const lines = splitter.push(telnet ? telnet.push(read) : read);
      for (const line of lines) options.onLine(line);
      if (lines.length > 0 && options.afterLines) await options.afterLines();
      if (timer !== undefined) clearTimeout(timer);
      timer = splitter.hasPartial ? setTimeout(flushQuiet, quietMs) : undefined;
      buffer = n === buffer.length
        ? (buffer.length === SMALL_READ ? new Uint8Array(LARGE_READ) : buffer)
        : (buffer.length === LARGE_READ && n < SMALL_READ ? new Uint8Array(SMALL_READ) : buffer);
    }
  } finally {
    clearTimeout(timer);
  }
  const last = splitter.end();
  if (last !== null) options.onLine(last);
}
