/**
 * Ending a connection ourselves (end of input, `--timeout`, Ctrl-C, `--idle-timeout`,
 * `--expect` done) the way the peer expects: our half-close first (over TLS a
 * close_notify, then the FIN), then the full close. Without the close_notify a TLS peer
 * cannot tell our deliberate end from a cut connection (`openssl s_server` says
 * `unexpected eof`).
 * @module
 */

import { settleWithin } from "../async.ts";
import type { Endpoint } from "./endpoint.ts";

/**
 * How long the half-close may take. It needs no answer from the peer, only room in the
 * send buffer, so it is done at once unless the peer stopped reading.
 */
export const END_GRACE_MS = 500;

/**
 * Half-closes `endpoint` (bounded by `END_GRACE_MS`), then closes it. With `stuck` (a
 * write to the peer is still waiting: it stopped reading) nothing more can get through,
 * so it closes at once. Never rejects.
 */
export async function endConnection(endpoint: Endpoint, stuck = false): Promise<void> {
  try {
    if (!stuck) await settleWithin(endpoint.closeWrite(), END_GRACE_MS);
  } finally {
    endpoint.close();
  }
}
