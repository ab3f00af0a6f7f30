/**
 * `sockchat server`: picks the mode. Each mode is loaded only when asked for (literal
 * specifiers, so `deno compile` embeds them): a chat server carries no pipe or echo code.
 * @module
 */

import type { CommandContext } from "./context.ts";
import type { ServerOptions } from "./server_options.ts";
import { withServerTls } from "../net/server_tls.ts";

/** Runs the server in its mode (with `--tls`, its certificate is ready before binding). */
export async function runServer(given: ServerOptions, ctx: CommandContext): Promise<number> {
  const options = await withServerTls(given);
  switch (options.mode) {
    case "pipe":
      return (await import("./server_pipe.ts")).runPipeServer(options, ctx);
    case "echo":
      return (await import("./server_echo.ts")).runEchoServer(options, ctx);
    case "exec":
      return (await import("./server_exec.ts")).runExecServer(options, ctx);
    case "chat":
      return (await import("./server_chat.ts")).runChatServer(options, ctx);
  }
}
