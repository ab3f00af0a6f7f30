/**
 * Byte helpers shared by every layer: joining chunks, and finding where a chunk stops
 * holding whole UTF-8 characters (a character split across two reads must be decoded
 * whole).
 * @module
 */

/** Joins byte chunks into one array (the only chunk itself when there is one). */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * The length of the longest prefix of `bytes` that does not end inside a multi-byte
 * UTF-8 character: a character split across two reads stays whole if only this prefix
 * is decoded now and the rest is kept for the next read. Invalid bytes count as
 * complete (they decode to U+FFFD, or go out as base64, either way).
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  // A character is at most 4 bytes: look back at most 3 bytes for its lead byte.
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 && byte <= 0xf4
      ? 4
      : byte >= 0xe0 && byte <= 0xef
      ? 3
      : byte >= 0xc2 && byte <= 0xdf
      ? 2
      : 1;
    return need > back ? end - back : end;
  }
  return end;
}
