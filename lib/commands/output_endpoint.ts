/**
 * The local side of a pipe: stdin in, and out either raw bytes on stdout or, with
 * `--json`, `data` events (stdout then carries only JSON).
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import { stdioEndpoint } from "../net/stdio.ts";
import { payloadFields } from "../output/events.ts";
import type { CommandContext } from "./context.ts";

/** stdio as the A side of a relay with `peer`. */
export function localEndpoint(ctx: CommandContext, peer: string): Endpoint {
  const raw = stdioEndpoint(ctx.stdin, ctx.stdout);
  if (!ctx.reporter.json) return raw;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return {
    ...raw,
    write(data) {
      let fields: { text: string } | { base64: string };
      try {
        fields = { text: decoder.decode(data, { stream: true }) };
      } catch {
        decoder.decode(); // reset after the failure
        fields = payloadFields(data);
      }
      ctx.reporter.emit({ type: "data", peer, bytes: data.length, ...fields });
      return ctx.stdout.flush().then(() => {
        if (ctx.stdout.broken) throw new Deno.errors.BrokenPipe("Output closed");
      });
    },
  };
}
