/**
 * Ordered, complete writes to a byte sink such as stdout: every chunk is written in full
 * (looping on partial writes) and in the order it was queued, and a vanished reader
 * (EPIPE) is remembered instead of thrown at every later caller.
 * @module
 */

import { concatBytes } from "../bytes.ts";

/** Anything with a Deno-style partial `write`. */
export interface ByteSink {
  write(p: Uint8Array): Promise<number>;
}

/**
 * Writes all of `data` to `sink`, looping on partial writes. `onProgress` hears each part
 * the sink accepted, so that a write failing halfway still tells how much went out.
 */
export async function writeAll(
  sink: ByteSink,
  data: Uint8Array,
  onProgress?: (bytes: number) => void,
): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const n = await sink.write(offset === 0 ? data : data.subarray(offset));
    offset += n;
    onProgress?.(n);
  }
}

/** True for the errors a write gets when the reading end went away. */
export function isBrokenPipe(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    (error instanceof Error && (error as { code?: string }).code === "EPIPE");
}

/** Serialises writes to one sink. */
export class OrderedWriter {
  #sink: ByteSink;
  #tail: Promise<void> = Promise.resolve();
  #broken = false;
  /** Chunks enqueued since the last write started: written together in one write. */
  #batch: Uint8Array[] | null = null;
  #queued = 0;

  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  /** True once the reader of the sink has gone away (EPIPE). */
  get broken(): boolean {
    return this.#broken;
  }

  /** Bytes queued and not yet written (lets a fast producer wait for a slow reader). */
  get queuedBytes(): number {
    return this.#queued;
  }

  /**
   * Queues `data` and resolves when it is written. The caller must not reuse `data`
   * until then. Rejects with `Deno.errors.BrokenPipe` when the reader is gone.
   */
  write(data: Uint8Array): Promise<void> {
    this.#batch = null; // later enqueues must not jump ahead of this write
    return this.#chain(data.length, () => data);
  }

  /**
   * Queues `data` without waiting; errors are remembered in `broken`. Chunks enqueued
   * while earlier output is still being written go out together in one write.
   */
  enqueue(data: Uint8Array): void {
    if (this.#batch !== null) {
      this.#batch.push(data);
      this.#queued += data.length;
      return;
    }
    const batch = [data];
    this.#batch = batch;
    this.#chain(data.length, () => {
      if (this.#batch === batch) this.#batch = null;
      return batch.length === 1 ? data : concatBytes(batch);
    }).catch(() => {});
  }

  /** Resolves when everything queued so far has been written (or failed). */
  flush(): Promise<void> {
    return this.#tail;
  }

  #chain(size: number, take: () => Uint8Array): Promise<void> {
    this.#queued += size;
    const run = async () => {
      const data = take();
      try {
        if (this.#broken) throw new Deno.errors.BrokenPipe("Output closed");
        await writeAll(this.#sink, data);
      } catch (error) {
        if (isBrokenPipe(error)) this.#broken = true;
        throw error;
      } finally {
        this.#queued -= data.length;
      }
    };
    const done = this.#tail.then(run);
    this.#tail = done.catch(() => {});
    return done;
  }
}
