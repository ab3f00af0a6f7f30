/**
 * Ordered, complete writes to a byte sink such as stdout: every chunk is written in full
 * (looping on partial writes) and in the order it was queued, and a vanished reader
 * (EPIPE) is remembered instead of thrown at every later caller.
 * @module
 */

/** Anything with a Deno-style partial `write`. */
export interface ByteSink {
  write(p: Uint8Array): Promise<number>;
}

/** Writes all of `data` to `sink`, looping on partial writes. */
export async function writeAll(sink: ByteSink, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    offset += await sink.write(offset === 0 ? data : data.subarray(offset));
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

  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  /** True once the reader of the sink has gone away (EPIPE). */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Queues `data` and resolves when it is written. The caller must not reuse `data`
   * until then. Rejects with `Deno.errors.BrokenPipe` when the reader is gone.
   */
  write(data: Uint8Array): Promise<void> {
    const run = async () => {
      if (this.#broken) throw new Deno.errors.BrokenPipe("Output closed");
      try {
        await writeAll(this.#sink, data);
      } catch (error) {
        if (isBrokenPipe(error)) this.#broken = true;
        throw error;
      }
    };
    const done = this.#tail.then(run);
    this.#tail = done.catch(() => {});
    return done;
  }

  /** Queues `data` without waiting; errors are remembered in `broken`. */
  enqueue(data: Uint8Array): void {
    this.write(data).catch(() => {});
  }

  /** Resolves when everything queued so far has been written (or failed). */
  flush(): Promise<void> {
    return this.#tail;
  }
}
