/**
 * An in-memory endpoint pair with real half-close semantics, for tests of the relay and
 * of anything else that takes endpoints. Writes are unbounded; reads wait for data.
 * @module
 */

import type { Endpoint } from "./endpoint.ts";

class Pipe {
  chunks: Uint8Array[] = [];
  ended = false;
  closed = false;
  waiter: (() => void) | null = null;

  push(data: Uint8Array): void {
    if (this.ended || this.closed) throw new Deno.errors.BrokenPipe("Pipe is closed");
    if (data.length > 0) this.chunks.push(data.slice());
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  async read(buf: Uint8Array): Promise<number | null> {
    while (this.chunks.length === 0) {
      if (this.closed) throw new Deno.errors.BadResource("Endpoint is closed");
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const head = this.chunks[0]!;
    const n = Math.min(buf.length, head.length);
    buf.set(head.subarray(0, n));
    if (n === head.length) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    return n;
  }
}

/** Creates two connected in-memory endpoints: what one writes, the other reads. */
export function memoryPair(names: [string, string] = ["a", "b"]): [Endpoint, Endpoint] {
  const aToB = new Pipe();
  const bToA = new Pipe();
  const make = (name: string, incoming: Pipe, outgoing: Pipe): Endpoint => ({
    name,
    read: (buf) => incoming.read(buf),
    write: (data) => {
      // Writing into a closed pair rejects (as sockets do) rather than throwing.
      try {
        outgoing.push(data);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    closeWrite: () => {
      outgoing.end();
      return Promise.resolve();
    },
    close: () => {
      incoming.closed = true;
      incoming.wake();
      outgoing.end();
    },
  });
  return [make(names[0], bToA, aToB), make(names[1], aToB, bToA)];
}
