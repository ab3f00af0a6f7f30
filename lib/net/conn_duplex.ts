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
import type { RawLink } from "./node_socket_endpoint.ts";

/** Bytes read from the connection at a time. */
const READ_SIZE = 64 * 1024;

/** A duplex over a connection, with reading from the socket on hold when asked. */
export interface ConnDuplex extends RawLink {
  duplex: Duplex;
}

/**
 * Wraps `conn`; the duplex owns it from now on. `firstBytes` sees the first chunk read
 * (awaited, before the stream gets it), e.g. to answer a peer of the wrong protocol.
 */
export function connDuplex(
  conn: Deno.Conn,
  firstBytes?: (chunk: Uint8Array) => Promise<void>,
): ConnDuplex {
  let reading = false;
  let closed = false;
  let failure: unknown = undefined;
  let held = false;
  let wanted = false;
  const close = () => {
    if (closed) return;
    closed = true;
    closeQuietly(conn);
  };
  const pull = () => {
    reading = true;
    const buf = new Uint8Array(READ_SIZE);
    conn.read(buf).then(async (n) => {
      // The first bytes are shown to `firstBytes` (awaited) before they go on.
      const first = firstBytes;
      firstBytes = undefined;
      if (n !== null && first !== undefined) await first(buf.subarray(0, n));
      reading = false;
      if (n === null) duplex.push(null);
      else if (duplex.push(buf.subarray(0, n))) duplex.read(0);
    }, (error) => {
      reading = false;
      if (closed) return;
      failure ??= error;
      duplex.destroy(error);
    });
  };
  const duplex: Duplex = new Duplex({
    // The peer's FIN ends only its direction: we may go on sending (half-close).
    allowHalfOpen: true,
    read() {
      if (reading || closed) return;
      // The stream waits for a push after asking: a held request is served on resume.
      if (held) wanted = true;
      else pull();
    },
    write(chunk: Uint8Array, _encoding, done) {
      writeAll(conn, chunk).then(() => done(), (error) => {
        failure ??= error;
        done(error);
      });
    },
    final(done) {
      conn.closeWrite().then(() => done(), (error) => {
        failure ??= error;
        done(error);
      });
    },
    destroy(error, done) {
      close();
      done(error);
    },
  });
  return {
    duplex,
    failure: () => failure,
    closeWrite() {
      if (duplex.writableFinished) return Promise.resolve();
      // Destroyed (node:tls does so once both of its directions are done): the close sent
      // the FIN already, unless the connection had failed.
      if (duplex.destroyed) {
        return failure === undefined ? Promise.resolve() : Promise.reject(failure);
      }
      // After what was written (TLS: the close_notify record) has reached the connection.
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown) => {
          duplex.off("finish", onFinish);
          duplex.off("error", onError);
          duplex.off("close", onClose);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onFinish = () => settle();
        const onError = (error: unknown) => settle(error);
        const onClose = () => settle(failure ?? new Deno.errors.BrokenPipe("Connection closed"));
        duplex.once("finish", onFinish);
        duplex.once("error", onError);
        duplex.once("close", onClose);
        if (!duplex.writableEnded) duplex.end();
      });
    },
    hold(on) {
      held = on;
      if (on || !wanted || reading || closed) return;
      wanted = false;
      pull();
    },
  };
}
