/**
 * A node:net / node:tls socket as an endpoint, for the TLS paths Deno's own API cannot
 * take (`--fingerprint`, `--insecure`). Reads are pulled from a bounded queue (the socket
 * is never paused: in Deno 2.9 a node:tls socket that is paused while the peer's close
 * arrives never reports its end, so incoming data is queued in memory until read),
 * writes wait for `drain` (backpressure), and `closeWrite` is `socket.end()` (TLS
 * close_notify, then FIN).
 * @module
 */

import type { Socket } from "node:net";
import type { Endpoint } from "./endpoint.ts";
import { denoError } from "./errors.ts";

/**
 * Bytes queued before `hold` is asked to stop the flow (and below half of it, to resume).
 */
export const QUEUE_HOLD_BYTES = 1 << 20;

/** The raw connection under a node:tls socket that runs over our own (see `connDuplex`). */
export interface RawLink {
  /**
   * Holds (true) or resumes (false) reading from the socket: the way to bound what piles
   * up above (pausing a node:tls socket would lose its end of stream in Deno 2.9).
   */
  hold(on: boolean): void;
  /**
   * The connection's read or write failure (a reset), once there was one: node:tls over a
   * duplex in Deno 2.9 reports a reset as a quiet close (server) or a clean end (client)
   * and keeps taking writes, so the endpoint asks here.
   */
  failure(): unknown;
  /**
   * Half-closes the connection (FIN) once everything written to it went out. node:tls's
   * `end()` over a duplex in Deno 2.9 sends close_notify but never ends the duplex, so
   * without this the peer would get the FIN only at the full close.
   */
  closeWrite(): Promise<void>;
}

/**
 * Adapts a connected node socket. With a `link` (TLS over our own connection), the queue
 * is bounded: `link.hold(true)` once `QUEUE_HOLD_BYTES` are waiting to be read, `false`
 * when the reader has taken them down to half (without it, the queue grows as fast as the
 * peer sends); the link's failure is reported and its FIN follows close_notify.
 */
export function nodeSocketEndpoint(socket: Socket, name: string, link?: RawLink): Endpoint {
  const hold = link?.hold;
  const rawFailure = () => link?.failure();
  const queue: Uint8Array[] = [];
  let queued = 0;
  let holding = false;
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
    if (hold !== undefined && !holding && queued >= QUEUE_HOLD_BYTES) {
      holding = true;
      hold(true);
    }
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
    // node:tls may close quietly over a connection that was reset (see ConnDuplex).
    if (rawFailure() !== undefined) failure ??= denoError(rawFailure());
    ended = true;
    wake();
  });
  /** The failure to report, including one node:tls did not pass on. */
  const failed = (): unknown =>
    failure ?? (rawFailure() !== undefined ? (failure = denoError(rawFailure())) : null);

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
      if (holding && queued < QUEUE_HOLD_BYTES / 2) {
        holding = false;
        hold?.(false);
      }
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
      // node:tls over a failed connection goes on draining into nothing (see ConnDuplex).
      if (failed() !== null) throw failure;
    },
    async closeWrite() {
      if (writeClosed || closed) return;
      writeClosed = true;
      if (failed() !== null) throw failure;
      // Resolves once everything written (then close_notify) went to the connection.
      await new Promise<void>((resolve, reject) => {
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
      // Then the FIN, which node:tls over a duplex does not send by itself.
      await link?.closeWrite();
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
