/**
 * Reading deno.json's distribution-relevant parts: the tasks that build and run sockchat,
 * split into words, and the compile targets they name. Pure parsing plus one file read.
 * @module
 */

import { ROOT_DIR, V8_FLAGS } from "../_helpers/cli.ts";

/** The parts of deno.json the distribution checks look at. */
export interface DenoConfig {
  tasks: Record<string, string>;
  unstable: string[];
  permissions: Record<string, Record<string, unknown>>;
  imports: Record<string, string>;
}

/** The platforms sockchat is released for: task suffix → Deno target triple and file name. */
export const RELEASE_TARGETS: Readonly<Record<string, { triple: string; output: string }>> = {
  "linux-x64": { triple: "x86_64-unknown-linux-gnu", output: "dist/sockchat-linux-x64" },
  "linux-arm64": { triple: "aarch64-unknown-linux-gnu", output: "dist/sockchat-linux-arm64" },
  "macos-x64": { triple: "x86_64-apple-darwin", output: "dist/sockchat-macos-x64" },
  "macos-arm64": { triple: "aarch64-apple-darwin", output: "dist/sockchat-macos-arm64" },
  "windows-x64": { triple: "x86_64-pc-windows-msvc", output: "dist/sockchat-windows-x64.exe" },
};

/** The name of the permission set every way of running sockchat uses. */
export const PERMISSION_SET = "sockchat";

export { V8_FLAGS };

/** Reads and parses the repository's deno.json. */
export function readDenoConfig(): DenoConfig {
  const raw = JSON.parse(Deno.readTextFileSync(`${ROOT_DIR}/deno.json`)) as Partial<DenoConfig>;
  return {
    tasks: raw.tasks ?? {},
    unstable: raw.unstable ?? [],
    permissions: raw.permissions ?? {},
    imports: raw.imports ?? {},
  };
}

/** Splits a task command into words (tasks here use no quoting, pipes or `&&`). */
export function taskWords(command: string): string[] {
  if (/["'`|&;<>$]/.test(command)) {
    throw new SyntaxError(
      `Task "${command}" uses shell syntax the distribution checks do not read`,
    );
  }
  return command.trim().split(/\s+/);
}

/** A `deno compile` task taken apart. */
export interface CompileTask {
  /** Flags between `deno compile` and the entry point, minus --target/--output. */
  flags: string[];
  target: string | null;
  output: string | null;
  entry: string;
}

/** Parses `deno compile [flags] main.ts`; throws if the task is something else. */
export function parseCompileTask(command: string): CompileTask {
  const words = taskWords(command);
  if (words[0] !== "deno" || words[1] !== "compile") {
    throw new SyntaxError(`Task "${command}" is not "deno compile ..."`);
  }
  const rest = words.slice(2);
  const entry = rest.pop();
  if (entry === undefined || entry.startsWith("-")) {
    throw new SyntaxError(`Task "${command}" names no entry point`);
  }
  const flags: string[] = [];
  let target: string | null = null;
  let output: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const [name, inline] = word.startsWith("--") ? splitInline(word) : [word, undefined];
    if (name === "--target" || name === "--output" || name === "-o") {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new SyntaxError(`Task "${command}": ${name} has no value`);
      if (name === "--target") target = value;
      else output = value;
    } else {
      flags.push(word);
    }
  }
  return { flags, target, output, entry };
}

function splitInline(word: string): [string, string | undefined] {
  const eq = word.indexOf("=");
  return eq === -1 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

/** Flags that would grant or change runtime behaviour outside the named permission set. */
export function runtimeFlagProblems(flags: readonly string[]): string[] {
  const problems: string[] = [];
  for (const flag of flags) {
    if (
      /^-(A|-allow-all)$/.test(flag) || flag.startsWith("--allow-") || flag.startsWith("--deny-")
    ) {
      problems.push(`${flag} grants permissions outside -P=${PERMISSION_SET}`);
    } else if (/^-[NRWESI]/.test(flag) && !flag.startsWith("--")) {
      problems.push(`${flag} is a permission shorthand outside -P=${PERMISSION_SET}`);
    } else if (flag.startsWith("--unstable")) {
      problems.push(`${flag} adds unstable features not listed in deno.json "unstable"`);
    } else if (
      flag === "--no-config" || flag.startsWith("--config") || flag === "-c" ||
      flag.startsWith("--import-map") || flag.startsWith("--env-file") ||
      flag.startsWith("--include") || flag.startsWith("--location") ||
      (flag.startsWith("--v8-flags") && flag !== V8_FLAGS)
    ) {
      problems.push(`${flag} changes what the binary runs with`);
    }
  }
  return problems;
}
