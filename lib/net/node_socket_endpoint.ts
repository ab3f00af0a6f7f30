/**
 * A node:net / node:tls socket as an endpoint, for the TLS paths Deno's own API cannot
 * take (`--fingerprint`, `--insecure`). Reads are pulled from a bounded queue (the socket
 * is paused while the queue is full: backpressure), writes wait for `drain`, and
 * `closeWrite` is `socket.end()` (TLS close_notify, then FIN).
 * @module
 */

import type { Duplex } from "node:stream";
import type { Endpoint } from "./endpoint.ts";

/** Bytes queued before the socket is paused. */
const HIGH_WATER = 1 << 20;

/** Adapts a connected node socket. */
export function nodeSocketEndpoint(socket: Duplex, name: string): Endpoint {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let paused = false;
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
    if (queued >= HIGH_WATER && !paused) {
      paused = true;
      socket.pause();
    }
    wake();
  });
  socket.on("end", () => {
    ended = true;
    wake();
  });
  socket.on("error", (error: unknown) => {
    failure = error;
    wake();
  });
  socket.on("close", () => {
    ended = true;
    wake();
  });

  return {
    name,
    async read(buf) {
      while (queue.length === 0) {
        if (closed) throw new Deno.errors.BadResource("Endpoint is closed");
        if (failure !== null) throw failure;
        if (ended) return null;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
      const head = queue[0]!;
      const n = Math.min(buf.length, head.length);
      buf.set(head.subarray(0, n));
      if (n === head.length) queue.shift();
      else queue[0] = head.subarray(n);
      queued -= n;
      if (paused && queued < HIGH_WATER / 2) {
        paused = false;
        socket.resume();
      }
      return n;
    },
    async write(data) {
      if (failure !== null) throw failure;
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
        const onError = (error: unknown) => settle(error ?? new Error("Socket error"));
        socket.once("drain", onDrain);
        socket.once("close", onClose);
        socket.once("error", onError);
      });
    },
    closeWrite() {
      if (writeClosed || closed) return Promise.resolve();
      writeClosed = true;
      try {
        socket.end();
      } catch {
        // the peer may already be gone
      }
      return Promise.resolve();
    },
    close() {
      if (closed) return;
      closed = true;
      socket.destroy();
      wake();
    },
  };
}
