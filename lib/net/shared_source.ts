/**
 * A byte source that can be handed from one reader to the next without losing data: at
 * most one read is in flight on the underlying source, and a chunk that arrives after its
 * reader gave up is kept for the next one (stdin across `--keep-open` connections).
 * @module
 */

import type { ByteSource } from "./stdio.ts";

/** Wraps `source` so abandoned reads never swallow data. */
export class SharedSource implements ByteSource {
  #source: ByteSource;
  #buffer: Uint8Array;
  #inflight: Promise<number | null> | null = null;
  #leftover: Uint8Array | null = null;
  #ended = false;

  constructor(source: ByteSource, bufferSize = 1 << 20) {
    this.#source = source;
    this.#buffer = new Uint8Array(bufferSize);
  }

  /** Reads into `buf`; data not consumed by an abandoned read is kept for the next call. */
  async read(buf: Uint8Array): Promise<number | null> {
    if (this.#leftover === null) {
      if (this.#ended) return null;
      this.#inflight ??= this.#source.read(this.#buffer);
      const n = await this.#inflight;
      this.#inflight = null;
      if (n === null) {
        this.#ended = true;
        return null;
      }
      if (this.#leftover !== null) return this.read(buf); // another reader took it first
      this.#leftover = this.#buffer.slice(0, n);
    }
    const chunk = this.#leftover;
    const n = Math.min(buf.length, chunk.length);
    buf.set(chunk.subarray(0, n));
    this.#leftover = n === chunk.length ? null : chunk.subarray(n);
    return n;
  }
}
