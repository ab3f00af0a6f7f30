/**
 * sockchat's entry point: runs the CLI and exits with the code it returns.
 *
 * `--version` is answered before the CLI is even loaded, so scripts that
 * probe for sockchat pay only the runtime's start-up. The CLI is loaded with a literal
 * dynamic import, which `deno compile` embeds like a static one.
 * @module
 */

import { versionText } from "./lib/version.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    await Deno.stdout.write(new TextEncoder().encode(versionText() + "\n"));
    Deno.exit(0);
  }
  const { main } = await import("./lib/cli/main.ts");
  Deno.exit(await main(args));
}
