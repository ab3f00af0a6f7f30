/**
 * `--hex` and `--log FILE`: a transcript of what crossed a connection, for people. Each
 * chunk gets a header line — direction (`>` sent, `<` received), UTC timestamp, peer,
 * the chunk's offset in that direction's stream and its length — then its bytes: in the
 * `hexdump -C` layout with `--hex` (rows addressed by stream offset), else as text,
 * sanitised like chat lines (control characters shown as `^M`, `^[`), line by line.
 * A direction's end gets its own line (`> … end offset=N`: we sent FIN; `<`: the peer did).
 *
 * The log is written synchronously, in the order things happened, before the chunk goes
 * on: nothing is reordered or left out, and a slow log slows the connection instead.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { fileReason } from "../net/file_source.ts";
import { quote } from "./format.ts";
import { hexDump } from "./hex_dump.ts";
import { sanitiseText } from "./sanitise.ts";

/** `>`: we sent it; `<`: we received it. */
export type WireDirection = ">" | "<";

/** How a transcript looks and where it goes. */
export interface WireLogOptions {
  /** Bytes in the `hexdump -C` layout instead of sanitised text. */
  hex: boolean;
  /** Writes one block of complete lines (each ending in `\n`), synchronously. */
  write: (text: string) => void;
  now?: () => Date;
}

/** The transcript of one connection: call `chunk` for each chunk, `end` at each FIN. */
export interface ConnectionLog {
  chunk(direction: WireDirection, bytes: Uint8Array): void;
  end(direction: WireDirection): void;
}

/** What the user asked for: `--hex`, `--log FILE`. */
export interface WireLogSpec {
  hex: boolean;
  /** `--log FILE`: the transcript goes here (created or truncated) instead of stderr. */
  file?: string;
}

/** One run's transcript, shared by its connections. */
export class WireLog {
  readonly #options: WireLogOptions;
  readonly #now: () => Date;

  constructor(options: WireLogOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The transcript of a connection to or from `peer`. */
  connection(peer: string): ConnectionLog {
    const offsets = { ">": 0, "<": 0 };
    const decoders = { ">": new TextDecoder(), "<": new TextDecoder() };
    const header = (direction: WireDirection, rest: string) =>
      `${direction} ${this.#now().toISOString()} ${peer} ${rest}\n`;
    return {
      chunk: (direction, bytes) => {
        if (bytes.length === 0) return;
        const offset = offsets[direction];
        offsets[direction] += bytes.length;
        const body = this.#options.hex
          ? hexDump(bytes, offset)
          : textBody(decoders[direction].decode(bytes, { stream: true }));
        this.#options.write(header(direction, `offset=${offset} length=${bytes.length}`) + body);
      },
      end: (direction) => {
        const rest = this.#options.hex ? "" : textBody(decoders[direction].decode());
        this.#options.write(header(direction, `end offset=${offsets[direction]}`) + rest);
      },
    };
  }
}

/** Text for the log: each line sanitised, every line ended (a chunk may end mid-line). */
function textBody(text: string): string {
  if (text === "") return "";
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => sanitiseText(line) + "\n").join("");
}

const encoder = new TextEncoder();

/**
 * Opens the transcript `spec` asks for: `--log FILE` (created or truncated now, so that a
 * bad path fails before anything connects) or stderr through `stderrLine`.
 * @throws {Error} `Cannot open log file "F": reason` when FILE cannot be written.
 */
export function openWireLog(
  spec: WireLogSpec,
  stderrLine: (line: string) => void,
): WireLog & Disposable {
  if (spec.file === undefined) {
    const log = new WireLog({ hex: spec.hex, write: (text) => stderrLine(text.slice(0, -1)) });
    return Object.assign(log, { [Symbol.dispose]() {} });
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(spec.file, { write: true, create: true, truncate: true });
  } catch (error) {
    throw new Error(`Cannot open log file ${quote(spec.file)}: ${fileReason(error)}`, {
      cause: error,
    });
  }
  const log = new WireLog({
    hex: spec.hex,
    write: (text) => {
      const data = encoder.encode(text);
      let offset = 0;
      while (offset < data.length) offset += file.writeSync(data.subarray(offset));
    },
  });
  return Object.assign(log, { [Symbol.dispose]: () => closeQuietly(file) });
}
