/**
 * Payload fields (`text` or `base64`) for a stream of chunks, as `data` events carry
 * them: a UTF-8 character split across two chunks is held back and sent whole with the
 * next chunk, and no byte is ever dropped — a chunk that is not valid UTF-8 goes out as
 * `base64` together with any bytes held back from before.
 * @module
 */

import { completeUtf8Length, concatBytes } from "../bytes.ts";
import { payloadFields } from "./events.ts";

/** A payload and its size in bytes. */
export type Payload = { bytes: number } & ({ text: string } | { base64: string });

/** Turns successive chunks of one stream into payload fields. */
export class PayloadDecoder {
  #held: Uint8Array = new Uint8Array(0);
  #decoder = new TextDecoder("utf-8", { fatal: true });

  /**
   * Fields for `chunk` plus bytes held back from the previous chunk; `bytes` is how many
   * bytes the payload carries (a split character counts where it is carried).
   */
  push(chunk: Uint8Array): Payload {
    const all = this.#held.length === 0 ? chunk : concatBytes([this.#held, chunk]);
    const cut = completeUtf8Length(all);
    try {
      const text = this.#decoder.decode(all.subarray(0, cut));
      this.#held = all.slice(cut);
      return { bytes: cut, text };
    } catch {
      this.#held = new Uint8Array(0);
      return { bytes: all.length, ...payloadFields(all) };
    }
  }

  /** Bytes still held back at the end of the stream (as `base64`), or `null` if none. */
  flush(): Payload | null {
    if (this.#held.length === 0) return null;
    const held = this.#held;
    this.#held = new Uint8Array(0);
    return { bytes: held.length, ...payloadFields(held) };
  }
}
