/**
 * Spawning sockchat exactly as a user would: the compiled binary from `SOCKCHAT_BIN`
 * when set, otherwise `deno run` with the same permission set (`-P=sockchat`) and
 * config that `deno task start` and `deno task compile` use.
 * @module
 */

import { concatBytes } from "../../lib/bytes.ts";
import { deadlineFor } from "./wait.ts";

const ROOT = new URL("../../", import.meta.url);

/**
 * The V8 flags sockchat runs with, baked into `deno task start`, every compile task and
 * this helper alike (tests/dist/flags_test.ts checks): a 2 MiB young generation keeps a
 * long-running server's memory flat under connection churn (bench/soak/churn.ts) at no
 * measurable cost in chat throughput or latency.
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=2";

/** Absolute path of the repository root. */
export const ROOT_DIR = decodeURIComponent(ROOT.pathname).replace(/\/$/, "");

/** The argv that runs sockchat (program first). */
export function sockchatArgv(args: string[]): string[] {
  const bin = Deno.env.get("SOCKCHAT_BIN");
  if (bin) return [bin, ...args];
  return denoRunArgv(`${ROOT_DIR}/main.ts`, args);
}

/** The argv that runs `script` the way `deno task start` runs sockchat (same permissions). */
export function denoRunArgv(script: string, args: string[]): string[] {
  return [
    Deno.execPath(),
    "run",
    "-q",
    "-P=sockchat",
    V8_FLAGS, // as `deno task start` and the compile tasks

    "--config",
    `${ROOT_DIR}/deno.json`,
    script,
    ...args,
  ];
}

/** Options of `spawnCli`. */
export interface SpawnOptions {
  /** "piped" gives `child.stdin`; "null" gives an empty stdin (EOF at once). */
  stdin?: "piped" | "null";
  env?: Record<string, string>;
  cwd?: string;
  /** Run this argv (program first) instead of sockchat, e.g. a shell around it. */
  command?: string[];
}

