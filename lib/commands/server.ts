/**
 * `sockchat server`: picks the mode.
 * @module
 */

import { UsageError } from "../errors.ts";
import type { CommandContext } from "./context.ts";
import { runEchoServer } from "./server_echo.ts";
import type { ServerOptions } from "./server_options.ts";
import { runPipeServer } from "./server_pipe.ts";
import { withServerTls } from "./server_tls.ts";

/** Runs the server in its mode (with `--tls`, its certificate is ready before binding). */
export async function runServer(given: ServerOptions, ctx: CommandContext): Promise<number> {
  const options = await withServerTls(given);
  switch (options.mode) {
    case "pipe":
      return runPipeServer(options, ctx);
    case "echo":
      return runEchoServer(options, ctx);
    case "chat":
      throw new UsageError(
        "Chat mode is not available in this build: use --mode pipe or --mode echo",
      );
  }
}
