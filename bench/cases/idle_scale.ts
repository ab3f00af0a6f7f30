/**
 * Case 4, idle scale: resident memory (`VmRSS` of `/proc/PID/status`) of the chat server
 * with 0, 1,000 and 10,000 idle clients, and the memory per idle client. The server runs
 * the README's way (`--max-clients 20000 --max-per-ip 20000`: every client comes from
 * 127.0.0.1), and again with V8's young generation capped
 * (`--v8-flags=--max-semi-space-size=1`) for comparison; both under `ulimit -n` raised to
 * the hard limit; the second run and `ncat --chat` go up to 1,000 clients (ncat uses
 * select(), so it cannot hold more than about 1,000; the 10,000 step takes ~10 s, most of
 * it the server telling every client about every later join). `--quick` measures
 * sockchat alone, up to 1,000. One Deno process (`bench/load/idle_load.ts`)
 * holds the clients, reads what the server sends them (the joins of later clients), and
 * reports each step once nothing arrived for 300 ms; then the memory is read.
 * @module
 */

import { freePort, waitListening } from "../net.ts";
import type { Child } from "../proc.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement, ToolResult } from "../types.ts";
import { rssKiB } from "../../tests/_helpers/proc_stats.ts";

/** A chat server to fill with idle clients. */
export interface IdleTool extends Contender {
  /** The server's argv, listening for the load on `port`; null when it cannot run. */
  server(port: number): string[] | null;
  /** Most clients this server can hold. */
  maxClients: number;
  /** What the clients are: TCP connections (default) or WebSockets (`--web` members). */
  load?: "tcp" | "web";
}

/** Runs `argv` with the file-descriptor limit raised to the hard limit. */
function withFdLimit(argv: string[]): string[] {
  return ["bash", "-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "bash", ...argv];
}

/** sockchat's argv with a V8 flag added (null when sockchat is a compiled binary). */
function withV8Flag(argv: string[], flag: string): string[] | null {
  if (argv[1] !== "run") return null;
  return [argv[0]!, "run", `--v8-flags=${flag}`, ...argv.slice(2)];
}

function tools(ctx: BenchContext): IdleTool[] {
  // Every client of the load generator comes from 127.0.0.1, and idle clients say nothing.
  const chat = (port: number) => [
    "server",
    "--port",
    String(port),
    "--max-clients",
    "20000",
    "--max-per-ip",
    "20000",
    "--join-timeout",
    "1h",
  ];
  return [
    {
      name: "sockchat",
      note: "server (chat) --max-clients 20000 --max-per-ip 20000",
      subject: true,
      maxClients: Infinity,
      server: (port) => ctx.sockchat(chat(port)),
    },
    {
      name: "sockchat semi-space 1",
      note: "same, deno run --v8-flags=--max-semi-space-size=1",
      maxClients: 1000,
      server: (port) => withV8Flag(ctx.sockchat(chat(port)), "--max-semi-space-size=1"),
    },
    {
      name: "ncat --chat",
      note: "ncat -l --chat -m 1000 (select: ≤1,000 clients)",
      requires: ["ncat"],
      maxClients: 1000,
      server: (port) => ["ncat", "-l", "--chat", "-m", "1000", "127.0.0.1", String(port)],
    },
  ];
}

/** Reads the next line of the load generator's stdout. */
async function nextLine(lines: ReadableStreamDefaultReader<string>): Promise<string> {
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) throw new Error("load generator ended early");
    text += value;
  }
  return text.trim();
}

/** One round: RSS in KiB at each client count (NaN above the tool's limit). */
export async function round(
  ctx: BenchContext,
  tool: IdleTool,
  counts: number[],
): Promise<number[]> {
  const port = freePort();
  const argv = tool.server(port);
  if (argv === null) throw new Error("needs `deno run` (not SOCKCHAT_BIN)");
  const server = ctx.procs.spawn(withFdLimit(argv), { cwd: ctx.root });
  let load: Child | undefined;
  try {
    await waitListening(port, server);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const steps = counts.filter((n) => n > 0 && n <= tool.maxClients);
    const rss = [await rssKiB(server.pid)];
    if (steps.length > 0) {
      load = ctx.procs.spawn(
        withFdLimit([
          Deno.execPath(),
          "run",
          "-q",
          "-A",
          `${ctx.root}/bench/load/idle_load.ts`,
          String(port),
          steps.join(","),
          tool.load ?? "tcp",
        ]),
        { stdin: "piped", stdout: "piped", cwd: ctx.root },
      );
      const lines = load.process.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const writer = load.process.stdin.getWriter();
      for (const count of steps) {
        const report = JSON.parse(await withTimeout(nextLine(lines), 60_000)) as {
          connected: number;
        };
        if (report.connected !== count) {
          throw new Error(`only ${report.connected} of ${count} clients connected`);
        }
        rss.push(await rssKiB(server.pid));
        await writer.write(new TextEncoder().encode("next\n"));
      }
      await writer.close().catch(() => {});
      lines.cancel().catch(() => {});
    }
    return counts.map((_, i) => rss[i] ?? NaN);
  } finally {
    load?.kill("SIGKILL");
    server.kill("SIGKILL");
    await Promise.all([load?.status, server.status]);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no report within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The idle-scale case. */
export const idleScaleCase: BenchCase = {
  id: "idle-scale",
  item: 4,
  title: "Idle scale (chat server memory with idle clients)",
  async run(ctx) {
    const counts = ctx.quick ? [0, 1000] : [0, 1000, 10_000];
    const rounds = ctx.rounds(1, 1);
    ctx.log(`idle-scale: RSS with ${counts.join(", ")} idle clients, ${rounds} rounds`);
    // --quick: sockchat alone; the full run adds the V8 flag (only with `deno run`, not
    // with SOCKCHAT_BIN) and ncat, up to 1,000.
    const all = tools(ctx).filter((t) => t.subject || (!ctx.quick && t.server(0) !== null));
    const byCount = new Map(all.map((tool) => [tool, counts.map((): number[] => [])]));
    const results = await alternate(ctx, all, rounds, async (tool) => {
      const rss = await round(ctx, tool, counts);
      rss.forEach((kib, i) => {
        if (Number.isFinite(kib)) byCount.get(tool)![i]!.push(kib / 1024);
      });
      ctx.log(
        `  ${tool.name}: ${rss.map((kib) => (kib / 1024).toFixed(1)).join(" / ")} MiB`,
      );
      return rss[0]! / 1024;
    });
    const tool = (t: IdleTool, samples: number[]): ToolResult => ({
      ...results.get(t)!,
      samples,
    });
    const rows: Measurement[] = counts.map((count, i) => ({
      caseId: "idle-scale",
      name: `chat server RSS, ${count.toLocaleString("en")} idle clients`,
      unit: "MiB",
      better: "lower",
      tools: all.map((t) => tool(t, byCount.get(t)![i]!)),
    }));
    // Memory per idle client at each step, from the same round's RSS at 0.
    counts.forEach((count, i) => {
      if (i === 0) return;
      rows.push({
        caseId: "idle-scale",
        name: `per idle client at ${count.toLocaleString("en")}: (RSS − RSS at 0) / clients`,
        unit: "KiB",
        better: "lower",
        tools: all.map((t) => {
          const series = byCount.get(t)!;
          const at = series[i]!;
          return tool(t, at.map((mib, r) => (mib - series[0]![r]!) * 1024 / count));
        }),
      });
    });
    return rows;
  },
};
