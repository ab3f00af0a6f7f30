/**
 * Batching notices to everyone (joins, leaves, renames). A burst of N joins would cost
 * N × N writes if every notice went to every client at once; instead notices collect
 * for a short moment (`NOTICE_BATCH_MS`, 200 ms) and then go out as one write per client, the
 * bytes shared by everyone who gets the same set. A client sees only the notices from
 * after it joined, never one that excludes it, and always in order: anything else sent
 * to a client that has notices waiting sends the notices first.
 *
 * Pure bookkeeping: the server owns the timer and the writes.
 * @module
 */

import type { ClientId } from "./room.ts";

/** How long a notice to everyone may wait to share a write: 200 ms. */
export const NOTICE_BATCH_MS = 200;

interface Notice {
  seq: number;
  except: ClientId | undefined;
  bytes: Uint8Array;
}

/** Notices waiting to go to everyone. */
export class NoticeBatch {
  #notices: Notice[] = [];
  #seq = 0;

  /** The sequence number now: a client joining now gets only later notices. */
  mark(): number {
    return this.#seq;
  }

  /** True when notices are waiting. */
  get pending(): boolean {
    return this.#notices.length > 0;
  }

  /** Adds a notice for everyone in the room now (but `except`). */
  add(bytes: Uint8Array, except?: ClientId): void {
    this.#notices.push({ seq: ++this.#seq, except, bytes });
  }

  /** True when a client that joined at `joinedAt` has notices waiting. */
  waitingFor(joinedAt: number): boolean {
    return this.#notices.length > 0 && joinedAt < this.#seq;
  }

  /**
   * Takes the waiting notices. The returned function gives, for one client, the bytes
   * to send (`null` for none); clients that get every notice share one buffer.
   */
  take(): (id: ClientId, joinedAt: number) => Uint8Array | null {
    const notices = this.#notices;
    this.#notices = [];
    const first = notices[0]?.seq ?? Infinity;
    const excepted = new Set(notices.map((n) => n.except));
    let shared: Uint8Array | undefined;
    return (id, joinedAt) => {
      if (joinedAt < first && !excepted.has(id)) {
        shared ??= concatBytes(notices.map((n) => n.bytes));
        return shared;
      }
      const mine = notices.filter((n) => n.seq > joinedAt && n.except !== id);
      return mine.length === 0 ? null : concatBytes(mine.map((n) => n.bytes));
    };
  }
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
