/**
 * Raw terminal bytes → keys. Pure and incremental: a UTF-8 character or an escape
 * sequence split across reads is completed by the next `feed`. A lone ESC cannot be told
 * from the start of a sequence until more bytes come, so it stays pending; the caller
 * calls `flush()` after a short quiet moment (`ESCAPE_TIMEOUT_MS`) to settle it.
 * Unknown sequences and control bytes are dropped, never turned into text.
 * @module
 */

/** The named keys the line editor understands. */
export type KeyName =
  | "enter"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "word-left"
  | "word-right"
  | "kill-to-start"
  | "kill-to-end"
  | "kill-word-back"
  | "kill-word-forward"
  | "yank"
  | "transpose"
  | "clear-screen"
  | "interrupt"
  | "eof"
  | "escape";

/** One decoded key: typed text (one or more characters) or a named key. */
export type Key = { kind: "text"; text: string } | { kind: "key"; name: KeyName };

/** How long a lone ESC waits for the rest of a sequence before it counts as the Esc key. */
export const ESCAPE_TIMEOUT_MS = 50;

const CONTROL_KEYS: Record<number, KeyName> = {
  0x01: "home", // Ctrl-A
  0x02: "left", // Ctrl-B
  0x03: "interrupt", // Ctrl-C
  0x04: "eof", // Ctrl-D (delete-forward when the line is not empty)
  0x05: "end", // Ctrl-E
  0x06: "right", // Ctrl-F
  0x08: "backspace", // Ctrl-H
  0x0a: "enter", // Ctrl-J / LF
  0x0b: "kill-to-end", // Ctrl-K
  0x0c: "clear-screen", // Ctrl-L
  0x0d: "enter", // CR
  0x0e: "down", // Ctrl-N
  0x10: "up", // Ctrl-P
  0x14: "transpose", // Ctrl-T
  0x15: "kill-to-start", // Ctrl-U
  0x17: "kill-word-back", // Ctrl-W
  0x19: "yank", // Ctrl-Y
  0x7f: "backspace", // DEL, what most terminals send for Backspace
};

/** Final byte of `ESC [ … X` or `ESC O X` → key. */
const CSI_FINAL: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

/** `ESC [ N ~` → key. */
const CSI_TILDE: Record<string, KeyName> = {
  "1": "home",
  "3": "delete",
  "4": "end",
  "7": "home",
  "8": "end",
};

/** `ESC x` (Alt/Meta + x) → key. */
const META_KEYS: Record<string, KeyName> = {
  b: "word-left",
  f: "word-right",
  d: "kill-word-forward",
  "\x7f": "kill-word-back",
  "\x08": "kill-word-back",
};

/** Longest escape sequence kept while waiting for its end; longer ones are dropped. */
const MAX_SEQUENCE = 32;

/** Incremental decoder of terminal input. */
export class KeyDecoder {
  /** Bytes of an unfinished escape sequence (starting with ESC). */
  #sequence: number[] = [];
  /** Bytes of an unfinished UTF-8 character. */
  #utf8: number[] = [];
  #utf8Need = 0;
  /** A CR was the last byte: a directly following LF belongs to it (CRLF = one Enter). */
  #afterCr = false;

