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
import type { CommandContext } from "./context.ts";
import { deadline } from "./deadline.ts";
import { localEndpoint } from "./output_endpoint.ts";
import { finishPeerRelay } from "./relay_exit.ts";
import { type ClientTlsOptions, openTlsRemote, prepareClientTls } from "./client_tls.ts";
import type { Endpoint } from "../net/endpoint.ts";

/** Typed options of `sockchat client`. */
export interface ClientOptions {
  target: Target;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** `--tls` and its verification settings. */
  tls?: ClientTlsOptions;
}

/** How long the other direction may go on, idle, once the peer has closed. */
export const CLIENT_LINGER_MS = 500;

/** Runs the client; resolves to the exit code or throws for the error table. */
export async function runClient(options: ClientOptions, ctx: CommandContext): Promise<number> {
  const tls = options.tls ? await prepareClientTls(options.tls) : undefined;
  using run = deadline(ctx.signal, options.timeoutMs);
  const connectOptions = {
    signal: run.signal,
    ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
  };
  let remote: Endpoint;
  let peer: string;
  let fingerprint: string | undefined;
  if (tls) {
    ({ remote, peer, fingerprint } = await openTlsRemote(
      options.target,
      tls,
      connectOptions,
      ctx.reporter,
    ));
  } else {
    const conn = await connect(options.target, connectOptions);
    peer = options.target.transport === "unix" ? formatTarget(options.target) : peerName(conn);
    remote = connEndpoint(conn, peer);
  }
  try {
    ctx.reporter.emit({
      type: "connected",
      transport: options.target.transport,
      peer,
      ...(tls ? { tls: true } : {}),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    });
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
