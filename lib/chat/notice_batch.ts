/**
 * Batching notices to everyone (joins, leaves, renames). A burst of N joins would cost
 * N × N writes if every notice went to every client at once; instead notices collect
 * for a short moment (`NOTICE_BATCH_MS`, 200 ms) and then go out as one write per client, the
 * bytes shared by everyone who gets the same set. A client sees only the notices from
 * after it joined, never one that excludes it, and always in order: anything else sent
 * to a client that has notices waiting sends the notices first. When more than
 * `JOIN_SUMMARY_AFTER` joins land in one batch, they reach each client as one summary line
 * (`* 250 people joined (/who lists everyone here)`): a wall of join lines helps nobody, and
 * with 10,000 clients joining, one line per join per client is about a gigabyte of writes.
 *
 * Pure bookkeeping: the server owns the timer and the writes.
 * @module
 */

import type { ClientId } from "./room.ts";
import { concatBytes } from "../bytes.ts";

/** How long a notice to everyone may wait to share a write: 200 ms. */
export const NOTICE_BATCH_MS = 200;

/** More joins than this in one batch are summed up in one line. */
export const JOIN_SUMMARY_AFTER = 5;

interface Notice {
  seq: number;
  except: ClientId | undefined;
  bytes: Uint8Array;
  join: boolean;
}

const encoder = new TextEncoder();

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

  /** Adds a notice for everyone in the room now (but `except`); `join` marks a join. */
  add(bytes: Uint8Array, except?: ClientId, join = false): void {
    this.#notices.push({ seq: ++this.#seq, except, bytes, join });
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
        shared ??= render(notices);
        return shared;
      }
      const mine = notices.filter((n) => n.seq > joinedAt && n.except !== id);
      return mine.length === 0 ? null : render(mine);
    };
  }
}

/** The bytes of `notices`, with the joins summed up when there are many. */
function render(notices: Notice[]): Uint8Array {
  const joins = notices.reduce((n, notice) => n + (notice.join ? 1 : 0), 0);
  if (joins <= JOIN_SUMMARY_AFTER) return concatBytes(notices.map((n) => n.bytes));
  const summary = encoder.encode(`* ${joins} people joined (/who lists everyone here)\n`);
  const parts: Uint8Array[] = [];
  let summed = false;
  for (const notice of notices) {
    if (!notice.join) parts.push(notice.bytes);
    else if (!summed) {
      parts.push(summary);
      summed = true;
    }
  }
  return concatBytes(parts);
}