  /** Decodes `bytes`; keys still incomplete wait for the next call. */
  feed(bytes: Uint8Array): Key[] {
    const keys: Key[] = [];
    let text = "";
    const flushText = () => {
      if (text !== "") keys.push({ kind: "text", text });
      text = "";
    };
    for (const byte of bytes) {
      const afterCr = this.#afterCr;
      this.#afterCr = false;
      if (this.#sequence.length > 0 && this.#interrupts(byte)) {
        flushText();
        keys.push(...this.flush()); // a control byte ends the sequence and counts itself
      }
      if (this.#sequence.length > 0) {
        const key = this.#continueSequence(byte);
        if (key !== undefined) {
          flushText();
          if (key !== null) keys.push(key);
        }
        continue;
      }
      if (this.#utf8Need > 0) {
        if ((byte & 0xc0) === 0x80) {
          this.#utf8.push(byte);
          if (--this.#utf8Need === 0) text += this.#takeUtf8();
          continue;
        }
        this.#utf8 = [];
        this.#utf8Need = 0; // a broken character is dropped; this byte starts afresh
      }
      if (byte >= 0x20 && byte < 0x7f) {
        text += String.fromCharCode(byte);
      } else if (byte >= 0xc2 && byte <= 0xf4) {
        this.#utf8 = [byte];
        this.#utf8Need = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
      } else if (byte === 0x1b) {
        flushText();
        this.#sequence = [byte];
      } else if (byte === 0x09) {
        text += " "; // Tab: a space, so pasted text keeps its words apart
      } else if (byte === 0x0a && afterCr) {
        // the LF of a CRLF
      } else {
        const name = CONTROL_KEYS[byte];
        if (name !== undefined) {
          flushText();
          keys.push({ kind: "key", name });
          this.#afterCr = byte === 0x0d;
        }
      }
    }
    flushText();
    return keys;
  }

  /** True while an escape sequence waits for more bytes (call `flush` after a pause). */
  get pending(): boolean {
    return this.#sequence.length > 0;
  }

  /** Settles a lone ESC as the Esc key; an unfinished longer sequence is dropped. */
  flush(): Key[] {
    const lone = this.#sequence.length === 1;
    this.#sequence = [];
    return lone ? [{ kind: "key", name: "escape" }] : [];
  }

  /** Whether a control `byte` breaks off the pending sequence (Alt-Backspace does not). */
  #interrupts(byte: number): boolean {
    if (byte >= 0x20 && byte !== 0x7f) return false;
    return !(this.#sequence.length === 1 && (byte === 0x7f || byte === 0x08));
  }

  #takeUtf8(): string {
    const char = new TextDecoder().decode(new Uint8Array(this.#utf8));
    this.#utf8 = [];
    // Overlong forms and surrogates decode to U+FFFD; C1 controls are not text either.
    return /[\u0080-\u009f\ufffd]/.test(char) ? "" : char;
  }

  /** Adds `byte` to the pending sequence: a key when it ends, null if it ends unknown. */
  #continueSequence(byte: number): Key | null | undefined {
    const seq = this.#sequence;
    seq.push(byte);
    if (seq.length === 2) {
      if (byte === 0x5b || byte === 0x4f) return undefined; // ESC [ or ESC O
      this.#sequence = [];
      const meta = META_KEYS[String.fromCharCode(byte)];
      return meta === undefined ? null : { kind: "key", name: meta };
    }
    const ss3 = seq[1] === 0x4f;
    const final = ss3 || (byte >= 0x40 && byte <= 0x7e);
    if (!final) {
      if (seq.length >= MAX_SEQUENCE || byte < 0x20 || byte > 0x3f) {
        this.#sequence = [];
        return null;
      }
      return undefined;
    }
    this.#sequence = [];
    const body = String.fromCharCode(...seq.slice(2, -1));
    return decodeSequence(String.fromCharCode(byte), body);
  }
}

/** Maps a CSI/SS3 sequence (parameters `body`, final byte `final`) to a key, or null. */
function decodeSequence(final: string, body: string): Key | null {
  const params = body.split(";");
  const modifier = Number(params[1] ?? "1");
  const ctrlOrAlt = modifier === 3 || modifier === 5;
  let name: KeyName | undefined;
  if (final === "~") {
    name = CSI_TILDE[params[0] ?? ""];
  } else {
    name = CSI_FINAL[final];
    if (ctrlOrAlt && name === "left") name = "word-left";
    if (ctrlOrAlt && name === "right") name = "word-right";
  }
  return name === undefined ? null : { kind: "key", name };
}
