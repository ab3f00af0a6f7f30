/**
 * `sockchat server`: picks the mode.
 * @module
 */

import type { CommandContext } from "./context.ts";
import { runChatServer } from "./server_chat.ts";
import { runEchoServer } from "./server_echo.ts";
import type { ServerOptions } from "./server_options.ts";
import { runPipeServer } from "./server_pipe.ts";
import { withServerTls } from "../net/server_tls.ts";

/** Runs the server in its mode (with `--tls`, its certificate is ready before binding). */
export async function runServer(given: ServerOptions, ctx: CommandContext): Promise<number> {
  const options = await withServerTls(given);
  switch (options.mode) {
    case "pipe":
      return runPipeServer(options, ctx);
    case "echo":
      return runEchoServer(options, ctx);
    case "chat":
      return runChatServer(options, ctx);
  }
}
