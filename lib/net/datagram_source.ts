/**
 * What `udp send` sends: the MESSAGE, each line of stdin, or all of stdin (`--raw`),
 * repeated `--count` times (0: until interrupted). Stdin is read as it arrives, so
 * typed lines go out at once; it is kept in memory only when it must be sent again.
 * @module
 */

import type { ByteSource } from "./stdio.ts";
import { abortable } from "../async.ts";
import { concatBytes } from "../bytes.ts";
import { RawLineSplitter } from "./raw_line_splitter.ts";

/** Where the datagrams come from. */
export type DatagramInput =
  | { kind: "message"; message: Uint8Array }
  | { kind: "lines"; stdin: ByteSource }
  | { kind: "whole"; stdin: ByteSource };

/** Options of `datagramSource`. */
export interface SourceOptions {
  /** Times to send the input; 0 repeats until `signal` aborts. */
  count: number;
  /** The largest datagram allowed; a larger one is a `RangeError`. */
  maxPayload: number;
  signal: AbortSignal;
}

const READ_SIZE = 64 * 1024;

/** Yields each datagram to send, in order. */
export async function* datagramSource(
  input: DatagramInput,
  options: SourceOptions,
): AsyncGenerator<Uint8Array> {
  const recorded: Uint8Array[] = [];
  const record = options.count !== 1;
  const first = input.kind === "message"
    ? single(input.message)
    : input.kind === "lines"
    ? stdinLines(input.stdin, options)
    : stdinWhole(input.stdin, options);
  for await (const datagram of first) {
    if (record) recorded.push(datagram);
    yield datagram;
  }
  for (let round = 1; options.count === 0 || round < options.count; round++) {
    if (recorded.length === 0) return; // empty stdin: nothing to repeat
    yield* recorded;
  }
}

function* single(message: Uint8Array): Generator<Uint8Array> {
  yield message;
}

async function* stdinLines(stdin: ByteSource, options: SourceOptions): AsyncGenerator<Uint8Array> {
  const splitter = new RawLineSplitter(options.maxPayload);
  const buf = new Uint8Array(READ_SIZE);
  while (true) {
    const n = await abortable(stdin.read(buf), options.signal);
    if (n === null) break;
    yield* splitter.push(buf.subarray(0, n));
  }
  const last = splitter.end();
  if (last !== null) yield last;
}

async function* stdinWhole(stdin: ByteSource, options: SourceOptions): AsyncGenerator<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const buf = new Uint8Array(READ_SIZE);
  while (true) {
    const n = await abortable(stdin.read(buf), options.signal);
    if (n === null) break;
    length += n;
    if (length > options.maxPayload) {
      throw new RangeError(
        `stdin holds more than ${options.maxPayload} bytes, too large for one datagram`,
      );
    }
    parts.push(buf.slice(0, n));
  }
  yield concatBytes(parts);
}
