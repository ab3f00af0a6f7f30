/**
 * The basic netcat check: a `server --mode pipe` and a `client` each get bytes on stdin,
 * close it, and must both exit 0 having printed exactly what the other one sent.
 * @module
 */

import assert from "node:assert/strict";
import { randomBytes, sha256 } from "./bytes.ts";
import { type CliProcess, spawnCli } from "./cli.ts";

/** Options of `pipeExchange`. */
export interface PipeExchange {
  /** Bytes each way. */
  size: number;
  /** Extra server arguments (e.g. TLS files); `--mode pipe --port 0` are added. */
  serverArgs?: string[];
  /** Client arguments before HOST PORT (e.g. `--ca FILE`). */
  clientArgs?: string[];
  /** Host the client connects to. */
  host?: string;
  timeoutMs?: number;
  /** Called once the server listens (e.g. to check its readiness line). */
  onListening?: (server: CliProcess) => void;
}

/** Runs the exchange and asserts exit codes and SHA-256 of both directions. */
export async function pipeExchange(options: PipeExchange): Promise<void> {
  const up = randomBytes(options.size);
  const down = randomBytes(options.size);
  const timeoutMs = options.timeoutMs ?? 30_000;
  await using server = spawnCli(
    ["server", "--mode", "pipe", "--port", "0", ...(options.serverArgs ?? [])],
    { stdin: "piped" },
  );
  const { port } = await server.listening(20_000);
  options.onListening?.(server);
  await using client = spawnCli(
    ["client", ...(options.clientArgs ?? []), options.host ?? "127.0.0.1", String(port)],
    { stdin: "piped" },
  );
  await Promise.all([
    server.write(down).then(() => server.closeStdin()),
    client.write(up).then(() => client.closeStdin()),
  ]);
  assert.equal(await client.exit(timeoutMs), 0, client.stderr);
  assert.equal(await server.exit(timeoutMs), 0, server.stderr);
  assert.equal(sha256(server.stdout), sha256(up));
  assert.equal(sha256(client.stdout), sha256(down));
}
