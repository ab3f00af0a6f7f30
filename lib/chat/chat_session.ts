/**
 * The interactive chat session of `sockchat client` on a terminal. A thin I/O shell around
 * `ChatScreen`: over an open connection it switches the terminal to raw mode, moves key bytes to the
 * screen and submitted lines to the socket, shows received lines above the prompt, runs
 * the timers (lone ESC, quiet flush, idle), and restores the terminal on every way out.
 *
 * Exit codes: `/quit`, Ctrl-D on an empty line, end of stdin and the server closing the
 * connection give 0; Ctrl-C throws InterruptedError (130, as SIGINT does); a reset
 * connection gives 1, `--timeout`/`--idle-timeout` 124, each with its one-line error.
 * @module
 */

import { settleWithin } from "../async.ts";
import { QUIET_FLUSH_MS } from "./line_reader.ts";
import { TextLineSplitter } from "./text_line_splitter.ts";
import { ChatScreen, type ScreenUpdate } from "./chat_screen.ts";
import { ScreenKeys } from "./screen_keys.ts";
import { InterruptedError, TimeoutError } from "../errors.ts";
import type { Endpoint } from "../net/endpoint.ts";
import { netError } from "../net/errors.ts";
import type { ByteSource } from "../net/stdio.ts";
import type { Terminal } from "../net/terminal.ts";
import { formatDuration } from "../duration.ts";
import type { Colors } from "../output/color.ts";
import type { OrderedWriter } from "../output/writer.ts";

/** After `/quit`, how long the client waits for the server's goodbye before it leaves. */
export const QUIT_LINGER_MS = 500;

/** Longest received line shown whole; a longer one is cut (marked) and the rest dropped. */
export const MAX_RECEIVED_LINE = 64 * 1024;

const encoder = new TextEncoder();

/** How a session ended. */
type Ending =
  | { kind: "quit"; line: string }
  | { kind: "eof" | "interrupt" | "closed" | "stdin-ended" | "idle" }
  | { kind: "lost"; error: unknown }
  | { kind: "aborted"; reason: unknown };

/** The keyboard and screen of a session. */
export interface SessionIo {
  stdin: ByteSource;
  stdout: OrderedWriter;
  stdoutColors: Colors;
}

/** One interactive session: the loops, the timers and the ending. */
export class ChatSession {
  readonly #ctx: SessionIo;
  readonly #remote: Endpoint;
  readonly #terminal: Terminal;
  readonly #signal: AbortSignal;
  readonly #idleTimeoutMs: number | undefined;
  readonly #screen: ChatScreen;
  readonly #splitter = new TextLineSplitter(MAX_RECEIVED_LINE);
  #ending: Ending | null = null;
  /** Set once the session is over: late reads and timers do nothing. */
  #stopped = false;
  #onEnd: (ending: Ending) => void = () => {};
  #networkDone: Promise<void> = Promise.resolve();
  #sending: Promise<void> = Promise.resolve();
  #quietTimer: ReturnType<typeof setTimeout> | undefined;
  #keys: ScreenKeys | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param remote the open connection (the caller closes it)
   * @param signal ends the session with its reason (interrupt, `--timeout`)
   * @param idleTimeoutMs `--idle-timeout`
   */
  constructor(
    ctx: SessionIo,
    remote: Endpoint,
    terminal: Terminal,
    signal: AbortSignal,
    idleTimeoutMs: number | undefined,
  ) {
    this.#ctx = ctx;
    this.#remote = remote;
    this.#terminal = terminal;
    this.#signal = signal;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#screen = new ChatScreen({ columns: terminal.columns(), colors: ctx.stdoutColors });
  }