/** A running sockchat process with its output collected in the background. */
export class CliProcess implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  #stdout: Uint8Array[] = [];
  #stderr = "";
  #waiters: (() => void)[] = [];
  readonly #collected: Promise<void>;
  #status: Deno.CommandStatus | null = null;
  readonly #statusPromise: Promise<Deno.CommandStatus>;

  /** Spawns sockchat with `args`, or exactly `argv` (program first) when given. */
  constructor(args: string[], options: SpawnOptions = {}, argv?: string[]) {
    const [program, ...rest] = argv ?? options.command ?? sockchatArgv(args);
    this.child = new Deno.Command(program!, {
      args: rest,
      stdin: options.stdin ?? "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }).spawn();
    this.#collected = Promise.all([
      this.#collect(this.child.stdout, (chunk) => this.#stdout.push(chunk)),
      this.#collect(this.child.stderr, (chunk) => {
        this.#stderr += new TextDecoder().decode(chunk, { stream: true });
      }),
    ]).then(() => {});
    this.#statusPromise = this.child.status.then((status) => (this.#status = status));
  }

  async #collect(stream: ReadableStream<Uint8Array>, sink: (chunk: Uint8Array) => void) {
    for await (const chunk of stream) {
      sink(chunk);
      this.#wake();
    }
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Everything written to stdout so far. */
  get stdout(): Uint8Array {
    return concat(this.#stdout);
  }

  /** stdout so far as text. */
  get stdoutText(): string {
    return new TextDecoder().decode(this.stdout);
  }

  /** Everything written to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Waits until `check` returns a value (re-checked on every output chunk). */
  async waitFor<T>(
    check: () => T | undefined | null | false,
    what: string,
    timeoutMs = 10_000,
  ): Promise<T> {
    using timer = deadlineFor(timeoutMs);
    while (true) {
      const value = check();
      if (value !== undefined && value !== null && value !== false) return value;
      if (this.#status !== null && (await this.#settledOutput())) {
        const last = check();
        if (last !== undefined && last !== null && last !== false) return last;
        throw new Error(
          `Process exited (code ${this.#status.code}) before ${what}. stderr: ${this.#stderr}`,
        );
      }
      const woke = new Promise<void>((resolve) => this.#waiters.push(resolve));
      const exited = this.#statusPromise.then(() => {});
      if (await timer.race(Promise.race([woke, exited])) === "timeout") {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}. stderr: ${this.#stderr}`,
        );
      }
    }
  }

  async #settledOutput(): Promise<boolean> {
    await this.#collected;
    return true;
  }

  /** Waits for a stderr line matching `pattern`; returns the match. */
  waitForStderr(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return this.waitFor(() => this.#stderr.match(pattern), `stderr matching ${pattern}`, timeoutMs);
  }

  /** Waits for stdout text matching `pattern`; returns the match. */
  waitForStdout(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return this.waitFor(
      () => this.stdoutText.match(pattern),
      `stdout matching ${pattern}`,
      timeoutMs,
    );
  }

  /** Waits for the readiness line `listening on HOST:PORT` and returns the address. */
  async listening(timeoutMs = 15_000): Promise<{ host: string; port: number }> {
    const match = await this.waitForStderr(
      /listening on (?:\[([^\]\s]+)\]|([^\s:\[]+)):(\d+)/,
      timeoutMs,
    );
    return { host: (match[1] ?? match[2])!, port: Number(match[3]) };
  }

  /** Waits for the first JSON event of `type` on stdout. */
  async event(type: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return await this.waitFor(
      () => this.events().find((e) => e.type === type),
      `a "${type}" event`,
      timeoutMs,
    );
  }

  /** Every complete JSON line on stdout so far. */
  events(): Record<string, unknown>[] {
    return this.stdoutText.split("\n").filter((line) => line.trim() !== "").flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Writes to stdin (requires `stdin: "piped"`). */
  async write(data: Uint8Array | string): Promise<void> {
    const writer = this.child.stdin.getWriter();
    try {
      await writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
    } finally {
      writer.releaseLock();
    }
  }

  /** Closes stdin (EOF for the process). */
  async closeStdin(): Promise<void> {
    try {
      await this.child.stdin.close();
    } catch {
      // already closed
    }
  }

  /** Waits for exit (bounded); returns the exit code, output fully collected. */
  async exit(timeoutMs = 10_000): Promise<number> {
    using timer = deadlineFor(timeoutMs);
    if (await timer.race(this.#statusPromise) === "timeout") {
      throw new Error(`Process did not exit within ${timeoutMs} ms. stderr: ${this.#stderr}`);
    }
    await timer.race(this.#collected);
    return this.#status!.code;
  }

  /** Sends a signal (ignored if the process already exited). */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#status !== null) return;
    try {
      this.child.kill(signal);
    } catch {
      // exited meanwhile
    }
  }

  /** Kills the process if still running and waits for it and its output. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.child.stdin?.close();
    } catch {
      // not piped, or closed already
    }
    if (this.#status === null) this.kill("SIGKILL");
    await this.#statusPromise;
    await this.#collected;
  }
}

/** Spawns sockchat with `args`. Use with `await using`. */
export function spawnCli(args: string[], options: SpawnOptions = {}): CliProcess {
  return new CliProcess(args, options);
}

/** Spawns another program (a peer such as `openssl`) with the same helpers. */
export function spawnPeer(argv: string[], options: SpawnOptions = {}): CliProcess {
  return new CliProcess([], options, argv);
}

/** The outcome of a finished run. */
export interface RunResult {
  code: number;
  stdout: Uint8Array;
  stdoutText: string;
  stderr: string;
}

/** Runs sockchat to completion with `input` on stdin (bounded by `timeoutMs`). */
export async function runCli(
  args: string[],
  options: { input?: Uint8Array | string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunResult> {
  await using proc = spawnCli(args, {
    stdin: options.input === undefined ? "null" : "piped",
    ...(options.env ? { env: options.env } : {}),
  });
  if (options.input !== undefined) {
    await proc.write(options.input).catch(() => {});
    await proc.closeStdin();
  }
  const code = await proc.exit(options.timeoutMs ?? 15_000);
  return { code, stdout: proc.stdout, stdoutText: proc.stdoutText, stderr: proc.stderr };
}

/** Concatenates byte chunks. */
export const concat = concatBytes;

/**
 * Runs sockchat's `main()` in this process with in-memory stdio (no spawn, ~1 ms instead
 * of ~150 ms): for usage errors, help and version, where nothing touches the network.
 * stdin is empty and not a terminal; stderr lines are collected as the process would
 * write them.
 */
export async function runInProcess(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<RunResult> {
  const { main } = await import("../../lib/cli/main.ts");
  const { OrderedWriter } = await import("../../lib/output/writer.ts");
  const chunks: Uint8Array[] = [];
  let stderr = "";
  const env: Record<string, string> = { NO_COLOR: "1", ...options.env };
  const code = await main(args, {
    stdin: { read: () => Promise.resolve(null), isTerminal: () => false },
    stdout: new OrderedWriter({
      write: (data) => {
        chunks.push(data.slice());
        return Promise.resolve(data.length);
      },
    }),
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    stderrLine: (line) => {
      stderr += line + "\n";
    },
    env: (name) => env[name],
    signal: new AbortController().signal,
    dispose: () => {},
  });
  const stdout = concat(chunks);
  return { code, stdout, stdoutText: new TextDecoder().decode(stdout), stderr };
}
