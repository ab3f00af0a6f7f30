/**
 * Dropping telnet commands from a chat client's bytes, pure and incremental. A `telnet`
 * user's Ctrl-C sends `IAC IP IAC DO TIMING-MARK` (`ff f4 ff fd 06`), and some clients
 * open with option negotiation; without this filter everyone would see `����^F`. The
 * room never negotiates: it recognises the commands and drops them.
 *
 * - `IAC IAC` is telnet's escaped data byte 255: one `0xff` byte is kept (it is never
 *   valid UTF-8, so it reads as U+FFFD, as it would without telnet).
 * - `IAC WILL|WONT|DO|DONT OPTION` (3 bytes) is dropped.
 * - `IAC SB … IAC SE` (a subnegotiation) is dropped whole; an `IAC IAC` inside it does
 *   not end it. One longer than `MAX_SUBNEGOTIATION` bytes is no real one (a terminal
 *   type or a window size takes a few bytes): it ends there and data flows again, so a
 *   stray `IAC SB` cannot swallow a client's text for good.
 * - `IAC` and any other command byte (240–249: `NOP`, `IP`, `AYT`, `GA`, …) is dropped.
 * - `IAC` and a byte below 240 is no telnet command: both bytes are kept, as data.
 *
 * A byte 255 never occurs in UTF-8 text, so no chat text can be mistaken for a command.
 * Commands split across reads are recognised (the state survives between chunks).
 * @module
 */

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;

/** Longest subnegotiation dropped; past it, bytes are data again: 256 bytes. */
export const MAX_SUBNEGOTIATION = 256;

type State =
  | "data"
  | "iac" // after IAC
  | "option" // after IAC WILL/WONT/DO/DONT: one option byte to drop
  | "sub" // inside IAC SB …
  | "sub-iac"; // inside a subnegotiation, after IAC

/** Incremental telnet command remover. */
export class TelnetFilter {
  #state: State = "data";
  /** Bytes of the current subnegotiation so far. */
  #sub = 0;

  /**
   * The data bytes of `chunk` (commands removed). May compact `chunk` in place and
   * return a view of it: the caller must be done with the chunk's original bytes.
   */
  push(chunk: Uint8Array): Uint8Array {
    if (this.#state === "data" && chunk.indexOf(IAC) === -1) return chunk; // the usual case
    // In place, except after an IAC that ended the last chunk: it may come back as data.
    const target = this.#state === "iac" ? new Uint8Array(chunk.length + 1) : chunk;
    let out = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      switch (this.#state) {
        case "data":
          if (byte === IAC) this.#state = "iac";
          else target[out++] = byte;
          break;
        case "iac":
          if (byte === IAC) {
            target[out++] = IAC;
            this.#state = "data";
          } else if (byte === SB) {
            this.#state = "sub";
            this.#sub = 0;
          } else if (byte >= WILL && byte <= DONT) this.#state = "option";
          else if (byte >= SE) this.#state = "data";
          else {
            // Not a telnet command: both bytes are data (invalid UTF-8, shown as U+FFFD).
            target[out++] = IAC;
            target[out++] = byte;
            this.#state = "data";
          }
          break;
        case "option":
          this.#state = "data";
          break;
        case "sub":
          if (byte === IAC) this.#state = "sub-iac";
          else if (this.#sub < MAX_SUBNEGOTIATION) this.#sub++;
          else {
            target[out++] = byte;
            this.#state = "data";
          }
          break;
        case "sub-iac":
          this.#state = byte === SE ? "data" : "sub";
          break;
      }
    }
    return target.subarray(0, out);
  }
}
