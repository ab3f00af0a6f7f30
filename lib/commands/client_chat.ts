/**
 * `sockchat client` on a terminal: connect, then run the interactive chat session (see
 * `ChatSession`) until the user leaves, the server closes, or a deadline passes.
 *
 * Exit codes: `/quit`, Ctrl-D on an empty line, end of stdin and the server closing the
 * connection give 0; Ctrl-C throws InterruptedError (130, as SIGINT does); a reset
 * connection gives 1, `--timeout`/`--idle-timeout` 124, each with its one-line error.
 * @module
 */

import { deadline } from "../async.ts";
import { ChatSession } from "../chat/chat_session.ts";
import { type ClientConnectionOptions, openClientConnection } from "../net/client_connect.ts";
import { endConnection } from "../net/end_connection.ts";
import { processTerminal, type Terminal } from "../net/terminal.ts";
import type { CommandContext } from "./context.ts";
import { sendNameToSockchat } from "./client_name.ts";

/** The client's options that the interactive client uses. */
export interface ChatClientOptions extends ClientConnectionOptions {
  /** `--name`: sent as `/nick NAME` once a sockchat server greeted (`sendNameToSockchat`). */
  name?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

/** Runs the interactive client; resolves to the exit code or throws for the error table. */
export async function runChatClient(
  options: ChatClientOptions,
  ctx: CommandContext,
  terminal: Terminal = processTerminal(ctx.stdin),
): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  const opened = await openClientConnection(options, run.signal, ctx.reporter);
  let remote = opened.remote;
  try {
    if (options.name !== undefined) {
      remote = await sendNameToSockchat(remote, options.name, ctx.reporter, run);
    }
    return await new ChatSession(ctx, remote, terminal, run.signal, options.idleTimeoutMs).run();
  } finally {
    await endConnection(remote); // close_notify (TLS) and FIN, however the session ended
  }
}
