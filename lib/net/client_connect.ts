/**
 * The client's connection, shared by the pipe and the interactive chat client: TCP, Unix
 * or TLS (verified, pinned or `--insecure`), and the `connected` event. (`--name`'s
 * `/nick` line is the commands' business: see `sendNameToSockchat`.)
 * @module
 */

import { formatTarget, type Target } from "./address.ts";
import { connEndpoint, type Endpoint } from "./endpoint.ts";
import { netError } from "./errors.ts";
import { connect, peerName } from "./tcp.ts";
import { tlsSniffed } from "./tls_sniff.ts";
import type { Reporter } from "../output/reporter.ts";
import { type ClientTlsOptions, openTlsRemote, prepareClientTls } from "./client_tls.ts";
import { type RetryNotice, type RetryPolicy, withRetry } from "./connect_retry.ts";
import { connectViaProxy, type ProxySpec } from "./proxy.ts";

/** What opening the client's connection takes (part of the client's options). */
export interface ClientConnectionOptions {
  target: Target;
  connectTimeoutMs?: number;
  /** `-4`/`-6`: connect over this IP version only (a host name is resolved to it). */
  family?: 4 | 6;
  /** `--tls` and its verification settings. */
  tls?: ClientTlsOptions;
  /** `--retry`, `--retry-for`, `--retry-delay`: connect again while nothing was sent. */
  retry?: RetryPolicy;
  /** `--proxy`: tunnel through SOCKS5 or HTTP CONNECT (TCP targets; TLS runs inside). */
  proxy?: ProxySpec;
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
  const open = () => openRemote(options, signal, reporter);
  const { remote, peer, fingerprint } = options.retry === undefined
    ? await open()
    : await withRetry(options.retry, signal, open, retryNotices(reporter, options.target));
  try {
    reporter.emit({
      type: "connected",
      transport: options.target.transport,
      peer,
      ...(options.tls ? { tls: true } : {}),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    });
  } catch (error) {
    remote.close();
    throw error;
  }
  return { remote, peer };
}

/** Reports each retry of `target` as a `retry` event. */
export function retryNotices(reporter: Reporter, target: Target): (notice: RetryNotice) => void {
  return (notice) => reporter.emit({ type: "retry", target: formatTarget(target), ...notice });
}

/** One attempt: resolve (`-4`/`-6`), connect, and for TLS the handshake. */
async function openRemote(
  options: ClientConnectionOptions,
  signal: AbortSignal,
  reporter: Reporter,
): Promise<ClientConnection & { fingerprint?: string | undefined }> {
  const target = await familyTarget(options);
  const tls = options.tls ? await prepareClientTls(options.tls) : undefined;
  if (tls && target !== options.target && options.target.transport === "tcp") {
    tls.serverName ??= options.target.host; // verify the name the user gave, not the address
  }
  const connectOptions = {
    signal,
    ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
  };
  let remote: Endpoint;
  let peer: string;
  let fingerprint: string | undefined;
  if (tls) {
    const proxy = options.proxy;
    const dial = proxy && target.transport === "tcp"
      ? { dial: () => connectViaProxy(proxy, target.host, target.port, connectOptions) }
      : {};
    ({ remote, peer, fingerprint } = await openTlsRemote(
      target,
      tls,
      { ...connectOptions, ...dial },
      reporter,
    ));
  } else if (options.proxy && target.transport === "tcp") {
    const conn = await connectViaProxy(options.proxy, target.host, target.port, connectOptions);
    peer = formatTarget(target);
    remote = connEndpoint(conn, peer);
  } else {
    const conn = await connect(target, connectOptions);
    peer = options.target.transport === "unix" ? formatTarget(options.target) : peerName(conn);
    // A TLS server's answer is one line saying so, never binary junk on stdout.
    remote = options.target.transport === "tcp"
      ? tlsSniffed(connEndpoint(conn, peer))
      : connEndpoint(conn, peer);
  }
  return { remote, peer, fingerprint };
}

/** With `-4`/`-6`, a host name becomes an address of that IP version. */
async function familyTarget(options: ClientConnectionOptions): Promise<Target> {
  const target = options.target;
  if (options.family === undefined || target.transport !== "tcp") return target;
  // On demand (literal specifier, so `deno compile` embeds it): node:dns is slow to load.
  const { resolveHost } = await import("../net/resolve.ts");
  const { address } = await resolveHost(target.host, options.family);
  return address === target.host ? target : { ...target, host: address };
}

/** Sends `--name`'s `/nick NAME` line (the first thing sent, once the server greeted). */
export async function sendNick(remote: Endpoint, name: string): Promise<void> {
  try {
    await remote.write(encoder.encode(`/nick ${name}\n`));
  } catch (error) {
    throw netError("Connection to", remote.name, error);
  }
}
