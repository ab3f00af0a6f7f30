/**
 * A byte source that can be handed from one reader to the next without losing data
 * (stdin across `--keep-open` connections, where a finished relay leaves a read behind).
 * Each reader takes a lease; at most one read is in flight on the underlying source, and
 * a released lease's pending read resolves to 0 without consuming anything.
 * @module
 */

import type { ByteSource } from "./stdio.ts";

/** A reader's view of a shared source. */
export interface Lease extends ByteSource {
  /** Gives up reading: a pending read resolves to 0 and leaves its data for the next lease. */
  release(): void;
}

/** Wraps `source` so abandoned reads never swallow data. */
export class SharedSource {
  #source: ByteSource;
  #buffer: Uint8Array;
  #inflight: Promise<void> | null = null;
  #leftover: Uint8Array | null = null;
  #ended = false;

  constructor(source: ByteSource, bufferSize = 1 << 20) {
    this.#source = source;
    this.#buffer = new Uint8Array(bufferSize);
  }

  /** A new reader. Release it when done so the next one gets the data. */
  lease(): Lease {
    let released = false;
    return {
      read: (buf) => this.#read(buf, () => released),
      release: () => {
        released = true;
      },
    };
  }

  async #read(buf: Uint8Array, released: () => boolean): Promise<number | null> {
    while (true) {
      if (released()) return 0;
      const chunk = this.#leftover;
      if (chunk !== null) {
        const n = Math.min(buf.length, chunk.length);
        buf.set(chunk.subarray(0, n));
        this.#leftover = n === chunk.length ? null : chunk.subarray(n);
        return n;
      }
      if (this.#ended) return null;
      this.#inflight ??= this.#fill();
      await this.#inflight;
    }
  }

  async #fill(): Promise<void> {
    try {
      const n = await this.#source.read(this.#buffer);
      if (n === null) this.#ended = true;
      else this.#leftover = this.#buffer.slice(0, n);
    } finally {
      this.#inflight = null;
    }
  }
}
