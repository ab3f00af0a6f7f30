/**
 * `deno task docs`: writes the reference documents generated from the code, so help,
 * documents and behaviour cannot drift: docs/options.md and the man page sockchat.1 (from
 * the CLI definitions), the exit-code tables in README.md and docs/exit-codes.md (from
 * lib/cli/exit_codes.ts) and the event list in docs/events.md (from lib/output/events.ts).
 * `--check` writes nothing and exits 1 naming the stale files (tests/docs runs it too).
 * @module
 */

import { VERSION } from "../lib/version.ts";
import { cliReference } from "./docs/cli_reference.ts";
import { eventReference } from "./docs/event_reference.ts";
import { exitCodeReference } from "./docs/exit_code_reference.ts";
import { replaceGenerated } from "./docs/markers.ts";
import { manPage } from "./docs/render_man.ts";
import { eventsMarkdown, exitCodeTable, optionsMarkdown } from "./docs/render_markdown.ts";

const ROOT = new URL("../", import.meta.url);

/** Markdown as `deno fmt` writes it, so `deno fmt --check` and this generator agree. */
async function formatted(markdown: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** Every generated file (path relative to the repository root) with its expected text. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const commands = cliReference();
  const exitCodes = await exitCodeReference();
  const events = await eventReference();
  const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));
  const table = exitCodeTable(exitCodes);
  const files = new Map<string, string>();
  files.set("docs/options.md", await formatted(optionsMarkdown(commands)));
  files.set("sockchat.1", manPage(VERSION, commands, exitCodes));
  for (const path of ["README.md", "docs/exit-codes.md"]) {
    files.set(path, await formatted(replaceGenerated(await read(path), "exit-codes", table)));
  }
  const eventList = eventsMarkdown(events);
  files.set(
    "docs/events.md",
    await formatted(replaceGenerated(await read("docs/events.md"), "events", eventList)),
  );
  return files;
}

/** Paths whose content differs from what the generator makes. */
export async function staleFiles(files: Map<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of files) {
    const current = await Deno.readTextFile(new URL(path, ROOT)).catch(() => null);
    if (current !== text) stale.push(path);
  }
  return stale;
}

if (import.meta.main) {
  const files = await generatedFiles();
  const stale = await staleFiles(files);
  if (Deno.args.includes("--check")) {
    if (stale.length > 0) {
      console.error(`docs: stale (run "deno task docs"): ${stale.join(", ")}`);
      Deno.exit(1);
    }
  } else {
    for (const path of stale) {
      await Deno.writeTextFile(new URL(path, ROOT), files.get(path)!);
      console.error(`docs: wrote ${path}`);
    }
  }
}
