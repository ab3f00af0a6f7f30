/**
 * Bounded waits for the load generators: a server that stalls must not hang the bench.
 * @module
 */

/** `promise`'s value, or null after `ms` (the promise is left running). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
