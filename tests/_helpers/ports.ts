/**
 * Loopback ports for tests (and the bench) that need a port nothing listens on.
 * @module
 */

/** A port that was free a moment ago on `hostname` (bound, then released). */
export function freePort(hostname = "127.0.0.1"): number {
  using listener = Deno.listen({ hostname, port: 0 });
  return listener.addr.port;
}
