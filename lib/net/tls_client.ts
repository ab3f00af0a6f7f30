/**
 * The client side of TLS. By default Deno's own TLS (rustls) verifies the chain against
 * the system's roots plus `--ca`, and the name (`--servername`, else the host). Pinning
 * (`--fingerprint`) and `--insecure` need a certificate check Deno's API does not offer,
 * so they go through node:tls with verification off and check the fingerprint on
 * `secureConnect`, before a single byte of application data is written. Either way the
 * handshake completes here, before the caller sends anything.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { isIP } from "node:net";
import * as tls from "node:tls";
import { bounded } from "../async.ts";
import { TimeoutError } from "../errors.ts";
import { formatHostPort } from "./address.ts";
import { connEndpoint, type Endpoint } from "./endpoint.ts";
import type { Socket } from "node:net";
import { connDuplex } from "./conn_duplex.ts";
import { denoError, netError, withReason } from "./errors.ts";
import { type Fingerprint, fingerprintOf, formatFingerprint } from "./fingerprint.ts";
import { nodeSocketEndpoint } from "./node_socket_endpoint.ts";
import { connect, peerName } from "./tcp.ts";
import { isNotTls, TlsVerifyError } from "./tls_errors.ts";
import { ProtocolMismatchError } from "./tls_sniff.ts";

/** How the client checks the server. */
export interface ClientTls {
  /** Extra trusted CA certificates (PEM), from `--ca`. */
  caCerts: string[];
  /** `--fingerprint`: accept exactly the certificate with this SHA-256 fingerprint. */
  fingerprint?: Fingerprint;
  /** `--insecure`: accept any certificate. */
  insecure: boolean;
  /** `--servername`: SNI and the name to verify (default: the host). */
  serverName?: string;
}

/** Default deadline for the client's TLS handshake when no `--connect-timeout` is given. */
export const CLIENT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Options of `connectTls`. */
export interface TlsConnectOptions {
  /** Deadline for TCP connect plus handshake (`TimeoutError`). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Opens the TCP connection TLS runs over (`--proxy`: a tunnel to the target) instead of
   * connecting to the target directly; the peer is then named by the target.
   */
  dial?: () => Promise<Deno.Conn>;
}

/** A verified TLS connection, handshake done. */
export interface TlsConnection {
  endpoint: Endpoint;
  peer: string;
  /** The server certificate's fingerprint when it was checked by pin or skipped. */
  fingerprint?: string;
}

type TcpTarget = { host: string; port: number };

/** Connects and completes the TLS handshake; throws a one-line error on any failure. */
export function connectTls(
  target: TcpTarget,
  config: ClientTls,
  options: TlsConnectOptions = {},
): Promise<TlsConnection> {
  return config.fingerprint !== undefined || config.insecure
    ? connectUnverified(target, config, options)
    : connectVerified(target, config, options);
}

async function connectVerified(
  target: TcpTarget,
  config: ClientTls,
  options: TlsConnectOptions,
): Promise<TlsConnection> {
  const label = formatHostPort(target.host, target.port);
  const started = Date.now();
  const { tcp, peer } = await dialTcp(target, options);
  let conn: Deno.TlsConn;
  try {
    conn = await Deno.startTls(tcp as Deno.TcpConn, {
      hostname: config.serverName ?? target.host,
      ...(config.caCerts.length > 0 ? { caCerts: config.caCerts } : {}),
    });
  } catch (error) {
    tcp.close();
    throw netError("Cannot connect to", label, error);
  }
  const remaining = (options.timeoutMs ?? CLIENT_HANDSHAKE_TIMEOUT_MS) - (Date.now() - started);
  try {
    await handshakeBounded(conn.handshake(), Math.max(remaining, 1), options.signal, label);
  } catch (error) {
    closeQuietly(conn);
    if (error instanceof TimeoutError || options.signal?.aborted) throw error;
    throw notTlsError(label, error) ?? netError("Cannot connect to", label, error);
  }
  return { endpoint: connEndpoint(conn, peer), peer };
}

