/**
 * A client's bounded outbound queue. Lines are queued as already-encoded bytes (a
 * broadcast line is encoded once and the same bytes are queued for every client);
 * whatever piles up while a write is in flight goes out in one batched write.
 *
 * The queue never grows past its limit: `push` refuses once the unsent bytes would
 * exceed it, and the caller drops that client, so one client that stops reading never
 * stalls or bloats the server for everyone else.
 * @module
 */

import { concatBytes } from "../bytes.ts";

/** Where an outbox writes: all of each chunk, or a rejection (an `Endpoint` is one). */
export interface OutboxSink {
  write(data: Uint8Array): Promise<void>;
}

/** Largest single batched write. */
const BATCH_BYTES = 64 * 1024;

/** A per-client write queue with a byte limit. */
export class Outbox {
  readonly limitBytes: number;
  #sink: OutboxSink;
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  /** Forced bytes not yet written: they never count against the limit. */
  #forcedBytes = 0;
  #writing = false;
  #failed: unknown = undefined;
  #closed = false;
  #onError: (error: unknown) => void;
  #drainWaiters: (() => void)[] = [];

  /**
   * @param sink where bytes go (a member's endpoint)
   * @param limitBytes most unsent bytes to hold
   * @param onError called once when a write fails (the peer is gone)
   */
  constructor(sink: OutboxSink, limitBytes: number, onError: (error: unknown) => void) {
    this.#sink = sink;
    this.limitBytes = limitBytes;
    this.#onError = onError;
  }

  /** Unsent bytes (queued or being written). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /**
   * Queues `data` (not copied: never change it afterwards). Returns false, queuing
   * nothing, when that would take the unsent bytes past the limit; `force` skips the
   * check (for the history replay and last words such as "server shutting down"), and
   * forced bytes never count against the limit: a newcomer whose history replay is larger
   * than the limit still gets the live lines that follow it.
   */
  push(data: Uint8Array, force = false): boolean {
    if (this.#closed || this.#failed !== undefined) return true;
    const counted = this.#queuedBytes - this.#forcedBytes;
    if (!force && counted + data.length > this.limitBytes) return false;
    this.#queue.push(data);
    this.#queuedBytes += data.length;
    if (force) this.#forcedBytes += data.length;
    if (!this.#writing) {
      this.#writing = true;
      // Start on a microtask: lines queued in the same tick go out in one write.
      queueMicrotask(this.#startFlush);
    }
    return true;
  }

  /** Resolves once everything queued so far is written (or writing failed or stopped). */
  drained(): Promise<void> {
    return new Promise((resolve) => this.onDrained(resolve));
  }

  /**
   * Calls `wake` once everything queued so far is written (or writing failed or
   * stopped): at once when nothing is being written. `drained()` without a promise.
   */
  onDrained(wake: () => void): void {
    if (this.#writing) this.#drainWaiters.push(wake);
    else wake();
  }

  /** Stops writing and drops what is queued (the connection is being closed). */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#forcedBytes = 0;
  }

  readonly #startFlush = (): void => {
    this.#flush();
  };

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const batch = this.#takeBatch();
        await this.#sink.write(batch);
        if (this.#closed) continue;
        this.#queuedBytes -= batch.length;
        // Forced bytes are queued first (the replay at join) or last (last words): counting
        // written bytes against them first never lets a counted byte escape the limit for long.
        this.#forcedBytes = Math.max(0, this.#forcedBytes - batch.length);
      }
    } catch (error) {
      this.#failed = error;
      this.#queue = [];
      this.#queuedBytes = 0;
      this.#forcedBytes = 0;
      if (!this.#closed) this.#onError(error);
    } finally {
      this.#writing = false;
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  #takeBatch(): Uint8Array {
    const first = this.#queue[0]!;
    if (this.#queue.length === 1 || first.length >= BATCH_BYTES) {
      this.#queue.shift();
      return first;
    }
    let count = 0;
    let size = 0;
    while (count < this.#queue.length && size + this.#queue[count]!.length <= BATCH_BYTES) {
      size += this.#queue[count]!.length;
      count++;
    }
    return concatBytes(this.#queue.splice(0, count));
  }
}
