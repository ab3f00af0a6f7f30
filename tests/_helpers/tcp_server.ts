/**
 * A tiny in-test TCP server on 127.0.0.1, port 0: each accepted connection is handed to
 * `handle`; `close()` stops it and waits for the handlers.
 * @module
 */

import { concatBytes } from "../../lib/bytes.ts";

/** A running test server. */
export interface TestServer extends AsyncDisposable {
  port: number;
  hostname: string;
  /** Resolves with each handler's result as it finishes, in accept order. */
  handled: Promise<unknown>[];
  close(): Promise<void>;
}

/** Starts a server; `handle` owns the connection and must close it. */
export function startServer(
  handle: (conn: Deno.Conn) => Promise<unknown>,
  hostname = "127.0.0.1",
): TestServer {
  const listener = Deno.listen({ hostname, port: 0 });
  const handled: Promise<unknown>[] = [];
  const loop = (async () => {
    for await (const conn of listener) {
      handled.push(handle(conn).catch((error) => error));
    }
  })().catch(() => {});
  const close = async () => {
    try {
      listener.close();
    } catch {
      // closed already
    }
    await loop;
    await Promise.allSettled(handled);
  };
  return {
    port: (listener.addr as Deno.NetAddr).port,
    hostname,
    handled,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Reads everything until the peer's FIN (or an endpoint's end). Does not close it. */
export async function readToEnd(
  conn: { read(buf: Uint8Array): Promise<number | null> },
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  while (true) {
    const n = await conn.read(buf);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  return concatBytes(chunks);
}

/** Writes all of `data`. */
export async function writeAllTo(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await conn.write(data.subarray(offset));
}
