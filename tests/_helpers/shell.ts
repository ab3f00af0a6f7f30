/**
 * Running shell snippets (the recipes in README.md and docs/) the way a user would: `bash -eo pipefail -c`
 * (as CI runners run bash steps) with a `sockchat` command on PATH that runs this
 * checkout (or `SOCKCHAT_BIN`). Every sockchat the snippet starts records its PID, so
 * the test can signal it and nothing outlives the test.
 * @module
 */

import { CliProcess, sockchatArgv, type SpawnOptions } from "./cli.ts";

const ROOT = new URL("../../", import.meta.url);

/** The documents whose recipes the tests run: README.md, CONTRIBUTING.md and docs/*.md. */
export function documents(): URL[] {
  const docs = [...Deno.readDirSync(new URL("docs/", ROOT))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => new URL(`docs/${entry.name}`, ROOT))
    .sort((a, b) => a.href.localeCompare(b.href));
  return [new URL("README.md", ROOT), new URL("CONTRIBUTING.md", ROOT), ...docs];
}

/**
 * The `sh` block that follows `<!-- recipe: NAME -->` in the documents. A recipe may appear
 * in several documents (the README shows some of docs/'s), but only with the same text.
 */
export function recipe(name: string): string {
  const found = new Map<string, string>();
  const pattern = new RegExp(`<!-- recipe: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n`, "g");
  for (const doc of documents()) {
    for (const match of Deno.readTextFileSync(doc).matchAll(pattern)) {
      found.set(doc.pathname.slice(ROOT.pathname.length), match[1]!);
    }
  }
  const texts = new Set(found.values());
  if (texts.size === 0) throw new Error(`No recipe "${name}" in ${documents().length} documents`);
  if (texts.size > 1) {
    throw new Error(`Recipe "${name}" differs between ${[...found.keys()].join(", ")}`);
  }
  return [...texts][0]!;
}

/** Names of every recipe in the documents (each once). */
export function recipeNames(): string[] {
  const names = new Set<string>();
  for (const doc of documents()) {
    const text = Deno.readTextFileSync(doc);
    for (const match of text.matchAll(/<!-- recipe: ([a-z0-9-]+) -->/g)) names.add(match[1]!);
  }
  return [...names];
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
      // It ended by itself: what else the sandbox runs (a receiver still writing out) is
      // not this script's to kill; the sandbox's own disposal still ends leftovers.
      shell.spareOthers();
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
  #killOthers = true;

  constructor(sandbox: ShellSandbox, command: string[], options: SpawnOptions) {
    super([], { ...options, command });
    this.#sandbox = sandbox;
  }

  /** Disposing will not kill the sandbox's other sockchat processes. */
  spareOthers(): void {
    this.#killOthers = false;
  }

  override async [Symbol.asyncDispose](): Promise<void> {
    if (this.#killOthers) this.#sandbox.signalAll("SIGKILL");
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
