/**
 * `sockchat server --mode pipe`: `nc -l`. Accepts one client and relays stdin ↔ client
 * with the client's half-close rules; `--keep-open` serves the next client after one
 * leaves, handing stdin over without losing any of it.
 * @module
 */

import { SharedSource } from "../net/shared_source.ts";
import { relay } from "../relay/relay.ts";
import { acceptOne } from "../net/accept.ts";
import { endConnection } from "../net/end_connection.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import { closeListener, openListener } from "../net/listen.ts";
import { outputEndpoint } from "../output/output_endpoint.ts";
import { finishPeerRelay } from "../relay/relay_exit.ts";
import { discardOutput, pipeRelayOptions } from "./pipe_policy.ts";
import type { ServerOptions } from "./server_options.ts";
import { openWireLog } from "../output/wire_log.ts";
import { tappedEndpoint } from "../relay/tapped_endpoint.ts";

/** Runs the pipe server; resolves to the exit code or throws for the error table. */
export async function runPipeServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  using log = options.wireLog && openWireLog(options.wireLog, ctx.stderrLine);
  const listener = openListener(options.target, ctx.reporter);
  const stdin = options.keepOpen ? new SharedSource(ctx.stdin) : null;
  try {
    do {
      const client = await acceptOne(listener, run.signal, ctx.reporter);
      if (client === null) return exitCodeOnStop(run.signal);
      if (!options.keepOpen) closeListener(listener);
      const { peer, endpoint: remote } = client;
      ctx.reporter.emit({ type: "accepted", transport: options.target.transport, peer });
      const lease = stdin?.lease();
      const local = lease ? { ...ctx, stdin: { ...ctx.stdin, read: lease.read } } : ctx;
      let stuck = false;
      try {
        const stdio = outputEndpoint(local, peer);
        const policy = pipeRelayOptions(options.pipe ?? {}, {
          stdinIsTerminal: ctx.stdin.isTerminal(),
          keepOpen: options.keepOpen,
        });
        const wire = log ? tappedEndpoint(remote, log.connection(peer)) : remote;
        const result = await relay(options.pipe?.sendOnly ? discardOutput(stdio) : stdio, wire, {
          ...policy,
          signal: run.signal,
          ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        });
        stuck = result.aToB.unwritten > 0;
        if (result.reason === "aborted") return exitCodeOnStop(run.signal);
        const closing = {
          result,
          peer,
          ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        };
        if (!options.keepOpen) return finishPeerRelay(ctx.reporter, closing);
        try {
          finishPeerRelay(ctx.reporter, closing);
        } catch (error) {
          ctx.reporter.warn((error as Error).message);
        }
        if (ctx.stdout.broken) return 0;
      } finally {
        lease?.release();
        // However it ended, the client gets our close_notify (TLS) and FIN when they can go.
        await endConnection(remote, stuck);
      }
    } while (options.keepOpen);
    return 0;
  } finally {
    closeListener(listener);
  }
}
