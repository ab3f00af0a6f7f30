/**
 * Opening a file to stream its bytes (`--send-file`), with the OS error rewritten into
 * one short reason.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import type { ByteSource } from "./stdio.ts";

/** An open file to read once, front to back. */
export interface FileSource extends ByteSource, Disposable {
  readonly path: string;
}

/**
 * Opens `path` for reading. Directories are refused here, so that the error shows up
 * before anything is connected.
 * @throws {Error} whose message is a short lower-case reason (`no such file`).
 */
export async function openFileSource(path: string): Promise<FileSource> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw new Error(fileReason(error), { cause: error });
  }
  try {
    if ((await file.stat()).isDirectory) throw new Error("is a directory");
  } catch (error) {
    file.close();
    throw error instanceof Error && error.message === "is a directory"
      ? error
      : new Error(fileReason(error), { cause: error });
  }
  let closed = false;
  return {
    path,
    read: (buf) => file.read(buf),
    [Symbol.dispose]() {
      if (closed) return;
      closed = true;
      closeQuietly(file);
    },
  };
}

/** A file error as one short lower-case reason (`no such file`, `permission denied`). */
export function fileReason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(os error \d+\)$/, "").replace(/^./, (c) => c.toLowerCase());
}
