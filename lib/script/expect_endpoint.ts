/**
 * Wraps the output side of a client with `--expect` matching: every chunk the peer sends
 * is matched, then written on as usual (raw on stdout, or a `data` event). A closed
 * stdout does not stop the matching: the check still decides the exit code.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";
import { isBrokenPipe } from "../output/writer.ts";
import type { ExpectMatch, ExpectMatcher } from "./expect_matcher.ts";

/** What to do when patterns match. */
export interface ExpectHooks {
  /** Called for each pattern that matched, after the data that matched was written. */
  onMatch(match: ExpectMatch): void;
  /** Called once, when the last pattern has matched. */
  onDone(): void;
}

/** `inner` with its writes fed to `matcher`. */
export function expectEndpoint(
  inner: Endpoint,
  matcher: ExpectMatcher,
  hooks: ExpectHooks,
): Endpoint {
  return {
    name: inner.name,
    read: (buf) => inner.read(buf),
    async write(data) {
      // Match before writing: the relay may reuse `data` once the write resolves.
      const matches = matcher.push(data);
      try {
        await inner.write(data);
      } catch (error) {
        if (!isBrokenPipe(error)) throw error;
      }
      for (const match of matches) hooks.onMatch(match);
      if (matches.length > 0 && matcher.done) hooks.onDone();
    },
    closeWrite: () => inner.closeWrite(),
    close: () => inner.close(),
  };
}
