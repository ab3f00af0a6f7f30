/**
 * Batched output for high rates (`udp recv`): small pieces are appended to a buffer
 * synchronously, and a single background loop writes whatever has gathered in one large
 * write. The producer never waits for a write per piece; it waits only when the backlog
 * passes a high-water mark, so memory stays bounded when stdout is slower than the input.
 * @module
 */

import type { OrderedWriter } from "./writer.ts";

/** Backlog above which `backlogged` turns true (the producer should `drain()`). */
export const DEFAULT_HIGH_WATER = 4 << 20;

/** Batches appends into large ordered writes. */
export class BatchWriter {
  readonly #out: OrderedWriter;
  readonly #highWater: number;
  #buffer = new Uint8Array(64 * 1024);
  #spare = new Uint8Array(64 * 1024);
  #length = 0;
  #writing: Promise<void> | null = null;
  #error: unknown = null;
  readonly #onError: ((error: unknown) => void) | undefined;

  /** `onError` is told about the first write error (e.g. to stop the producer). */
  constructor(
    out: OrderedWriter,
    highWater = DEFAULT_HIGH_WATER,
    onError?: (error: unknown) => void,
  ) {
    this.#out = out;
    this.#highWater = highWater;
    this.#onError = onError;
  }

  /** The first write error (e.g. `BrokenPipe`), or `null`. Later appends are dropped. */
  get error(): unknown {
    return this.#error;
  }

  /** True when the backlog is above the high-water mark. */
  get backlogged(): boolean {
    return this.#length > this.#highWater;
  }

  /** Appends a copy of `bytes` and starts a write if none is running. */
  append(bytes: Uint8Array): void {
    if (this.#error !== null) return;
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
    this.#kick();
  }

  /** Appends one byte (a newline after a payload, cheaply). */
  appendByte(byte: number): void {
    if (this.#error !== null) return;
    this.#reserve(1);
    this.#buffer[this.#length++] = byte;
    this.#kick();
  }

  /** Waits until the backlog is at most the high-water mark (or writing failed). */
  async drain(): Promise<void> {
    while (this.#length > this.#highWater && this.#writing !== null) await this.#writing;
  }

  /** Waits until everything appended so far is written (or writing failed). */
  async flush(): Promise<void> {
    while (this.#writing !== null) await this.#writing;
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  #kick(): void {
    if (this.#writing !== null) return;
    this.#writing = this.#loop().finally(() => (this.#writing = null));
  }

  async #loop(): Promise<void> {
    // Let the producer add what is already waiting before the first write.
    await Promise.resolve();
    while (this.#length > 0 && this.#error === null) {
      const chunk = this.#buffer.subarray(0, this.#length);
      [this.#buffer, this.#spare] = [this.#spare, this.#buffer];
      this.#length = 0;
      try {
        await this.#out.write(chunk);
      } catch (error) {
        this.#error = error;
        this.#length = 0;
        this.#onError?.(error);
      }
    }
  }
}
