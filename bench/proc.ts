/**
 * Processes for the bench: every child is spawned in its own process group (`setsid`),
 * tracked, bounded by a timeout, and killed with its whole group when the bench ends or is
 * interrupted, so no `head`, peer or server is ever left behind.
 * @module
 */

/** Options of `ProcessPool.spawn`. */
export interface SpawnOptions {
  stdin?: "null" | "piped";
  stdout?: "null" | "piped";
  stderr?: "null" | "piped";
  cwd?: string;
}

/** A tracked child process. */
export interface Child {
  readonly pid: number;
  readonly process: Deno.ChildProcess;
  /** Resolves with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Kills the whole process group (idempotent). */
  kill(signal?: Deno.Signal): void;
}

/** What `ProcessPool.run` returns. */
export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns and reaps the bench's processes. */
export class ProcessPool {
  #live = new Set<Child>();

  /** Spawns `argv` in a new process group. */
  spawn(argv: string[], options: SpawnOptions = {}): Child {
    const process = new Deno.Command("setsid", {
      args: argv,
      stdin: options.stdin ?? "null",
      stdout: options.stdout ?? "null",
      stderr: options.stderr ?? "null",
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }).spawn();
    const pid = process.pid;
    let exited = false;
    const child: Child = {
      pid,
      process,
      status: process.status.then((status) => {
        exited = true;
        return status;
      }),
      kill: (signal = "SIGKILL") => {
        killGroup(pid, signal);
        if (!exited) {
          try {
            process.kill(signal);
          } catch {
            // already gone
          }
        }
      },
    };
    this.#live.add(child);
    child.status.finally(() => {
      // The group may still hold children (e.g. `head` after `sh` exited).
      killGroup(pid, "SIGKILL");
      this.#live.delete(child);
    });
    return child;
  }

  /** Runs `argv` to completion within `timeoutMs`; collects text output. */
  async run(argv: string[], timeoutMs: number, cwd?: string): Promise<RunOutput> {
    const started = performance.now();
    const child = this.spawn(argv, { stdout: "piped", stderr: "piped", ...(cwd ? { cwd } : {}) });
    const output = Promise.all([
      new Response(child.process.stdout).text(),
      new Response(child.process.stderr).text(),
    ]);
    const status = await waitBounded(child, timeoutMs, argv[0] ?? "process");
    const ms = performance.now() - started;
    const [stdout, stderr] = await output;
    return { code: status.code, stdout, stderr, ms };
  }

  /** Kills every live child and waits for them. */
  async killAll(): Promise<void> {
    const children = [...this.#live];
    for (const child of children) child.kill("SIGKILL");
    await Promise.allSettled(children.map((child) => child.status));
  }
}

/** Waits for `child` to exit; kills it and throws after `timeoutMs`. */
export async function waitBounded(
  child: Child,
  timeoutMs: number,
  what: string,
): Promise<Deno.CommandStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([child.status, timeout]);
    if (result === "timeout") {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`${what} did not finish within ${timeoutMs} ms`);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch {
    // group already empty
  }
}
