/**
 * RESP2, the Redis wire protocol, both ways: commands go out as arrays of bulk strings;
 * replies come back as simple strings (`+`), errors (`-`), integers (`:`), bulk strings
 * (`$`, text here: everything sockchat keeps in Redis is UTF-8) and arrays (`*`).
 * Pub/sub pushes are plain arrays too. Pure: bytes in, values out.
 * @module
 */

import { concatBytes } from "../bytes.ts";

/** A reply error (`-ERR ...`): `code` is its first word (`ERR`, `NOAUTH`, `WRONGPASS`). */
export class RespError extends Error {
  override name = "RespError";
  readonly code: string;
  constructor(line: string) {
    super(line);
    this.code = /^\S+/.exec(line)?.[0] ?? "ERR";
  }
}

/** One decoded reply. `null` is a null bulk string or array. */
export type RespValue = string | number | null | RespError | RespValue[];

const encoder = new TextEncoder();

/** Longest bulk string or array accepted from the server (a corrupt length is an error). */
const MAX_BULK_BYTES = 512 * 1024 * 1024;
const MAX_ARRAY_ITEMS = 16 * 1024 * 1024;

/**
 * A command as RESP: `*N\r\n` then one `$len\r\nbytes\r\n` per argument.
 * @example
 * encodeCommand(["PING"]); // "*1\r\n$4\r\nPING\r\n" as bytes
 */
export function encodeCommand(args: readonly (string | number)[]): Uint8Array {
  let text = `*${args.length}\r\n`;
  for (const arg of args) {
    const value = String(arg);
    text += `$${utf8Length(value)}\r\n${value}\r\n`;
  }
  return encoder.encode(text);
}

/**
 * The UTF-8 byte length of `text`, counted without encoding it (one `encode` per command
 * instead of one per argument: a room link sends a command per line said).
 */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
        i++;
      } else bytes += 2; // a lone surrogate: U+FFFD, 3 bytes
    } else bytes += 2; // the rest of the BMP, and lone surrogates: 3 bytes
  }
  return bytes;
}

/** Incremental reply decoder: push bytes as they arrive, take the complete replies. */
export class RespDecoder {
  #buffer: Uint8Array = new Uint8Array(0);
  #pos = 0;
  readonly #decoder = new TextDecoder();

  /** Adds received bytes; returns every reply they complete, in order. */
  push(bytes: Uint8Array): RespValue[] {
    this.#append(bytes);
    const values: RespValue[] = [];
    while (true) {
      const start = this.#pos;
      const value = this.#value();
      if (value === INCOMPLETE) {
        this.#pos = start;
        break;
      }
      values.push(value);
    }
    return values;
  }

  #append(bytes: Uint8Array): void {
    const rest = this.#buffer.subarray(this.#pos);
    // A copy either way: the caller reuses its read buffer.
    this.#buffer = rest.length === 0 ? bytes.slice() : concatBytes([rest, bytes]);
    this.#pos = 0;
  }

  #value(): RespValue | typeof INCOMPLETE {
    const line = this.#line();
    if (line === INCOMPLETE) return INCOMPLETE;
    const kind = line[0];
    const rest = line.slice(1);
    switch (kind) {
      case "+":
        return rest;
      case "-":
        return new RespError(rest);
      case ":":
        return this.#integer(rest);
      case "$": {
        const length = this.#integer(rest);
        if (length < 0) return null;
        if (length > MAX_BULK_BYTES) throw new RangeError(`Redis reply too large: ${length} bytes`);
        if (this.#buffer.length - this.#pos < length + 2) return INCOMPLETE;
        const text = this.#decoder.decode(this.#buffer.subarray(this.#pos, this.#pos + length));
        this.#pos += length + 2;
        return text;
      }
      case "*": {
        const count = this.#integer(rest);
        if (count < 0) return null;
        if (count > MAX_ARRAY_ITEMS) throw new RangeError(`Redis reply too large: ${count} items`);
        const items: RespValue[] = [];
        for (let i = 0; i < count; i++) {
          const item = this.#value();
          if (item === INCOMPLETE) return INCOMPLETE;
          items.push(item);
        }
        return items;
      }
      default:
        throw new SyntaxError(`Not a Redis reply: ${JSON.stringify(line.slice(0, 40))}`);
    }
  }

  #integer(text: string): number {
    if (!/^-?\d+$/.test(text)) throw new SyntaxError(`Bad number in Redis reply: "${text}"`);
    return Number(text);
  }

  /** The next CRLF-terminated line (without the CRLF), or INCOMPLETE. */
  #line(): string | typeof INCOMPLETE {
    const buffer = this.#buffer;
    for (let i = this.#pos; i + 1 < buffer.length; i++) {
      if (buffer[i] === 13 && buffer[i + 1] === 10) {
        const line = this.#decoder.decode(buffer.subarray(this.#pos, i));
        this.#pos = i + 2;
        return line;
      }
    }
    if (buffer.length - this.#pos > 64 * 1024) {
      throw new SyntaxError("Not a Redis reply: a header line longer than 64 KiB");
    }
    return INCOMPLETE;
  }
}

const INCOMPLETE = Symbol("incomplete");
