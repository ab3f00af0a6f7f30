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
import { openClientConnection, retryNotices } from "../net/client_connect.ts";
import { endConnection } from "../net/end_connection.ts";
import { type RetryPolicy, withRetry } from "../net/connect_retry.ts";
import { watchEarlyDrop } from "../net/early_drop.ts";
import type { Endpoint } from "../net/endpoint.ts";
import { SharedSource } from "../net/shared_source.ts";
import type { ByteSource } from "../net/stdio.ts";
import type { RelayResult } from "../relay/relay.ts";
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
  const policy = pipeRelayOptions(options.pipe ?? {}, {
    stdinIsTerminal: script === undefined && ctx.stdin.isTerminal(),
  });
  /** Relays stdin (from `stdin`) and stdout with `remote` until the run ends. */
  const exchange = async (
    remote: Endpoint,
    peer: string,
    stdin: ByteSource,
    signal: AbortSignal,
  ) => {
    let wire = log ? tappedEndpoint(remote, log.connection(peer)) : remote;
    if (options.name !== undefined) {
      // Loaded only for --name (literal specifier, so `deno compile` embeds it). Over the
      // tapped wire: the --log transcript shows the greeting and the /nick line too.
      const { sendNameToSockchat } = await import("./client_name.ts");
      wire = await sendNameToSockchat(wire, options.name, ctx.reporter, { signal });
    }
    const stdio = outputEndpoint({ ...ctx, stdin }, peer);
    const local = script?.local(stdio, ctx.reporter, peer) ?? stdio;
    return await relay(options.pipe?.sendOnly ? discardOutput(local) : local, wire, {
      ...policy,
      signal,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
  };
  const { result, peer } = options.retry !== undefined && script === undefined
    ? await retryEarlyDrops(options, options.retry, ctx, run.signal, exchange)
    : await connectOnce(
      options,
      ctx,
      run.signal,
      (remote, peer) => exchange(remote, peer, ctx.stdin, script?.signal ?? run.signal),
    );
  const closing = {
    result,
    peer,
    ...(script?.sends ? { source: "--send" } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  };
  return script ? script.finish(ctx.reporter, closing) : finishPeerRelay(ctx.reporter, closing);
}

type Exchange = (
  remote: Endpoint,
  peer: string,
  stdin: ByteSource,
  signal: AbortSignal,
) => Promise<RelayResult>;

/** One connection (connect retries included) and its relay. */
async function connectOnce(
  options: ClientOptions,
  ctx: CommandContext,
  signal: AbortSignal,
  exchange: (remote: Endpoint, peer: string) => Promise<RelayResult>,
): Promise<{ result: RelayResult; peer: string }> {
  const { remote, peer } = await openClientConnection(options, signal, ctx.reporter);
  let stuck = false;
  try {
    const result = await exchange(remote, peer);
    stuck = result.aToB.unwritten > 0;
    return { result, peer };
  } finally {
    // However it ended, the server gets our close_notify (TLS) and FIN when they can go.
    await endConnection(remote, stuck);
  }
}

/**
 * `--retry` for the pipe: a connection refused, or closed or reset by the server before
 * any byte moved either way, is tried again within the one budget. stdin is shared
 * between the attempts, so a read left pending by a dropped attempt loses nothing, and
 * nothing that was sent is ever sent again (once a byte moved, there is no retry).
 */
async function retryEarlyDrops(
  options: ClientOptions,
  policy: RetryPolicy,
  ctx: CommandContext,
  signal: AbortSignal,
  exchange: Exchange,
): Promise<{ result: RelayResult; peer: string }> {
  const { retry: _, ...once } = options;
  const stdin = new SharedSource(ctx.stdin);
  return await withRetry(policy, signal, async () => {
    const { remote, peer } = await openClientConnection(once, signal, ctx.reporter);
    const watch = watchEarlyDrop(remote);
    const lease = stdin.lease();
    let stuck = false;
    try {
      const result = await exchange(
        watch.endpoint,
        peer,
        lease,
        AbortSignal.any([signal, watch.dropped]),
      );
      stuck = result.aToB.unwritten > 0;
      if (watch.dropped.aborted && !signal.aborted) throw watch.dropped.reason;
      return { result, peer };
    } finally {
      lease.release();
      await endConnection(remote, stuck);
    }
  }, retryNotices(ctx.reporter, options.target));
}
