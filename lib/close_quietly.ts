/**
 * Closing a resource that may be closed already (by the peer, by Deno after a reset, or
 * by another path of ours): the one place that ignores the error that brings.
 * @module
 */

/** Closes `resource`; an error (already closed, gone) is ignored. */
export function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed: nothing is left to release.
  }
}
