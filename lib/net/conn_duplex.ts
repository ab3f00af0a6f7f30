/**
 * A `Deno.Conn` as a node `Duplex`, so node:tls can run a server handshake over a
 * connection that Deno accepted. Destroying the duplex closes the connection at once:
 * a pending read is cancelled and the descriptor is freed, whatever the peer does.
 * (A `Deno.listenTls` connection cannot promise that: its handshake keeps the socket
 * until the peer sends or closes.)
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { Duplex } from "node:stream";
import { writeAll } from "../output/writer.ts";

/** Bytes read from the connection at a time. */
const READ_SIZE = 64 * 1024;

/** Wraps `conn`; the duplex owns it from now on. */
export function connDuplex(conn: Deno.Conn): Duplex {
  let reading = false;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    closeQuietly(conn);
  };
  const duplex: Duplex = new Duplex({
    read() {
      if (reading || closed) return;
      reading = true;
      const buf = new Uint8Array(READ_SIZE);
      conn.read(buf).then((n) => {
        reading = false;
        if (n === null) duplex.push(null);
        else if (duplex.push(buf.subarray(0, n))) duplex.read(0);
      }, (error) => {
        reading = false;
        if (!closed) duplex.destroy(error);
      });
    },
    write(chunk: Uint8Array, _encoding, done) {
      writeAll(conn, chunk).then(() => done(), (error) => done(error));
    },
    final(done) {
      conn.closeWrite().then(() => done(), () => done());
    },
    destroy(error, done) {
      close();
      done(error);
    },
  });
  return duplex;
}
