/**
 * `sockchat client`: connect, then relay stdin ↔ socket ↔ stdout byte-exactly. When stdin
 * ends the socket is half-closed and output goes on until the peer closes; when the peer
 * closes, the run ends promptly even if stdin is still open. On a terminal it is the
 * interactive chat client instead.
 * @module
 */

import { relay } from "../relay/relay.ts";
import { type ChatClientOptions, runChatClient } from "./client_chat.ts";
import { openClientConnection } from "../net/client_connect.ts";
import { ClientScript, type ScriptOptions } from "../script/client_script.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { outputEndpoint } from "../output/output_endpoint.ts";
import { finishPeerRelay } from "../relay/relay_exit.ts";

/** Typed options of `sockchat client`. */
export interface ClientOptions extends ChatClientOptions {
  /** `--send`, `--send-file`, `--keep-open`, `--expect`. */
  script?: ScriptOptions;
}

/** How long the other direction may go on, idle, once the peer has closed. */
export const CLIENT_LINGER_MS = 500;

/** Runs the client; resolves to the exit code or throws for the error table. */
export async function runClient(options: ClientOptions, ctx: CommandContext): Promise<number> {
  // Chat on a terminal; a script (--send/--expect) never reads stdin, so it stays a pipe.
  const interactive = ctx.stdin.isTerminal() && ctx.stdoutIsTerminal && !ctx.reporter.json;
  if (interactive && options.script === undefined) {
    return await runChatClient(options, ctx);
  }
  using run = deadline(ctx.signal, options.timeoutMs);
  using script = await ClientScript.open(options.script, run.signal);
  const { remote, peer } = await openClientConnection(options, run.signal, ctx.reporter);
  try {
    const local = outputEndpoint(ctx, peer);
    const result = await relay(script?.local(local, ctx.reporter, peer) ?? local, remote, {
      endOn: "b-to-a",
      lingerMs: CLIENT_LINGER_MS,
      signal: script?.signal ?? run.signal,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
    const closing = {
      result,
      peer,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    };
    return script ? script.finish(ctx.reporter, closing) : finishPeerRelay(ctx.reporter, closing);
  } finally {
    remote.close();
  }
}
