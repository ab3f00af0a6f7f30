/**
 * `sockchat client`: connect, then relay stdin ↔ socket ↔ stdout byte-exactly. When stdin
 * ends the socket is half-closed and output goes on until the peer closes; when the peer
 * closes, the run ends promptly even if stdin is still open.
 * @module
 */

import { formatTarget, type Target } from "../net/address.ts";
import { connEndpoint } from "../net/endpoint.ts";
import { connect, peerName } from "../net/tcp.ts";
import { relay } from "../relay/relay.ts";
import { runChatClient, sendNick } from "./chat_client.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "./deadline.ts";
import { localEndpoint } from "./output_endpoint.ts";
import { finishPeerRelay } from "./relay_exit.ts";

/** Typed options of `sockchat client`. */
export interface ClientOptions {
  target: Target;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** `--name`: sent as `/nick NAME` right after connecting. */
  name?: string;
}

/** How long the other direction may go on, idle, once the peer has closed. */
export const CLIENT_LINGER_MS = 500;

/** Runs the client; resolves to the exit code or throws for the error table. */
export async function runClient(options: ClientOptions, ctx: CommandContext): Promise<number> {
  if (ctx.stdin.isTerminal() && ctx.stdoutIsTerminal && !ctx.reporter.json) {
    return await runChatClient(options, ctx);
  }
  using run = deadline(ctx.signal, options.timeoutMs);
  const conn = await connect(options.target, {
    signal: run.signal,
    ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
  });
  const peer = options.target.transport === "unix" ? formatTarget(options.target) : peerName(conn);
  const remote = connEndpoint(conn, peer);
  try {
    ctx.reporter.emit({ type: "connected", transport: options.target.transport, peer });
    if (options.name !== undefined) await sendNick(remote, options.name);
    const result = await relay(localEndpoint(ctx, peer), remote, {
      endOn: "b-to-a",
      lingerMs: CLIENT_LINGER_MS,
      signal: run.signal,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
    return finishPeerRelay(ctx.reporter, {
      result,
      peer,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
  } finally {
    remote.close();
  }
}
