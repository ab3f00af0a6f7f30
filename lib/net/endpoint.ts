/**
 * The endpoint: one open, two-way byte channel with a half-close. TCP, TLS and Unix
 * connections, stdio and the in-memory pair used in tests all look like this, so the
 * relay and the commands never care which one they hold.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { writeAll } from "../output/writer.ts";
import { isUncleanTlsClose } from "./tls_errors.ts";

/** One open, two-way byte channel. */
export interface Endpoint {
  /** Human name for messages and events (`127.0.0.1:5000`, `stdio`). */
  readonly name: string;
  /** Reads into `buf`; resolves to the byte count, or `null` at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /**
   * Writes all of `data` (looping on partial writes). Where the endpoint can tell, it calls
   * `onProgress` with each part the connection (the kernel) accepted, so a write that
   * fails halfway still says exactly how much of `data` was sent; one that cannot tell
   * calls nothing, and the caller counts `data` once the write resolved.
   */
  write(data: Uint8Array, onProgress?: (bytes: number) => void): Promise<void>;
  /**
   * Half-close: no more writes from us (TCP FIN, after TLS close_notify); reading goes on.
   * Idempotent. Rejects when what was written can no longer be delivered (the peer reset,
   * or a TLS flush failed): the caller decides whether that matters.
   */
  closeWrite(): Promise<void>;
  /** Closes both directions and releases the resource. Idempotent. */
  close(): void;
}

/** Adapts a Deno connection (TCP, TLS, Unix) into an endpoint. */
export function connEndpoint(conn: Deno.Conn, name: string): Endpoint {
  let closed = false;
  let writeClosed = false;
  // The kernel reports a reset once, to whichever call comes first, and Deno may settle a
  // read at end of stream before the write that took the reset fails. So an end of stream
  // seen while a write is in flight waits for that write: if it failed on a reset, the read
  // fails too, and the reader never mistakes a reset for the peer's clean end.
  let resetByPeer: Error | null = null;
  let lastWrite: Promise<unknown> = Promise.resolve();
  return {
    name,
    read: async (buf) => {
      const n = await conn.read(buf).catch(endOfUncleanTls);
      if (n === null) await lastWrite;
      if (n === null && resetByPeer !== null) throw resetByPeer;
      return n;
    },
    write: (data, onProgress) => {
      const done = writeAll(conn, data, onProgress).catch((error: unknown) => {
        // EPIPE before our own half-close means the connection was reset, too.
        if (
          error instanceof Deno.errors.ConnectionReset ||
          (error instanceof Deno.errors.BrokenPipe && !writeClosed)
        ) resetByPeer ??= new Deno.errors.ConnectionReset("connection reset by peer");
        throw error;
      });
      lastWrite = done.catch(() => {});
      return done;
    },
    async closeWrite() {
      if (writeClosed || closed) return;
      writeClosed = true;
      // A failure here is the truth about what was written before (TLS flushes its
      // buffered records now; TCP fails after a reset): the caller decides what it means.
      await conn.closeWrite();
    },
    close() {
      if (closed) return;
      closed = true;
      closeQuietly(conn); // Deno may have closed it already (e.g. after a reset)
    },
  };
}

/** A TLS peer that closed without close_notify has simply finished (see isUncleanTlsClose). */
function endOfUncleanTls(error: unknown): null {
  if (isUncleanTlsClose(error)) return null;
  throw error;
}
