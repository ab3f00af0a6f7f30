/**
 * Batching the room's lines to everyone: the lines said in one moment (one read of a
 * sender, or of several) are joined into one buffer, built once and queued to every
 * client as one item, instead of every line being queued to every client on its own.
 * With 200 clients and a sender pasting, that is one copy and one queue push per client
 * per read instead of one per line per client. A sender's own lines are left out of
 * what it gets (it gets a buffer of its own, or nothing).
 *
 * Pure bookkeeping: the server decides when to send and owns the writes.
 * @module
 */

import { concatBytes } from "../bytes.ts";
import type { ClientId } from "./room.ts";

interface Line {
  bytes: Uint8Array;
  except: ClientId | undefined;
}

/** Lines to everyone waiting to be queued to the clients. */
export class BroadcastBatch {
  #lines: Line[] = [];

  /** True when lines are waiting. */
  get pending(): boolean {
    return this.#lines.length > 0;
  }

  /** Adds one encoded line for everyone but `except`. */
  add(bytes: Uint8Array, except?: ClientId): void {
    this.#lines.push({ bytes, except });
  }

  /**
   * Takes the waiting lines; the returned function gives the bytes for one client (the
   * same buffer for everyone who gets all of them), or null when it gets none.
   */
  take(): (id: ClientId) => Uint8Array | null {
    const lines = this.#lines;
    this.#lines = [];
    const senders = new Set<ClientId>();
    for (const line of lines) if (line.except !== undefined) senders.add(line.except);
    const all = concatBytes(lines.map((line) => line.bytes));
    const own = new Map<ClientId, Uint8Array | null>();
    return (id) => {
      if (!senders.has(id)) return all;
      let bytes = own.get(id);
      if (bytes === undefined) {
        const theirs = lines.filter((line) => line.except !== id).map((line) => line.bytes);
        bytes = theirs.length > 0 ? concatBytes(theirs) : null;
        own.set(id, bytes);
      }
      return bytes;
    };
  }
}
