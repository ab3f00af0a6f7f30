/**
 * The chat server's console when its stdin and stdout are a terminal: the operator types
 * on the same protected prompt, with the same line editor, as the interactive client
 * (`ChatScreen`, `ScreenKeys`), and the transcript prints above it, so a line arriving
 * never lands in the middle of what the operator is typing. A sent line is not kept on
 * the prompt: it comes back once, as the transcript shows it (`<server> hello`).
 *
 * Keys: Enter sends the line to the room; Ctrl-C stops the server (as SIGINT does);
 * Ctrl-D on an empty line only says how to stop; `/quit` is sent like any line (the room
 * answers). Without a terminal the server reads plain lines from stdin instead.
 * @module
 */

import type { ByteSource } from "../net/stdio.ts";
import type { Terminal } from "../net/terminal.ts";
import type { Colors } from "../output/color.ts";
import { OrderedWriter } from "../output/writer.ts";
import { ChatScreen, type ScreenUpdate } from "./chat_screen.ts";
import { ScreenKeys } from "./screen_keys.ts";

const encoder = new TextEncoder();

/** What the console tells the server. */
export interface ConsoleHooks {
  /** The operator sent a line. */
  line(text: string): void;
  /** Ctrl-C: stop the server. */
  interrupt(): void;
}

/** The keyboard and screen of the console. */
export interface ConsoleIo {
  stdin: ByteSource;
  stdout: OrderedWriter;
  stdoutColors: Colors;
}

/** The operator's prompt on the server's terminal. */
export class OperatorConsole {
  readonly #io: ConsoleIo;
  readonly #terminal: Terminal;
  readonly #hooks: ConsoleHooks;
  readonly #screen: ChatScreen;
  readonly #keys: ScreenKeys;
  readonly #decoder = new TextDecoder();
  /** The transcript's text not yet ended by a newline. */
  #partial = "";
  #raw: Disposable | undefined;
  #resize: Disposable | undefined;
  #closed = false;
  /**
   * Where the transcript writes: each complete line is printed above the prompt, the
   * prompt redrawn after it.
   */
  readonly output: OrderedWriter;

  constructor(io: ConsoleIo, terminal: Terminal, hooks: ConsoleHooks) {
    this.#io = io;
    this.#terminal = terminal;
    this.#hooks = hooks;
    this.#screen = new ChatScreen({
      columns: terminal.columns(),
      colors: io.stdoutColors,
      keepSent: false,
      mayLeave: false,
    });
    this.#keys = new ScreenKeys(io.stdin, this.#screen, (update) => this.#apply(update));
    this.output = new OrderedWriter({
      write: async (data) => {
        await this.#print(data);
        return data.length;
      },
    });
  }

  /** Switches the terminal to raw mode, draws the prompt and starts reading keys. */
  start(): void {
    this.#raw = this.#terminal.enterRaw();
    this.#resize = this.#terminal.watchResize(() => {
      if (!this.#closed) this.#show(this.#screen.resize(this.#terminal.columns()));
    });
    this.#show(this.#screen.start());
    void this.#keys.run();
  }

  /** Prints one line that is ready for the terminal above the prompt (a diagnostic). */
  printLine(line: string): void {
    this.#show(this.#closed ? `${line}\r\n` : this.#screen.print([line]));
  }

  /** Leaves the prompt (a half-typed line stays visible) and restores the terminal. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.output.flush();
    this.#closed = true;
    this.#keys.stop();
    this.#resize?.[Symbol.dispose]();
    this.#show(this.#screen.leave());
    await this.#io.stdout.flush();
    this.#raw?.[Symbol.dispose]();
  }

  #apply(update: ScreenUpdate): void {
    if (this.#closed) return;
    this.#show(update.output);
    for (const action of update.actions) {
      switch (action.kind) {
        case "send":
        case "quit":
          this.#hooks.line(action.line);
          break;
        case "interrupt":
          this.#hooks.interrupt();
          break;
        case "eof":
          this.#show(this.#screen.notice("the server keeps serving: stop it with Ctrl-C"));
          break;
      }
    }
  }

  /** Prints the transcript's complete lines above the prompt (raw mode needs CR LF). */
  #print(data: Uint8Array): Promise<void> {
    const lines = (this.#partial + this.#decoder.decode(data, { stream: true })).split("\n");
    this.#partial = lines.pop() ?? "";
    if (lines.length === 0) return Promise.resolve();
    const text = this.#closed
      ? lines.map((line) => `${line}\r\n`).join("")
      : this.#screen.print(lines);
    return this.#io.stdout.write(encoder.encode(text)).catch(() => {});
  }

  #show(text: string): void {
    if (text !== "") this.#io.stdout.enqueue(encoder.encode(text));
  }
}
