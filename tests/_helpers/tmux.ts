/**
 * Driving an interactive program in a real terminal: a detached tmux session on a
 * private server socket (`tmux -L <unique>`), keys in with `send-keys`, the screen out
 * with `capture-pane`. Screens are polled with bounded waits; disposing kills the tmux
 * server and with it every process in the pane.
 * @module
 */

import { requirePeer } from "./peers.ts";
import { deadlineFor } from "./wait.ts";

let sessions = 0;

/** Quotes one argument for `sh`. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Options of `TmuxSession.start`. */
export interface TmuxOptions {
  columns?: number;
  rows?: number;
  /** Extra environment for the program (e.g. `{ NO_COLOR: "1" }`). */
  env?: Record<string, string>;
  /** Shell text after the program, e.g. `| cat` to make its stdout a pipe. */
  suffix?: string;
}

/** Marks the wrapper prints once the program ended: its exit code and the tty's modes. */
export const EXIT_MARK = /\[exit (\d+)\] \[tty ([^\]]*)\]/;

/** One tmux server with one session running a program. */
export class TmuxSession implements AsyncDisposable {
  readonly socket: string;
  readonly #tmux: string;

  private constructor(socket: string) {
    this.#tmux = requirePeer("tmux");
    this.socket = socket;
  }

  /**
   * Starts `argv` in a new terminal. When it ends, the pane shows
   * `[exit CODE] [tty MODES]` (MODES from `stty -a`: `icanon echo isig opost` when the
   * terminal was restored, `-icanon` etc. when it was left raw) and stays open.
   */
  static async start(argv: string[], options: TmuxOptions = {}): Promise<TmuxSession> {
    const socket = `sockchat-test-${Deno.pid}-${++sessions}-${crypto.randomUUID().slice(0, 8)}`;
    const session = new TmuxSession(socket);
    const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const program = [...env, ...argv.map(shellQuote), options.suffix ?? ""].join(" ");
    const modes =
      "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo|isig|opost)' | sort | " +
      "tr '\\n' ' ' | sed 's/ $//'";
    const script = `${program}; code=$?; printf '[exit %s] [tty %s]\\n' "$code" "$(${modes})"; ` +
      "exec sleep 600";
    await session.tmux(
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-x",
      String(options.columns ?? 100),
      "-y",
      String(options.rows ?? 30),
      "sh",
      "-c",
      script,
    );
    return session;
  }

  /** Runs a tmux command on this session's server; returns stdout. */
  async tmux(...args: string[]): Promise<string> {
    const output = await new Deno.Command(this.#tmux, {
      args: ["-L", this.socket, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`tmux ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`);
    }
    return new TextDecoder().decode(output.stdout);
  }

  /** Types `text` literally. */
  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-t", "0", "-l", text);
  }

  /** Presses keys by tmux name (`Enter`, `C-d`, `Left`, …). */
  async press(...keys: string[]): Promise<void> {
    await this.tmux("send-keys", "-t", "0", ...keys);
  }

  /** The visible screen, rows joined with `\n`, trailing blanks trimmed. */
  async screen(escapes = false): Promise<string> {
    const text = await this.tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", "0");
    return text.replace(/\s+$/, "");
  }

  /** The cursor as `[column, row]`, both from 0. */
  async cursor(): Promise<[number, number]> {
    const text = await this.tmux("display-message", "-p", "-t", "0", "#{cursor_x} #{cursor_y}");
    const [x, y] = text.trim().split(" ").map(Number);
    return [x!, y!];
  }

  /** Polls the screen until `check` returns a value; fails after `timeoutMs`. */
  async waitFor<T>(
    check: (screen: string) => T | undefined | null | false,
    what: string,
    timeoutMs = 20_000,
    escapes = false,
  ): Promise<T> {
    using deadline = deadlineFor(timeoutMs);
    let last = "";
    while (true) {
      last = await this.screen(escapes);
      const value = check(last);
      if (value !== undefined && value !== null && value !== false) return value;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const pause = new Promise<void>((resolve) => (timer = setTimeout(resolve, 25)));
      const outcome = await deadline.race(pause);
      clearTimeout(timer);
      if (outcome === "timeout") {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${last}`);
      }
    }
  }

  /** Waits until the screen matches `pattern`; returns the match. */
  waitForScreen(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return this.waitFor((screen) => screen.match(pattern), `screen matching ${pattern}`, timeoutMs);
  }

  /** Waits for the program to end; returns its exit code and the tty modes after it. */
  async exited(timeoutMs = 20_000): Promise<{ code: number; tty: string }> {
    const match = await this.waitForScreen(EXIT_MARK, timeoutMs);
    return { code: Number(match[1]), tty: match[2]! };
  }

  /** Kills the tmux server and every process in it. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.tmux("kill-server");
    } catch {
      // already gone
    }
  }
}
