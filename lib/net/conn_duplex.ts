/**
 * A Deno connection as a node `Duplex`, for node:tls to run TLS over (`--fingerprint`,
 * `--insecure`). node:tls over its own node:net socket in Deno 2.9 reports a connection
 * reset as a clean end of stream; over this stream the socket's real end reaches
 * node:tls as it happened: end of stream as `end`, a reset or any other failure as an
 * `error` of the Deno error class (`Deno.errors.ConnectionReset`).
 * @module
 */

import { Duplex } from "node:stream";
import { writeAll } from "../output/writer.ts";

/** Read size of the raw connection under TLS (TLS records are at most 16 KiB + overhead). */
const RAW_READ_BYTES = 64 * 1024;

/**
 * Holds back reads of the raw connection while the reader above is full: node:tls reads
 * its stream eagerly, so without it a peer could fill our memory with data nobody has
 * taken yet, and would believe it delivered.
 */
export class ReadGate {
  #open = true;
  #waiters: (() => void)[] = [];

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
}

/** Wraps `conn`: reads on demand (and as `gate` allows), writes in full, `end()` sends FIN. */
export function connDuplex(conn: Deno.Conn, gate = new ReadGate()): Duplex {
  let closed = false;
  return new Duplex({
    allowHalfOpen: true,
    read() {
      const buf = new Uint8Array(RAW_READ_BYTES);
      gate.ready().then(() => conn.read(buf)).then(
        (n) => this.push(n === null ? null : buf.subarray(0, n)),
        (error) => this.destroy(error),
      );
    },
    write(chunk: Uint8Array, _encoding, callback) {
      writeAll(conn, chunk).then(() => callback(), callback);
    },
    final(callback) {
      conn.closeWrite().then(() => callback(), () => callback());
    },
    destroy(error, callback) {
      gate.release();
      if (!closed) {
        closed = true;
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      callback(error);
    },
  });
}
