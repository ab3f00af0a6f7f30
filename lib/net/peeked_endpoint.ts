/**
 * An endpoint whose first bytes can be looked at before anyone reads them: `peek()`
 * reads a chunk and keeps it, and the reader later gets every kept byte, in order, before
 * anything newer. Nothing is lost or reordered, also when the one who peeked stopped
 * waiting while a read was still under way (that read's bytes, or its error, go to the
 * next `read`).
 * @module
 */

import { concatBytes } from "../bytes.ts";
import type { Endpoint } from "./endpoint.ts";

const PEEK_READ = 16 * 1024;

/** Wraps an endpoint so that its first chunks can be inspected, then read as usual. */
export class PeekedEndpoint implements Endpoint {
  readonly #inner: Endpoint;
  /** Bytes peeked and not yet read. */
  #held: Uint8Array = new Uint8Array(0);
  /** A peek's read still under way (its result belongs to the next read). */
  #pending: Promise<Uint8Array | null> | null = null;
  #ended = false;
  /** A peek's read failed: the next `read` fails with it. */
  #error: { error: unknown } | null = null;

  constructor(inner: Endpoint) {
    this.#inner = inner;
  }

  get name(): string {
    return this.#inner.name;
  }

  /** Every byte peeked so far and not yet read. */
  get held(): Uint8Array {
    return this.#held;
  }

  /**
   * Reads one more chunk and keeps it (also in `held`); resolves to the chunk, or `null`
   * at the end of the stream. Rejects with the read's error (which `read` gives again).
   */
  peek(): Promise<Uint8Array | null> {
    if (this.#ended) return Promise.resolve(null);
    this.#pending ??= this.#readChunk();
    return this.#pending;
  }

  async read(buf: Uint8Array): Promise<number | null> {
    if (this.#held.length === 0 && this.#pending !== null) await this.#pending.catch(() => {});
    if (this.#held.length > 0) {
      const n = Math.min(buf.length, this.#held.length);
      buf.set(this.#held.subarray(0, n));
      this.#held = this.#held.subarray(n);
      return n;
    }
    if (this.#error !== null) {
      const { error } = this.#error;
      this.#error = null;
      throw error;
    }
    if (this.#ended) return null;
    return await this.#inner.read(buf);
  }

  write(data: Uint8Array): Promise<void> {
    return this.#inner.write(data);
  }

  closeWrite(): Promise<void> {
    return this.#inner.closeWrite();
  }

  close(): void {
    this.#inner.close();
  }

  async #readChunk(): Promise<Uint8Array | null> {
    const buffer = new Uint8Array(PEEK_READ);
    try {
      const n = await this.#inner.read(buffer);
      if (n === null) {
        this.#ended = true;
        return null;
      }
      const chunk = buffer.slice(0, n);
      this.#held = concatBytes([this.#held, chunk]);
      return chunk;
    } catch (error) {
      this.#error = { error };
      throw error;
    } finally {
      this.#pending = null;
    }
  }
}
