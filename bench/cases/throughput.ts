/**
 * Case 1, TCP pipe throughput: client → server in pipe mode on loopback, for a 512 MiB
 * random file on the client's stdin and for `head -c 2G /dev/zero |` into it. Every tool
 * runs as both ends (sockchat client → sockchat server, nc → nc -l, socat → socat, and a
 * minimal Deno loop, `bench/load/min_pipe.ts`, showing what Deno itself allows). The
 * server's output goes to /dev/null in the timed rounds; one extra untimed round per tool
 * pipes it into a SHA-256 check. Time = client start → both processes exited.
 * @module
 */

import { hashFile, hashStream, hashZeros, writeRandomFile } from "../data.ts";
import { freePort, waitListening } from "../net.ts";
import { waitBounded } from "../proc.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement, ToolResult } from "../types.ts";

const MiB = 1 << 20;

interface PipeTool extends Contender {
  server(port: number): string[];
  client(port: number): string[];
}

function tools(ctx: BenchContext): PipeTool[] {
  return [
    {
      name: "sockchat",
      note: "client → server --mode pipe",
      subject: true,
      server: (port) => ctx.sockchat(["server", "--mode", "pipe", "--port", String(port)]),
      client: (port) => ctx.sockchat(["client", "127.0.0.1", String(port)]),
    },
    {
      name: "nc",
      note: "OpenBSD nc -N → nc -l",
      requires: ["nc"],
      server: (port) => ["nc", "-l", "127.0.0.1", String(port)],
      client: (port) => ["nc", "-N", "127.0.0.1", String(port)],
    },
    {
      name: "socat -b 131072",
      note: "socat -u -b 131072 STDIN → TCP-LISTEN",
      requires: ["socat"],
      server: (port) => [
        "socat",
        "-u",
        "-b",
        "131072",
        `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`,
        "STDOUT",
      ],
      client: (port) => ["socat", "-u", "-b", "131072", "STDIN", `TCP:127.0.0.1:${port}`],
    },
    {
      name: "deno floor",
      note: "bench/load/min_pipe.ts: a 1 MiB read/write-all loop",
      server: (port) => minPipe("server", port),
      client: (port) => minPipe("client", port),
    },
  ];
}

/** The minimal Deno pipe (the floor Deno itself sets), as `mode` on `port`. */
function minPipe(mode: "client" | "server", port: number): string[] {
  return [Deno.execPath(), "run", "-q", "-A", "bench/load/min_pipe.ts", mode, String(port)];
}

/** How the client's stdin is fed. */
interface Input {
  label: string;
  bytes: number;
  /** Shell wrapper: `sh -c SCRIPT ARG0 CLIENT...`. */
  shell(client: string[]): string[];
  sha256(): Promise<string> | string;
}

/** Runs one transfer; returns MB/s, or hashes the output when `check` is set. */
async function transfer(
  ctx: BenchContext,
  tool: PipeTool,
  input: Input,
  check: boolean,
): Promise<{ mbps: number; sha256?: string; bytes?: number }> {
  const port = freePort();
  const server = ctx.procs.spawn(tool.server(port), {
    cwd: ctx.root,
    stdout: check ? "piped" : "null",
  });
  const output = check ? hashStream(server.process.stdout) : null;
  try {
    await waitListening(port, server);
    const started = performance.now();
    const client = ctx.procs.spawn(input.shell(tool.client(port)), { cwd: ctx.root });
    const timeoutMs = 60_000 + input.bytes / MiB * 100;
    const [clientStatus, serverStatus] = await Promise.all([
      waitBounded(client, timeoutMs, `${tool.name} client`),
      waitBounded(server, timeoutMs, `${tool.name} server`),
    ]);
    const ms = performance.now() - started;
    if (!clientStatus.success) throw new Error(`client exited ${clientStatus.code}`);
    if (!serverStatus.success) throw new Error(`server exited ${serverStatus.code}`);
    const hashed = output ? await output : undefined;
    return { mbps: input.bytes / 1e3 / ms, ...hashed };
  } finally {
    server.kill();
    await server.status;
  }
}

async function measure(ctx: BenchContext, input: Input, rounds: number): Promise<Measurement> {
  ctx.log(`tcp-throughput: ${input.label}, ${rounds} rounds`);
  const all = tools(ctx);
  const results = await alternate(ctx, all, rounds, async (tool) => {
    const { mbps } = await transfer(ctx, tool, input, false);
    ctx.log(`  ${tool.name}: ${mbps.toFixed(0)} MB/s`);
    return mbps;
  });
  const expected = await input.sha256();
  for (const tool of all) await verify(ctx, tool, input, expected, results.get(tool)!);
  return {
    caseId: "tcp-throughput",
    name: input.label,
    unit: "MB/s",
    better: "higher",
    tools: [...results.values()],
  };
}

async function verify(
  ctx: BenchContext,
  tool: PipeTool,
  input: Input,
  expected: string,
  result: ToolResult,
): Promise<void> {
  if (result.skipped || result.error) return;
  try {
    const { sha256, bytes } = await transfer(ctx, tool, input, true);
    if (sha256 === expected) result.check = "sha256 ok";
    else result.error = `sha256 mismatch: got ${bytes} bytes, sha256 ${sha256?.slice(0, 12)}…`;
  } catch (error) {
    result.error = `check round: ${error instanceof Error ? error.message : String(error)}`;
  }
  ctx.log(`  ${tool.name}: ${result.check ?? result.error}`);
}

/** The TCP pipe throughput case. */
export const throughputCase: BenchCase = {
  id: "tcp-throughput",
  item: 1,
  title: "TCP pipe throughput (client → server --mode pipe)",
  async run(ctx) {
    const fileSize = 512 * MiB;
    const file = `${ctx.tmpDir}/random-512MiB.bin`;
    ctx.log("tcp-throughput: writing a 512 MiB random file");
    await writeRandomFile(file, fileSize);
    const fileInput: Input = {
      label: "512 MiB random file < stdin",
      bytes: fileSize,
      shell: (client) => ["sh", "-c", 'exec "$@" < "$0"', file, ...client],
      sha256: () => hashFile(file),
    };
    const zeroSize = ctx.quick ? 512 * MiB : 2048 * MiB;
    const zeroLabel = ctx.quick ? "512M" : "2G";
    const zeroInput: Input = {
      label: `head -c ${zeroLabel} /dev/zero | stdin`,
      bytes: zeroSize,
      shell: (client) => ["sh", "-c", 'head -c "$0" /dev/zero | "$@"', String(zeroSize), ...client],
      sha256: () => hashZeros(zeroSize),
    };
    try {
      return [
        await measure(ctx, fileInput, ctx.rounds(5, 2)),
        await measure(ctx, zeroInput, ctx.rounds(3, 1)),
      ];
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  },
};
