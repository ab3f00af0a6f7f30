/**
 * `deno info --json main.ts`: the program's module graph, for the tests that check what
 * the binary embeds and what loads lazily.
 * @module
 */

import assert from "node:assert/strict";
import { ROOT_DIR } from "../_helpers/cli.ts";

/** One module of the graph. */
export interface InfoModule {
  kind?: string;
  specifier: string;
  error?: string;
  dependencies?: {
    specifier: string;
    code?: { specifier?: string; error?: string };
    /** A dynamic `import()`: loaded only when that code runs. */
    isDynamic?: boolean;
  }[];
}

/** What `deno info --json` prints. */
export interface Info {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
  npmPackages: Record<string, { name: string; version: string }>;
}

/** The module graph of main.ts with the project's deno.json. */
export async function moduleGraph(): Promise<Info> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", `${ROOT_DIR}/deno.json`, `${ROOT_DIR}/main.ts`],
    cwd: ROOT_DIR,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `deno info failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as Info;
}
