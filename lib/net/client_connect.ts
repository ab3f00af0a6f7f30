/**
 * The client's connection, shared by the pipe and the interactive chat client: TCP, Unix
 * or TLS (verified, pinned or `--insecure`), the `connected` event, and `--name`'s
 * `/nick` line as the first thing sent.
 * @module
 */

import { formatTarget, type Target } from "./address.ts";
import { connEndpoint, type Endpoint } from "./endpoint.ts";
import { netError } from "./errors.ts";
import { connect, peerName } from "./tcp.ts";
import type { Reporter } from "../output/reporter.ts";
import { type ClientTlsOptions, openTlsRemote, prepareClientTls } from "./client_tls.ts";

/** What opening the client's connection takes (part of the client's options). */
export interface ClientConnectionOptions {
  target: Target;
  connectTimeoutMs?: number;
  /** `--name`: sent as `/nick NAME` right after connecting. */
  name?: string;
  /** `--tls` and its verification settings. */
  tls?: ClientTlsOptions;
}

/** An open connection to the server. */
export interface ClientConnection {
  remote: Endpoint;
  peer: string;
}

const encoder = new TextEncoder();

/** Connects as `options` say (TLS handshake included) and announces it. */
export async function openClientConnection(
  options: ClientConnectionOptions,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<ClientConnection> {
  const tls = options.tls ? await prepareClientTls(options.tls) : undefined;
  const connectOptions = {
    signal,
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
      reporter,
    ));
  } else {
    const conn = await connect(options.target, connectOptions);
    peer = options.target.transport === "unix" ? formatTarget(options.target) : peerName(conn);
    remote = connEndpoint(conn, peer);
  }
  try {
    reporter.emit({
      type: "connected",
      transport: options.target.transport,
      peer,
      ...(tls ? { tls: true } : {}),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    });
    if (options.name !== undefined) await sendNick(remote, options.name);
  } catch (error) {
    remote.close();
    throw error;
  }
  return { remote, peer };
}

/** Sends `--name`'s `/nick NAME` line, the first thing after connecting. */
export async function sendNick(remote: Endpoint, name: string): Promise<void> {
  try {
    await remote.write(encoder.encode(`/nick ${name}\n`));
  } catch (error) {
    throw netError("Connection to", remote.name, error);
  }
}
