/**
 * sockchat's entry point: runs the CLI and exits with the code it returns.
 * @module
 */

import { main } from "./lib/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
