/**
 * stdin/stdout as an endpoint. Writes go through the shared ordered stdout writer, so
 * data and JSON events never interleave mid-line.
 * @module
 */

import type { OrderedWriter } from "../output/writer.ts";
import type { Endpoint } from "./endpoint.ts";

/** A source of bytes such as `Deno.stdin`. */
export interface ByteSource {
  read(p: Uint8Array): Promise<number | null>;
}

/** stdin as commands see it. */
export interface Stdin extends ByteSource {
  isTerminal(): boolean;
  setRaw?(mode: boolean): void;
}

/** stdin → read, stdout → write. `closeWrite` is a no-op: stdout stays open for events. */
export function stdioEndpoint(stdin: ByteSource, stdout: OrderedWriter): Endpoint {
  return {
    name: "stdio",
    read: (buf) => stdin.read(buf),
    write: (data) => stdout.write(data),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  };
}
