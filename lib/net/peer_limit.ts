/**
 * Connections per peer address: `--max-per-ip`. One host (or one attacker) cannot hold
 * every slot of a server, because each address may have only so many connections open,
 * handshakes included. Pure bookkeeping: the accept loop asks, and releases on close.
 * @module
 */

/** Counts open connections by address against a limit. */
export class PeerLimit {
  readonly max: number;
  readonly #open = new Map<string, number>();

  /** `max`: most connections one address may have open (`Infinity` for no limit). */
  constructor(max: number) {
    this.max = max;
  }

  /** Takes a slot for `address`; false (nothing taken) when it already has `max`. */
  take(address: string): boolean {
    const open = this.#open.get(address) ?? 0;
    if (open >= this.max) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  /** Gives back a slot taken for `address`. */
  release(address: string): void {
    const open = this.#open.get(address) ?? 0;
    if (open <= 1) this.#open.delete(address);
    else this.#open.set(address, open - 1);
  }

  /** Open connections of `address`. */
  count(address: string): number {
    return this.#open.get(address) ?? 0;
  }

  /** Addresses with at least one open connection (the map never keeps empty entries). */
  get addresses(): number {
    return this.#open.size;
  }
}
