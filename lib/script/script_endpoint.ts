/**
 * The local side of a scripted client (`--send`, `--send-file`): its reads yield the
 * scripted bytes in order and then end of stream — which makes the relay half-close the
 * connection — or, with `--keep-open`, no end until the peer has finished. Writes (what
 * the peer sends) go to the wrapped output endpoint. stdin is never read.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import type { ByteSource } from "../net/stdio.ts";

/** One thing to send: literal bytes or a source read to its end. */
export type ScriptPart = Uint8Array | ByteSource;

/** Options of `scriptEndpoint`. */
export interface ScriptEndpointOptions {
  /** Sent in order. */
  parts: readonly ScriptPart[];
  /** Do not end (no half-close) after the last part; end once the peer has finished. */
  keepOpen: boolean;
  /** Where received data goes (stdout or `data` events). */
  output: Endpoint;
}

/** Builds the scripted local endpoint. */
export function scriptEndpoint(options: ScriptEndpointOptions): Endpoint {
  const { parts, keepOpen, output } = options;
  let index = 0;
  let offset = 0;
  let release: (() => void) | undefined;
  let released = false;
  const held = new Promise<void>((resolve) => (release = resolve));
  const releaseHold = () => {
    released = true;
    release?.();
  };
  return {
    name: output.name,
    async read(buf) {
      while (index < parts.length) {
        const part = parts[index]!;
        if (part instanceof Uint8Array) {
          const n = Math.min(buf.length, part.length - offset);
          buf.set(part.subarray(offset, offset + n));
          offset += n;
          if (offset >= part.length) [index, offset] = [index + 1, 0];
          if (n > 0) return n;
          continue;
        }
        const n = await part.read(buf);
        if (n === null) index++;
        else if (n > 0) return n;
      }
      if (keepOpen && !released) await held;
      return null;
    },
    write: (data) => output.write(data),
    closeWrite() {
      // The peer has finished sending: with --keep-open, now is the time to end too.
      releaseHold();
      return output.closeWrite();
    },
    close() {
      releaseHold();
      output.close();
    },
  };
}
