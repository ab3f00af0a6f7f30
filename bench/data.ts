/**
 * Test data for the throughput case: a random file generated once into the scratch
 * directory, and SHA-256 of files and of runs of zero bytes, streamed.
 * @module
 */

import { createHash } from "node:crypto";

/** Writes `size` random bytes to `path` (1 MiB at a time). */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const chunk = new Uint8Array(1 << 20);
  for (let done = 0; done < size; done += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, size - done));
    for (let i = 0; i < part.length; i += 65536) {
      crypto.getRandomValues(part.subarray(i, i + 65536));
    }
    let offset = 0;
    while (offset < part.length) offset += await file.write(part.subarray(offset));
  }
}

/** Hex SHA-256 of a byte stream, and how many bytes it had. */
export async function hashStream(
  stream: ReadableStream<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Hex SHA-256 of the file at `path`. */
export async function hashFile(path: string): Promise<string> {
  using file = await Deno.open(path);
  return (await hashStream(file.readable)).sha256;
}

/** Hex SHA-256 of `size` zero bytes (what `head -c SIZE /dev/zero` produces). */
export function hashZeros(size: number): string {
  const hash = createHash("sha256");
  const zeros = new Uint8Array(1 << 20);
  for (let done = 0; done < size; done += zeros.length) {
    hash.update(zeros.subarray(0, Math.min(zeros.length, size - done)));
  }
  return hash.digest("hex");
}
