/**
 * The endpoint contract, one suite run against every endpoint kind lib/net makes: TCP,
 * Unix socket, TLS through Deno (the `--ca` client), TLS through node:tls (the
 * `--fingerprint`/`--insecure` client and the server's TLS accept) and the in-memory pair.
 * Each case holds `a`, the endpoint under test, and `b`, its peer; `reset` makes the peer's
 * kernel answer with a RST (its socket closed while our bytes are still arriving).
 * @module
 */

import assert from "node:assert/strict";
import type { Socket } from "node:net";
import * as tls from "node:tls";
import { connEndpoint, type Endpoint } from "../../lib/net/endpoint.ts";
import { memoryPair } from "../../lib/net/memory.ts";
import { connDuplex } from "../../lib/net/conn_duplex.ts";
import { nodeSocketEndpoint } from "../../lib/net/node_socket_endpoint.ts";
import { acceptTls } from "../../lib/net/tls_accept.ts";
import { connectTls } from "../../lib/net/tls_client.ts";
import type { TlsCredentials } from "../../lib/net/self_signed.ts";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { makePki } from "../_helpers/pki.ts";
import { within } from "../_helpers/wait.ts";

/** A connected pair, and how to reset the peer's connection (absent: the kind cannot). */
interface Pair extends AsyncDisposable {
  a: Endpoint;
  b: Endpoint;
  reset?: () => void;
}

interface Kind {
  name: string;
  open(): Promise<Pair>;
}

const tcpListen = () => Deno.listen({ hostname: "127.0.0.1", port: 0 });
const portOf = (listener: Deno.Listener) => (listener.addr as Deno.NetAddr).port;

/** A plain connection pair from `listener` and `dial`; the listener is closed at once. */
async function plainPair(listener: Deno.Listener, dial: () => Promise<Deno.Conn>): Promise<Pair> {
  const [client, server] = await Promise.all([dial(), listener.accept()]).finally(() =>
    listener.close()
  );
  const a = connEndpoint(client, "a");
  const b = connEndpoint(server, "b");
  return {
    a,
    b,
    reset: () => b.close(), // unread bytes in its receive buffer: the kernel sends RST
    [Symbol.asyncDispose]: () => (a.close(), b.close(), Promise.resolve()),
  };
}

/** Waits until a node socket has really closed (so the leak sanitizers stay quiet). */
async function socketClosed(socket: tls.TLSSocket): Promise<void> {
  if (socket.closed) return;
  await within(new Promise((resolve) => socket.once("close", resolve)), 5_000, "socket close");
}

let credentials:
  | Promise<{ creds: TlsCredentials; ca: string; dispose(): PromiseLike<void> }>
  | null = null;
/** One CA-signed server certificate for every TLS case (made with the real openssl). */
function tlsCredentials(): Promise<
  { creds: TlsCredentials; ca: string; dispose(): PromiseLike<void> }
> {
  credentials ??= (async () => {
    const pki = await makePki();
    const creds = {
      certPem: await Deno.readTextFile(pki.serverCert),
      keyPem: await Deno.readTextFile(pki.serverKey),
    } as TlsCredentials;
    const ca = await Deno.readTextFile(pki.caCert);
    return { creds, ca, dispose: () => pki[Symbol.asyncDispose]() };
  })();
  return credentials!;
}

/** A TLS client (`connectTls` with `config`) against the server's node:tls accept. */
async function tlsClientPair(config: { insecure: boolean }): Promise<Pair> {
  const { creds, ca } = await tlsCredentials();
  const listener = tcpListen();
  const raw = listener.accept();
  const accepted = raw.then((conn) => acceptTls(conn, creds, 10_000, "b"));
  try {
    const client = await connectTls({ host: "127.0.0.1", port: portOf(listener) }, {
      caCerts: config.insecure ? [] : [ca],
      insecure: config.insecure,
      serverName: "localhost",
    });
    const a = client.endpoint;
    const b = await accepted;
    const rawConn = await raw;
    return {
      a,
      b,
      reset: () => rawConn.close(), // under node:tls: no close_notify, then RST
      [Symbol.asyncDispose]: () => (a.close(), b.close(), Promise.resolve()),
    };
  } finally {
    listener.close();
  }
}

/** The server's node:tls accept as the endpoint under test; the peer is a node:tls client. */
async function tlsAcceptPair(): Promise<Pair> {
  const { creds } = await tlsCredentials();
  const listener = tcpListen();
  const accepted = listener.accept().then((conn) => acceptTls(conn, creds, 10_000, "a"));
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port: portOf(listener) }).finally(() =>
    listener.close()
  );
  const transport = connDuplex(tcp);
  const socket = tls.connect({
    socket: transport.duplex as unknown as Socket,
    rejectUnauthorized: false,
    servername: "localhost",
    allowHalfOpen: true,
  } as tls.ConnectionOptions);
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", () => resolve());
    socket.once("error", reject);
  });
  const b = nodeSocketEndpoint(socket, "b", transport);
  const a = await accepted;
  return {
    a,
    b,
    reset: () => tcp.close(),
    [Symbol.asyncDispose]: async () => {
      a.close();
      b.close();
      socket.destroy();
      await socketClosed(socket);
    },
  };
}

