/**
 * `sockchat client`: connect, then relay stdin ↔ socket ↔ stdout byte-exactly. When stdin
 * ends the socket is half-closed and output goes on until the peer closes; when the peer
 * closes first, stdin goes on being sent until it ends (see `pipe_policy.ts` for the
 * terminal, `--linger` and `--recv-only` exceptions). On a terminal it is the
 * interactive chat client instead.
 * @module
 */

import { relay } from "../relay/relay.ts";
import type { ChatClientOptions } from "./client_chat.ts";
import { openClientConnection } from "../net/client_connect.ts";
import type { ScriptOptions } from "../script/client_script.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { outputEndpoint } from "../output/output_endpoint.ts";
import { finishPeerRelay } from "../relay/relay_exit.ts";
import { discardOutput, type PipeOptions, pipeRelayOptions } from "./pipe_policy.ts";
import { openWireLog, type WireLogSpec } from "../output/wire_log.ts";
import { tappedEndpoint } from "../relay/tapped_endpoint.ts";

/** Typed options of `sockchat client`. */
export interface ClientOptions extends ChatClientOptions {
  /** `--send`, `--send-file`, `--keep-open`, `--expect`. */
  script?: ScriptOptions;
  /** `--recv-only`, `--send-only`, `--linger`. */
  pipe?: PipeOptions;
  /** `--hex`, `--log FILE`: a transcript of the connection (makes it a pipe on a terminal too). */
  wireLog?: WireLogSpec;
}

/** Runs the client; resolves to the exit code or throws for the error table. */
export async function runClient(options: ClientOptions, ctx: CommandContext): Promise<number> {
  // Chat on a terminal; a script (--send/--expect) never reads stdin, so it stays a pipe.
  // --recv-only, --send-only and --linger ask for the pipe, even on a terminal.
  const interactive = ctx.stdin.isTerminal() && ctx.stdoutIsTerminal && !ctx.reporter.json &&
    options.pipe === undefined && options.wireLog === undefined;
  if (interactive && options.script === undefined) {
    // Loaded only here (literal specifier, so `deno compile` embeds it): the chat UI is
    // most of the client's modules, and a pipe or a script never needs it.
    const { runChatClient } = await import("./client_chat.ts");
    return await runChatClient(options, ctx);
  }
  using run = deadline(ctx.signal, options.timeoutMs);
  using log = options.wireLog && openWireLog(options.wireLog, ctx.stderrLine);
  // Loaded only for --send/--expect (literal specifier, so `deno compile` embeds it).
  using script = options.script === undefined
    ? undefined
    : await (await import("../script/client_script.ts")).ClientScript.open(
      options.script,
      run.signal,
    );
  const opened = await openClientConnection(options, run.signal, ctx.reporter);
  const { peer } = opened;
  let remote = opened.remote;
  try {
    if (options.name !== undefined) {
      // Loaded only for --name (literal specifier, so `deno compile` embeds it).
      const { sendNameToSockchat } = await import("./client_name.ts");
      remote = await sendNameToSockchat(remote, options.name, ctx.reporter, run);
    }
    const stdio = outputEndpoint(ctx, peer);
    const local = script?.local(stdio, ctx.reporter, peer) ?? stdio;
    const policy = pipeRelayOptions(options.pipe ?? {}, {
      stdinIsTerminal: script === undefined && ctx.stdin.isTerminal(),
    });
    const wire = log ? tappedEndpoint(remote, log.connection(peer)) : remote;
    const result = await relay(options.pipe?.sendOnly ? discardOutput(local) : local, wire, {
      ...policy,
      signal: script?.signal ?? run.signal,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
    const closing = {
      result,
      peer,
      ...(script?.sends ? { source: "--send" } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    };
    return script ? script.finish(ctx.reporter, closing) : finishPeerRelay(ctx.reporter, closing);
  } finally {
    remote.close();
  }
}