  async run(): Promise<number> {
    const raw = this.#terminal.enterRaw();
    const resize = this.#terminal.watchResize(() => {
      this.#show(this.#screen.resize(this.#terminal.columns()));
    });
    const onAbort = () => this.#end({ kind: "aborted", reason: this.#signal.reason });
    try {
      const ended = new Promise<Ending>((resolve) => (this.#onEnd = resolve));
      this.#show(
        this.#screen.notice(`connected to ${this.#remote.name} (/quit or Ctrl-D to leave)`),
      );
      this.#signal.addEventListener("abort", onAbort, { once: true });
      if (this.#signal.aborted) onAbort();
      this.#touch();
      this.#networkDone = this.#readNetwork();
      void this.#readKeys();
      return await this.#finish(await ended);
    } finally {
      this.#stopped = true;
      this.#signal.removeEventListener("abort", onAbort);
      clearTimeout(this.#quietTimer);
      this.#keys?.stop();
      clearTimeout(this.#idleTimer);
      resize[Symbol.dispose]();
      await this.#ctx.stdout.flush();
      raw[Symbol.dispose]();
    }
  }

  /** Leaves the prompt, says why, and maps the ending to an exit code or an error. */
  async #finish(ending: Ending): Promise<number> {
    const screen = this.#screen;
    switch (ending.kind) {
      case "quit":
        this.#send(ending.line);
        await this.#linger();
        this.#show(screen.leave());
        return 0;
      case "closed":
        this.#show(screen.leave() + screen.finalNotice("connection closed by server"));
        return 0;
      case "eof":
      case "stdin-ended":
        this.#show(screen.leave());
        return 0;
      case "interrupt":
        this.#show(screen.leave());
        throw new InterruptedError(); // the same as SIGINT: the exit table makes it 130
      case "idle":
        this.#show(screen.leave());
        throw new TimeoutError(
          `No traffic with "${this.#remote.name}" for ${
            formatDuration(this.#idleTimeoutMs ?? 0)
          } (--idle-timeout)`,
        );
      case "lost":
        this.#show(screen.leave());
        throw netError("Connection to", this.#remote.name, ending.error);
      case "aborted":
        this.#show(screen.leave());
        throw ending.reason;
    }
  }

  /**
   * After `/quit`: sends the rest, half-closes, and waits for the server to close, still
   * showing its lines; all of it bounded by `QUIT_LINGER_MS` (a server that stopped
   * reading cannot hold the client).
   */
  async #linger(): Promise<void> {
    // A failed half-close means the server is gone: nothing more to wait for.
    const goodbye = this.#sending.then(() => this.#remote.closeWrite()).then(
      () => this.#networkDone,
      () => {},
    );
    await settleWithin(goodbye, QUIT_LINGER_MS);
  }

  #end(ending: Ending): void {
    if (this.#ending !== null) return;
    this.#ending = ending;
    this.#onEnd(ending);
  }

  async #readKeys(): Promise<void> {
    const keys = new ScreenKeys(this.#ctx.stdin, this.#screen, (update) => {
      if (this.#ending === null && !this.#stopped) this.#apply(update);
    });
    this.#keys = keys;
    if (await keys.run() === "ended" && !this.#stopped) this.#end({ kind: "stdin-ended" });
  }

  #apply(update: ScreenUpdate): void {
    this.#show(update.output);
    for (const action of update.actions) {
      if (action.kind === "send") this.#send(action.line);
      else this.#end(action);
    }
  }

  async #readNetwork(): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    while (true) {
      let count: number | null;
      try {
        count = await this.#remote.read(buffer);
      } catch (error) {
        return this.#end({ kind: "lost", error });
      }
      if (this.#stopped) return;
      clearTimeout(this.#quietTimer);
      if (count === null) {
        const last = this.#splitter.end();
        if (last !== null) await this.#write(this.#screen.received([this.#lineText(last)]));
        return this.#end({ kind: "closed" });
      }
      this.#touch();
      const lines = this.#splitter.push(buffer.subarray(0, count)).map((l) => this.#lineText(l));
      // Awaiting the terminal is the backpressure: a flood is read no faster than shown.
      if (lines.length > 0) await this.#write(this.#screen.received(lines));
      if (this.#splitter.hasPartial) {
        // The same quiet moment as the chat server's, for a server's bare `send()`.
        this.#quietTimer = setTimeout(() => {
          const partial = this.#splitter.takePartial();
          if (partial !== null) this.#show(this.#screen.received([this.#lineText(partial)]));
        }, QUIET_FLUSH_MS);
      }
    }
  }

  #lineText(line: { text: string; cut: boolean }): string {
    return line.cut ? `${line.text} [line cut at ${MAX_RECEIVED_LINE} bytes]` : line.text;
  }

  #send(line: string): void {
    const data = encoder.encode(line + "\n");
    this.#touch();
    this.#sending = this.#sending.then(() => this.#remote.write(data)).catch((error) => {
      this.#end({ kind: "lost", error });
    });
  }

  /** Restarts the `--idle-timeout` clock (traffic either way). */
  #touch(): void {
    if (this.#idleTimeoutMs === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#end({ kind: "idle" }), this.#idleTimeoutMs);
  }

  #show(text: string): void {
    if (text !== "") this.#ctx.stdout.enqueue(encoder.encode(text));
  }

  #write(text: string): Promise<void> {
    return this.#ctx.stdout.write(encoder.encode(text)).catch(() => {});
  }
}
