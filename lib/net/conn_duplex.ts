/**
 * A `Deno.Conn` as a node `Duplex`, so node:tls runs over a connection Deno opened or
 * accepted (the server handshake, `--fingerprint` and `--insecure`). Over this stream the
 * connection's real end reaches node:tls as it happened: end of stream as `end`, a reset
 * as an `error` of the Deno class (`Deno.errors.ConnectionReset`); node:tls over its own
 * node:net socket in Deno 2.9 reports a reset as a clean end. Half-close is kept (the
 * peer's FIN ends only its direction). Destroying the duplex closes the connection at
 * once: a pending read is cancelled and the descriptor is freed, whatever the peer does.
 * (A `Deno.listenTls` connection cannot promise that: its handshake keeps the socket
 * until the peer sends or closes.)
 * @module
 */

import { Duplex } from "node:stream";
import { writeAll } from "../output/writer.ts";

/** Bytes read from the connection at a time (TLS records are at most 16 KiB + overhead). */
const READ_SIZE = 64 * 1024;

/**
 * What node:tls does not pass on about the connection under it. It holds back reads of
 * the raw connection while the reader above is full (node:tls reads its stream eagerly,
 * so without it a peer could fill our memory with data nobody has taken yet, and would
 * believe it delivered). And it keeps the connection's failure: a node:tls server socket
 * over a duplex in Deno 2.9 reports a reset as a quiet close and keeps taking writes.
 */
export class RawLink {
  #open = true;
  #waiters: (() => void)[] = [];
  /** The raw connection's read or write failure (a reset), once there was one. */
  failure: unknown = undefined;

  /** Resolves when reading may go on. */
  ready(): Promise<void> {
    if (this.#open) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops further raw reads (the reader is full). */
  hold(): void {
    this.#open = false;
  }

  /** Lets raw reads go on. */
  release(): void {
    this.#open = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Records the first failure of the raw connection. */
  fail(error: unknown): void {
    this.failure ??= error;
  }
}

/** Wraps `conn` (reading as `link` allows); the duplex owns it from now on. */
export function connDuplex(conn: Deno.Conn, link = new RawLink()): Duplex {
  let reading = false;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    link.release();
    try {
      conn.close();
    } catch {
      // closed already
    }
  };
  const duplex: Duplex = new Duplex({
    allowHalfOpen: true,
    read() {
      if (reading || closed) return;
      reading = true;
      const buf = new Uint8Array(READ_SIZE);
      link.ready().then(() => conn.read(buf)).then((n) => {
        reading = false;
        if (n === null) duplex.push(null);
        else if (duplex.push(buf.subarray(0, n))) duplex.read(0);
      }, (error) => {
        reading = false;
        if (closed) return;
        link.fail(error);
        duplex.destroy(error);
      });
    },
    write(chunk: Uint8Array, _encoding, done) {
      writeAll(conn, chunk).then(() => done(), (error) => {
        link.fail(error);
        done(error);
      });
    },
    final(done) {
      conn.closeWrite().then(() => {
        done();
      }, (error) => {
        link.fail(error);
        done(error);
      });
    },
    destroy(error, done) {
      close();
      done(error);
    },
  });
  return duplex;
}
