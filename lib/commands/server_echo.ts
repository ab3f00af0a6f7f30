/**
 * `sockchat server --mode echo`: every byte each client sends comes back to it, many
 * clients at once, until the server is stopped.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import { relay } from "../relay/relay.ts";
import { emitEchoClosed } from "../relay/relay_exit.ts";
import { acceptLoop } from "../net/accept.ts";
import { endConnection } from "../net/end_connection.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import { closeListener, openListener } from "../net/listen.ts";
import type { ServerOptions } from "./server_options.ts";
import { openWireLog, type WireLog } from "../output/wire_log.ts";
import { tappedEndpoint } from "../relay/tapped_endpoint.ts";

/** Per-connection buffer: echo serves many clients, so keep it small. */
const ECHO_BUFFER = 16 * 1024;

/** Runs the echo server until interrupted (exit 0) or `--timeout` (exit 124). */
export async function runEchoServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  using log = options.wireLog && openWireLog(options.wireLog, ctx.stderrLine);
  const listener = openListener(options.target, ctx.reporter);
  const active = new Set<Endpoint>();
  const sessions = new Set<Promise<void>>();
  try {
    await acceptLoop(listener, run.signal, ctx.reporter, ({ endpoint }) => {
      active.add(endpoint);
      const session = echo(endpoint, options, ctx, log || undefined).finally(() => {
        active.delete(endpoint);
        sessions.delete(session);
      });
      sessions.add(session);
    });
    return exitCodeOnStop(run.signal);
  } finally {
    closeListener(listener);
    // Each client gets our close_notify (TLS) and FIN, then the close ends its relay.
    await Promise.allSettled([...active].map((endpoint) => endConnection(endpoint)));
    await Promise.allSettled([...sessions]);
  }
}

async function echo(
  endpoint: Endpoint,
  options: ServerOptions,
  ctx: CommandContext,
  log: WireLog | undefined,
): Promise<void> {
  ctx.reporter.emit({ type: "accepted", transport: options.target.transport, peer: endpoint.name });
  let stuck = false;
  try {
    // A relay between the connection and itself: reads come back as writes.
    const wire = log ? tappedEndpoint(endpoint, log.connection(endpoint.name)) : endpoint;
    const result = await relay(wire, wire, {
      only: "a-to-b",
      bufferSize: ECHO_BUFFER,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
    stuck = result.aToB.unwritten > 0;
    emitEchoClosed(ctx.reporter, result, endpoint.name);
  } catch (error) {
    ctx.reporter.debug(`echo ${endpoint.name}: ${(error as Error).message}`);
  } finally {
    await endConnection(endpoint, stuck);
  }
}
