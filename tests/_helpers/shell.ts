/**
 * Running shell snippets (README recipes) the way a user would: `bash -eo pipefail -c`
 * (as CI runners run bash steps) with a `sockchat` command on PATH that runs this
 * checkout (or `SOCKCHAT_BIN`). Every sockchat the snippet starts records its PID, so
 * the test can signal it and nothing outlives the test.
 * @module
 */

import { CliProcess, sockchatArgv, type SpawnOptions } from "./cli.ts";

const RECIPES = new URL("../../README.md", import.meta.url);

/** The `sh` block that follows `<!-- recipe: NAME -->` in README.md. */
export function recipe(name: string): string {
  const text = Deno.readTextFileSync(RECIPES);
  const match = new RegExp(`<!-- recipe: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n`).exec(
    text,
  );
  if (!match) throw new Error(`No recipe "${name}" in README.md`);
  return match[1]!;
}

/** Names of every recipe in README.md. */
export function recipeNames(): string[] {
  const text = Deno.readTextFileSync(RECIPES);
  return [...text.matchAll(/<!-- recipe: ([a-z0-9-]+) -->/g)].map((m) => m[1]!);
}

/** Replaces each `from` (literally, every occurrence, which must exist) with `to`. */
export function substitute(script: string, replacements: [string, string][]): string {
  let out = script;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`Recipe has no "${from}" to replace:\n${script}`);
    out = out.replaceAll(from, to);
  }
  return out;
}

function quote(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A scratch directory with `bin/sockchat`; dispose to remove it and kill leftovers. */
export class ShellSandbox implements AsyncDisposable {
  readonly dir: string;
  readonly #pidFile: string;

  constructor() {
    this.dir = Deno.makeTempDirSync({ prefix: "sockchat-recipe-" });
    this.#pidFile = `${this.dir}/.pids`;
    Deno.mkdirSync(`${this.dir}/bin`);
    const shim = `${this.dir}/bin/sockchat`;
    Deno.writeTextFileSync(
      shim,
      `#!/bin/sh\necho $$ >> ${quote(this.#pidFile)}\nexec ${
        sockchatArgv([]).map(quote).join(" ")
      } "$@"\n`,
    );
    Deno.chmodSync(shim, 0o755);
  }

  /** PIDs of every sockchat started so far. */
  pids(): number[] {
    try {
      return Deno.readTextFileSync(this.#pidFile).split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Sends `signal` to every sockchat started so far that is still running. */
  signalAll(signal: Deno.Signal): void {
    const marker = sockchatArgv([]).at(-1)!;
    for (const pid of this.pids()) {
      try {
        // Only a process that is still our sockchat (PIDs get reused).
        if (!commandLine(pid).includes(marker)) continue;
        Deno.kill(pid, signal);
      } catch {
        // exited already
      }
    }
  }

  /**
   * Starts `script` under `bash -eo pipefail` in the sandbox (output collected as it
   * comes). Disposing it kills every sockchat the sandbox started, so that no orphan
   * keeps the output pipes open.
   */
  spawn(script: string, env: Record<string, string> = {}): ShellProcess {
    return new ShellProcess(this, ["bash", "-eo", "pipefail", "-c", script], {
      cwd: this.dir,
      env: { PATH: `${this.dir}/bin:${Deno.env.get("PATH") ?? ""}`, ...env },
    });
  }

  /** Runs `script` to completion (bounded; everything it started is killed on timeout). */
  async run(
    script: string,
    options: { env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ShellResult> {
    await using shell = this.spawn(script, options.env);
    try {
      const code = await shell.exit(options.timeoutMs ?? 20_000);
      return { code, stdout: shell.stdoutText, stdoutBytes: shell.stdout, stderr: shell.stderr };
    } catch (error) {
      this.signalAll("SIGKILL");
      throw error;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.signalAll("SIGKILL");
    await Deno.remove(this.dir, { recursive: true });
  }
}

/** The outcome of a shell run. */
export interface ShellResult {
  code: number;
  stdout: string;
  stdoutBytes: Uint8Array;
  stderr: string;
}

/** A shell snippet running in a sandbox. */
export class ShellProcess extends CliProcess {
  readonly #sandbox: ShellSandbox;

  constructor(sandbox: ShellSandbox, command: string[], options: SpawnOptions) {
    super([], { ...options, command });
    this.#sandbox = sandbox;
  }

  override async [Symbol.asyncDispose](): Promise<void> {
    this.#sandbox.signalAll("SIGKILL");
    await super[Symbol.asyncDispose]();
  }
}

/** The command line of a running process, or "" (uses `ps`: /proc needs more permissions). */
function commandLine(pid: number): string {
  const { success, stdout } = new Deno.Command("ps", {
    args: ["-o", "args=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return success ? new TextDecoder().decode(stdout) : "";
}
