/**
 * An endpoint whose traffic is written to a transcript (`--hex`, `--log`) as it passes:
 * received chunks as soon as they are read, sent chunks just before they are written,
 * each direction's end when it comes. Only built when a transcript is asked for, so the
 * relay's path without one is untouched.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import type { ConnectionLog } from "../output/wire_log.ts";

/** `endpoint`, with what it reads logged as `<` and what is written to it as `>`. */
export function tappedEndpoint(endpoint: Endpoint, log: ConnectionLog): Endpoint {
  let readEnded = false;
  let writeEnded = false;
  return {
    name: endpoint.name,
    async read(buf) {
      const n = await endpoint.read(buf);
      if (n !== null) {
        log.chunk("<", buf.subarray(0, n));
      } else if (!readEnded) {
        readEnded = true;
        log.end("<");
      }
      return n;
    },
    write(data, onProgress) {
      // Logged first, so that a reply it causes can never appear above it.
      log.chunk(">", data);
      return endpoint.write(data, onProgress);
    },
    async closeWrite() {
      await endpoint.closeWrite();
      if (writeEnded) return;
      writeEnded = true;
      log.end(">");
    },
    close: () => endpoint.close(),
  };
}
