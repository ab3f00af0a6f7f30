/**
 * The local side of a pipe: stdin in, and out either raw bytes on stdout or, with
 * `--json`, `data` events (stdout then carries only JSON).
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import { type ByteSource, stdioEndpoint } from "../net/stdio.ts";
import type { OutputIo } from "./output_io.ts";
import { PayloadDecoder } from "./payload_decoder.ts";

/**
 * stdio as the local side of a relay with `peer`: reads come from stdin, writes become
 * output (raw bytes on stdout, or `data` events with `--json`).
 */
export function outputEndpoint(ctx: OutputIo & { stdin: ByteSource }, peer: string): Endpoint {
  const raw = stdioEndpoint(ctx.stdin, ctx.stdout);
  if (!ctx.reporter.json) return raw;
  const decoder = new PayloadDecoder();
  return {
    ...raw,
    write(data) {
      const payload = decoder.push(data);
      // A chunk that is only the start of a character is carried by the next event.
      if (payload.bytes > 0) ctx.reporter.emit({ type: "data", peer, ...payload });
      return ctx.stdout.flush().then(() => {
        if (ctx.stdout.broken) throw new Deno.errors.BrokenPipe("Output closed");
      });
    },
    closeWrite() {
      // The peer is done: a character it left unfinished goes out as it is.
      const rest = decoder.flush();
      if (rest !== null) ctx.reporter.emit({ type: "data", peer, ...rest });
      return raw.closeWrite();
    },
  };
}
