/**
 * A node:net / node:tls socket as an endpoint, for the TLS paths Deno's own API cannot
 * take (`--fingerprint`, `--insecure`). Reads are pulled from a queue (the socket is never
 * paused: in Deno 2.9 a node:tls socket that is paused while the peer's close arrives never
 * reports its end; instead the raw connection below is read only while the queue is short),
 * writes wait for `drain` (backpressure), and `closeWrite` is `socket.end()` (TLS
 * close_notify, then FIN).
 * @module
 */

import type { Socket } from "node:net";
import type { RawLink } from "./conn_duplex.ts";
import type { Endpoint } from "./endpoint.ts";
import { denoError } from "./errors.ts";

/** Bytes queued for the reader above which reading from the network is held back. */
const QUEUE_HIGH_BYTES = 1 << 20;

/**
 * Adapts a connected node socket. With `link` (the raw connection's, see `connDuplex`),
 * the network is read only while less than 1 MiB waits here for the reader, and a failure
 * of the connection is the endpoint's failure even when node:tls does not report it.
 */
export function nodeSocketEndpoint(socket: Socket, name: string, link?: RawLink): Endpoint {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown = null;
  let writeClosed = false;
  let closed = false;
  let wakeReader: (() => void) | null = null;
  const wake = () => {
    const waiter = wakeReader;
    wakeReader = null;
    waiter?.();
  };
  socket.on("data", (chunk: Uint8Array) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= QUEUE_HIGH_BYTES) link?.hold();
    wake();
  });
  socket.on("end", () => {
    ended = true;
    wake();
  });
  socket.on("error", (error: unknown) => {
    failure ??= denoError(error);
    wake();
  });
  socket.on("close", () => {
    // node:tls may close quietly over a connection that was reset (see RawLink).
    if (link?.failure !== undefined) failure ??= denoError(link.failure);
    ended = true;
    wake();
  });
  /** The failure to report, including one node:tls did not pass on. */
  const failed = (): unknown =>
    failure ?? (link?.failure !== undefined ? (failure = denoError(link.failure)) : null);

  return {
    name,
    async read(buf) {
      while (queue.length === 0) {
        if (closed) throw new Deno.errors.BadResource("Endpoint is closed");
        if (failed() !== null) throw failure;
        if (ended) return null;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
      const head = queue[0]!;
      const n = Math.min(buf.length, head.length);
      buf.set(head.subarray(0, n));
      if (n === head.length) queue.shift();
      else queue[0] = head.subarray(n);
      queued -= n;
      if (queued < QUEUE_HIGH_BYTES / 2) link?.release();
      return n;
    },
    async write(data) {
      if (failed() !== null) throw failure;
      if (writeClosed || closed) throw new Deno.errors.BrokenPipe("Write side is closed");
      // node keeps a reference to the buffer until it is flushed; the relay reuses its own.
      if (socket.write(data.slice())) return;
      await new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown) => {
          socket.off("drain", onDrain);
          socket.off("close", onClose);
          socket.off("error", onError);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onDrain = () => settle();
        const onClose = () => settle(new Deno.errors.BrokenPipe("Connection closed"));
        const onError = (error: unknown) => settle(denoError(error ?? new Error("Socket error")));
        socket.once("drain", onDrain);
        socket.once("close", onClose);
        socket.once("error", onError);
      });
      // node:tls over a failed connection goes on draining into nothing (see RawLink).
      if (failed() !== null) throw failure;
    },
    closeWrite() {
      if (writeClosed || closed) return Promise.resolve();
      writeClosed = true;
      if (failed() !== null) return Promise.reject(failure);
      // Resolves once everything written (then close_notify) went to the connection.
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown) => {
          socket.off("finish", onFinish);
          socket.off("error", onError);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onFinish = () => settle(failed() ?? undefined);
        const onError = (error: unknown) => settle(denoError(error));
        socket.once("finish", onFinish);
        socket.once("error", onError);
        socket.end();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      // Flush what is queued and end with close_notify + FIN, then release the socket.
      socket.destroySoon();
      wake();
    },
  };
}
