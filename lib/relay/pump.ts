/**
 * One direction of a relay: read from one endpoint, write to the other, half-close at
 * end of stream. Two buffers alternate so the next read overlaps the current write. It
 * reports every completed read and every part of a write the destination accepted, so
 * that the relay always knows how many bytes were read and are still waiting to be
 * written (back-pressure), and how many went out before a write failed.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";

/** How one direction ended. */
export type PumpOutcome =
  | { kind: "eof" }
  | { kind: "read-error"; error: unknown }
  | { kind: "write-error"; error: unknown }
  | { kind: "stopped" };

/** Options of one pump. */
export interface PumpOptions {
  /** Size of each of the two read buffers. */
  bufferSize: number;
  /** Called after each read that returned bytes, before they are written. */
  onRead?: (bytes: number) => void;
  /**
   * Called with the bytes written: each part the destination says its connection accepted
   * (so a write that fails halfway is counted exactly), else each chunk written in full.
   */
  onProgress?: (bytes: number) => void;
  /** When true, the pump stops before its next write or read. */
  shouldStop?: () => boolean;
  /** Half-close the destination at end of stream (default true). */
  halfClose?: boolean;
}

/** Pumps `src` → `dst` until end of stream or an error; never rejects. */
export async function pump(
  src: Endpoint,
  dst: Endpoint,
  options: PumpOptions,
): Promise<PumpOutcome> {
  let current = new Uint8Array(options.bufferSize);
  let spare = new Uint8Array(options.bufferSize);
  let pending = safeRead(src, current, options.onRead);
  while (true) {
    const result = await pending;
    if (options.shouldStop?.()) return { kind: "stopped" };
    if ("error" in result) return { kind: "read-error", error: result.error };
    if (result.n === null) {
      try {
        if (options.halfClose !== false) await dst.closeWrite();
      } catch (error) {
        // The half-close flushes what is buffered (TLS): failing, it was not delivered.
        return { kind: "write-error", error };
      }
      return { kind: "eof" };
    }
    const chunk = current.subarray(0, result.n);
    [current, spare] = [spare, current];
    pending = safeRead(src, current, options.onRead);
    let counted = 0;
    try {
      await dst.write(chunk, (n) => {
        counted += n;
        options.onProgress?.(n);
      });
    } catch (error) {
      pending.then(() => {}); // the read in flight is abandoned; it never rejects
      return { kind: "write-error", error };
    }
    // A destination that cannot tell its progress: the whole chunk, now that it is written.
    if (counted < result.n) options.onProgress?.(result.n - counted);
  }
}

type ReadResult = { n: number | null } | { error: unknown };

async function safeRead(
  src: Endpoint,
  buf: Uint8Array,
  onRead: ((bytes: number) => void) | undefined,
): Promise<ReadResult> {
  try {
    const n = await src.read(buf);
    if (n !== null && n > 0) onRead?.(n);
    return { n };
  } catch (error) {
    return { error };
  }
}
