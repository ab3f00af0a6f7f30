/**
 * stdin as the relay reads it. Deno reads stdin (a pipe or a file) on a helper thread into
 * a fresh buffer the size of the request and copies it back, so a large request costs a
 * large allocation even when a pipe holds 64 KiB. So reads from a pipe are capped at
 * 256 KiB, and reads from a regular file (`< file`) at 1 MiB: measured on the 2-core
 * machine (alternating rounds, 1 GiB from `head -c 1G /dev/zero |`, a 256 MiB file),
 * 1 MiB reads were 0.94–0.96× from a pipe and, with the relay's 1 MiB buffers, 1.24× (median of
 * 5) from a file. Socket reads go straight into the caller's buffer.
 * @module
 */

import type { ByteSource } from "./stdio.ts";

/** The largest single read from stdin when it is a pipe or a terminal. */
export const STDIN_READ_BYTES = 256 * 1024;

/** The largest single read from stdin when it is a regular file. */
export const FILE_READ_BYTES = 1024 * 1024;

/** The read size for this process's stdin: larger for a regular file than for a pipe. */
export function stdinReadBytes(): number {
  try {
    return Deno.statSync("/dev/stdin").isFile ? FILE_READ_BYTES : STDIN_READ_BYTES;
  } catch {
    return STDIN_READ_BYTES; // no /dev/stdin (Windows), or no permission: the safe size
  }
}

/** Wraps `source` so that no single read asks for more than `max` bytes. */
export function cappedSource(source: ByteSource, max = STDIN_READ_BYTES): ByteSource {
  return {
    read: (buf) => source.read(buf.length > max ? buf.subarray(0, max) : buf),
  };
}
