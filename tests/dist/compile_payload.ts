/**
 * Running `deno compile` without its runtime base. `deno compile` writes the module graph
 * and a JSON metadata block (permissions, unstable features, baked-in argv, entry point)
 * into a copy of `denort`, which it downloads — impossible offline. Pointing `DENORT_BIN`
 * at a tiny stand-in ELF file lets the real compile step run to the end, and the metadata
 * it baked in can then be read back and compared with what the tests run with. The result
 * is not runnable; it only proves what a real build would carry.
 * @module
 */

/** The smallest ELF64 file `deno compile` accepts as a base: a header and one PT_LOAD. */
export function standInElf(): Uint8Array {
  const bytes = new Uint8Array(120);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // \x7fELF, 64-bit, little-endian, v1
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 0x3e, true); // x86-64
  view.setUint32(20, 1, true); // version
  view.setBigUint64(24, 0x400000n, true); // entry
  view.setBigUint64(32, 64n, true); // program headers right after the header
  view.setUint16(52, 64, true); // header size
  view.setUint16(54, 56, true); // program header size
  view.setUint16(56, 1, true); // one program header
  view.setUint16(58, 64, true); // section header size
  view.setUint32(64, 1, true); // PT_LOAD
  view.setUint32(68, 5, true); // R+X
  view.setBigUint64(80, 0x400000n, true); // vaddr
  view.setBigUint64(88, 0x400000n, true); // paddr
  view.setBigUint64(96, 120n, true); // file size
  view.setBigUint64(104, 120n, true); // memory size
  view.setBigUint64(112, 0x1000n, true); // alignment
  return bytes;
}

/** What `deno compile` bakes into the binary, as far as these checks look. */
export interface CompileMetadata {
  argv: string[];
  entrypoint_key: string;
  permissions: Record<string, unknown>;
  unstable_config: { features: string[] } & Record<string, unknown>;
  env_vars_from_env_file: Record<string, string>;
  [key: string]: unknown;
}

const MAGIC = new TextEncoder().encode("d3n0l4ndd3n0l4nd");

/** Reads the metadata block out of a compiled file (throws if there is none). */
export function readCompileMetadata(binary: Uint8Array): CompileMetadata {
  const at = indexOf(binary, MAGIC);
  if (at === -1) throw new Error("No deno compile payload found (the payload format changed?)");
  const view = new DataView(binary.buffer, binary.byteOffset, binary.byteLength);
  const length = Number(view.getBigUint64(at + MAGIC.length, true));
  const start = at + MAGIC.length + 8;
  if (length <= 0 || start + length > binary.length) {
    throw new Error(`Implausible metadata length ${length} in the deno compile payload`);
  }
  return JSON.parse(new TextDecoder().decode(binary.subarray(start, start + length)));
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first); i !== -1; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    let match = true;
    for (let j = 1; j < needle.length && match; j++) match = haystack[i + j] === needle[j];
    if (match) return i;
  }
  return -1;
}

/**
 * The permission fields `deno compile` derives from a deno.json permission set:
 * `true` → `[]` (everything), a list → that list, absent or `false` → `null`.
 */
export function expectedPermissionFields(
  set: Record<string, unknown>,
): Record<string, string[] | null> {
  const kinds = ["env", "net", "ffi", "read", "run", "sys", "write"];
  const fields: Record<string, string[] | null> = {};
  for (const kind of kinds) {
    const value = set[kind];
    fields[`allow_${kind}`] = value === true
      ? []
      : Array.isArray(value)
      ? value.map(String)
      : value === undefined || value === false
      ? null
      : [String(value)];
  }
  return fields;
}
