/**
 * A program run for one connection (`server --exec`): its stdin and stdout as an
 * endpoint, its stderr passed through to ours, its exit status, and a way to stop it.
 * argv only: no shell ever sees it.
 * @module
 */

import { quote } from "../output/format.ts";
import type { Endpoint } from "./endpoint.ts";

/** A running program. */
export interface Program {
  /** stdout → read, write → stdin, `closeWrite` closes its stdin (end of input). */
  endpoint: Endpoint;
  /** Resolves when it has exited. */
  status: Promise<Deno.CommandStatus>;
  /** Sends `signal` if it is still running. */
  kill(signal: Deno.Signal): void;
}

/**
 * Starts `argv` (program first) with piped stdin and stdout and our stderr.
 * @throws {Deno.errors.NotFound} and the like when it cannot be started.
 */
export function startProgram(argv: readonly string[], name: string): Program {
  const [program, ...args] = argv;
  const child = new Deno.Command(program!, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let exited = false;
  const status = child.status.finally(() => (exited = true));
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  let leftover: Uint8Array | null = null;
  let writeClosed = false;
  let closed = false;
  const endpoint: Endpoint = {
    name,
    async read(buf) {
      if (leftover === null) {
        const { value, done } = await reader.read();
        if (done) return null;
        leftover = value;
      }
      const n = Math.min(buf.length, leftover.length);
      buf.set(leftover.subarray(0, n));
      leftover = n === leftover.length ? null : leftover.subarray(n);
      return n;
    },
    write: (data) => writer.write(data),
    async closeWrite() {
      if (writeClosed || closed) return;
      writeClosed = true;
      await writer.close();
    },
    close() {
      if (closed) return;
      closed = true;
      if (!writeClosed) writer.abort().catch(() => {});
      reader.cancel().catch(() => {});
    },
  };
  return {
    endpoint,
    status,
    kill(signal) {
      if (exited) return;
      try {
        child.kill(signal);
      } catch {
        // exited meanwhile
      }
    },
  };
}

/**
 * Checks that `name` can be run, before the server listens: a path must be an executable
 * file; a bare name must be one in a `PATH` directory (where the spawn will find it).
 * @throws {Error} `Cannot run "NAME": not found in PATH` (or `no such file`, `not executable`).
 */
export function checkProgram(name: string): void {
  const paths = name.includes("/")
    ? [name]
    : (Deno.env.get("PATH") ?? "").split(":").filter(Boolean).map((dir) => `${dir}/${name}`);
  const found = paths.map(statOrNull).filter((info) => info !== null && info.isFile);
  if (found.some((info) => ((info!.mode ?? 0o111) & 0o111) !== 0)) return;
  const reason = found.length > 0
    ? "not executable"
    : name.includes("/")
    ? "no such file"
    : "not found in PATH";
  throw new Error(`Cannot run ${quote(name)}: ${reason}`);
}

function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch {
    return null;
  }
}