const kinds: Kind[] = [
  { name: "TCP", open: tcpPair },
  { name: "Unix socket", open: unixPair },
  { name: "TLS via Deno (--ca client)", open: () => tlsClientPair({ insecure: false }) },
  { name: "TLS via node:tls (--insecure client)", open: () => tlsClientPair({ insecure: true }) },
  { name: "TLS via node:tls (server accept)", open: tlsAcceptPair },
  {
    name: "in-memory pair",
    open: () => {
      const [a, b] = memoryPair();
      return Promise.resolve({
        a,
        b,
        [Symbol.asyncDispose]: () => (a.close(), b.close(), Promise.resolve()),
      });
    },
  },
];
function tcpPair(): Promise<Pair> {
  const listener = tcpListen();
  return plainPair(listener, () => Deno.connect({ hostname: "127.0.0.1", port: portOf(listener) }));
}

async function unixPair(): Promise<Pair> {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-contract-" });
  const path = `${dir}/s`;
  const pair = await plainPair(
    Deno.listen({ transport: "unix", path }),
    () => Deno.connect({ transport: "unix", path }),
  );
  return {
    ...pair,
    [Symbol.asyncDispose]: async () => {
      await pair[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function readAll(endpoint: Endpoint, chunk = 64 * 1024, pause?: () => Promise<void>) {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(chunk);
  let reads = 0;
  while (true) {
    const n = await endpoint.read(buf);
    if (n === null) break;
    parts.push(buf.slice(0, n));
    if (pause !== undefined && ++reads % 64 === 0) await pause();
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) (out.set(p, offset), offset += p.length);
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

for (const kind of kinds) {
  Deno.test(`${kind.name}: read ends at EOF after the peer's half-close; the other way keeps working`, async () => {
    await using pair = await kind.open();
    const { a, b } = pair;
    await b.write(text("from b"));
    await b.closeWrite();
    assert.equal(decode(await within(readAll(a), 10_000, "a reads to EOF")), "from b");
    assert.equal(await a.read(new Uint8Array(16)), null, "EOF stays EOF");
    // After b's FIN, a still sends, and b still reads it all.
    await a.write(text("from a, after b's half-close"));
    await a.closeWrite();
    assert.equal(
      decode(await within(readAll(b), 10_000, "b reads to EOF")),
      "from a, after b's half-close",
    );
  });

  Deno.test(`${kind.name}: writing after the peer closed fails, never succeeds forever`, async () => {
    await using pair = await kind.open();
    const { a, b } = pair;
    b.close();
    const chunk = new Uint8Array(64 * 1024);
    const failed = (async () => {
      for (let written = 0; written < 256 << 20; written += chunk.length) {
        try {
          await a.write(chunk);
        } catch (error) {
          return error;
        }
      }
      return null;
    })();
    const error = await within(failed, 10_000, "a write to fail");
    assert.ok(
      error instanceof Error,
      "256 MiB written into a closed peer and no write failed",
    );
  });

  Deno.test(`${kind.name}: 4 MiB to a slow reader arrive whole (sha256)`, async () => {
    await using pair = await kind.open();
    const { a, b } = pair;
    const data = randomBytes(4 << 20);
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 10));
    const received = readAll(b, 4096, pause);
    await within(a.write(data).then(() => a.closeWrite()), 60_000, "the writer");
    const got = await within(received, 60_000, "the slow reader");
    assert.equal(got.length, data.length);
    assert.equal(sha256(got), sha256(data));
  });

  const resetName = kind.name === "in-memory pair"
    ? `${kind.name}: cannot reset; the peer's close() is an EOF to the reader and a BrokenPipe to the writer`
    : `${kind.name}: a reset by the peer surfaces as a read error, not a clean EOF`;
  Deno.test(resetName, async () => {
    await using pair = await kind.open();
    const { a, b } = pair;
    if (pair.reset === undefined) {
      b.close();
      assert.equal(await a.read(new Uint8Array(16)), null);
      await assert.rejects(a.write(text("x")), Deno.errors.BrokenPipe);
      return;
    }
    // a is still sending when the peer's socket closes unread: its kernel answers RST.
    const big = randomBytes(32 << 20);
    const sending = a.write(big).then(() => null, (error: unknown) => error);
    await b.write(text("before the reset"));
    const first = new Uint8Array(64);
    const n = await within(a.read(first), 10_000, "the bytes sent before the reset");
    assert.equal(decode(first.subarray(0, n ?? 0)), "before the reset");
    pair.reset();
    const outcome = await within(
      a.read(new Uint8Array(64 * 1024)).then((n) => ({ n }), (error: unknown) => ({ error })),
      10_000,
      "a's read after the reset",
    );
    assert.ok(
      "error" in outcome,
      `a read after a reset returned ${JSON.stringify(outcome)} (a clean EOF)`,
    );
    const writeError = await within(sending, 10_000, "a's pending write after the reset");
    assert.ok(writeError instanceof Error, "the 32 MiB write into a reset peer did not fail");
  });
}

Deno.test("endpoint contract: temporary certificates are removed", async () => {
  if (credentials !== null) await (await credentials).dispose();
});
