/**
 * sockchat's entry point: runs the CLI and exits with the code it returns.
 *
 * `--version` (with or without `--json`) is answered before the CLI is even loaded, so
 * scripts that probe for sockchat pay only the runtime's start-up. The CLI is loaded with
 * a literal dynamic import, which `deno compile` embeds like a static one.
 * @module
 */

import { eventLine } from "./lib/output/event_line.ts";
import { versionEvent, versionText } from "./lib/version.ts";

/** Argument lists answered here: `--version`/`-V`, alone or with `--json`. */
function versionOnly(args: readonly string[]): { json: boolean } | null {
  const version = args.filter((a) => a === "--version" || a === "-V").length;
  const json = args.filter((a) => a === "--json").length;
  return version === 1 && json <= 1 && version + json === args.length ? { json: json === 1 } : null;
}

if (import.meta.main) {
  const args = Deno.args;
  const version = versionOnly(args);
  if (version !== null) {
    const line = version.json ? eventLine(versionEvent(), new Date()) : versionText() + "\n";
    await Deno.stdout.write(new TextEncoder().encode(line));
    Deno.exit(0);
  }
  const { main } = await import("./lib/cli/main.ts");
  Deno.exit(await main(args));
}