async function connectUnverified(
  target: TcpTarget,
  config: ClientTls,
  options: TlsConnectOptions,
): Promise<TlsConnection> {
  const label = formatHostPort(target.host, target.port);
  const name = config.serverName ?? target.host;
  const started = Date.now();
  const { tcp, peer } = await dialTcp(target, options);
  const transport = connDuplex(tcp);
  const connectOptions: tls.ConnectionOptions & { allowHalfOpen: boolean } = {
    // TLS over our own connection, so that a reset is reported as one (see conn_duplex.ts).
    socket: transport.duplex as unknown as Socket,
    ...(isIP(name) === 0 ? { servername: name } : {}),
    rejectUnauthorized: false,
    // The peer's close_notify/FIN ends only its direction: keep sending (half-close).
    // node:tls honours it (passed on to the socket); @types/node just does not list it.
    allowHalfOpen: true,
  };
  const socket = tls.connect(connectOptions);
  socket.on("error", () => {}); // errors are read from the promise below, then the endpoint
  const secured = new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", () => resolve());
    socket.once("error", (error: Error) => reject(error));
    socket.once("close", () => reject(new Deno.errors.ConnectionReset("connection closed")));
  });
  let fingerprint: Fingerprint;
  try {
    const remaining = (options.timeoutMs ?? CLIENT_HANDSHAKE_TIMEOUT_MS) - (Date.now() - started);
    await handshakeBounded(secured, Math.max(remaining, 1), options.signal, label);
    const raw = socket.getPeerCertificate()?.raw as Uint8Array | undefined;
    if (!raw || raw.length === 0) {
      throw new TlsVerifyError("certificate verification failed: the server sent no certificate");
    }
    fingerprint = await fingerprintOf(raw);
    if (config.fingerprint !== undefined && fingerprint !== config.fingerprint) {
      throw new TlsVerifyError(
        `certificate verification failed: fingerprint mismatch: the server's certificate is ${
          formatFingerprint(fingerprint)
        }, expected ${formatFingerprint(config.fingerprint)}`,
      );
    }
  } catch (error) {
    // A rejected certificate gets a clean close (close_notify, FIN), never data.
    if (error instanceof TlsVerifyError) socket.destroySoon();
    else socket.destroy();
    if (error instanceof TimeoutError || options.signal?.aborted) throw error;
    throw notTlsError(label, error) ?? netError("Cannot connect to", label, denoError(error));
  }
  return {
    endpoint: nodeSocketEndpoint(socket, peer, transport),
    peer,
    fingerprint: formatFingerprint(fingerprint),
  };
}

/** The TCP connection TLS runs over: to the target, or `options.dial`'s tunnel to it. */
async function dialTcp(
  target: TcpTarget,
  options: TlsConnectOptions,
): Promise<{ tcp: Deno.Conn; peer: string }> {
  if (options.dial === undefined) {
    const tcp = await connect({ transport: "tcp", ...target }, options);
    return { tcp, peer: peerName(tcp) };
  }
  return { tcp: await options.dial(), peer: formatHostPort(target.host, target.port) };
}

/** The one line for a `--tls` client whose server answered without TLS. */
function notTlsError(label: string, error: unknown): Error | undefined {
  if (!isNotTls(error)) return undefined;
  const reason = "server does not speak TLS (no TLS handshake): drop --tls";
  return withReason(new ProtocolMismatchError(`${label}: ${reason}`), reason);
}

/** Bounds a TLS handshake: `TimeoutError` after `timeoutMs`, the reason once `signal` aborts. */
function handshakeBounded<T>(
  promise: Promise<T>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  label: string,
): Promise<T> {
  return bounded(promise, {
    ms: timeoutMs,
    signal,
    onTimeout: (): never => {
      throw new TimeoutError(`Cannot connect to "${label}": TLS handshake timed out`);
    },
  });
}
