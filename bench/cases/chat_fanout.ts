/**
 * Case 3, chat fan-out: 200 clients in one room, every message delivered to all others,
 * sockchat's chat server (the README's run command, `--max-clients 1000`) beside
 * `ncat -l --chat -m 1000` (ncat allows 100 connections by default). The same Deno load
 * generator (`bench/load/chat_load.ts`, one process, 200 sockets) drives both:
 * - fan-out run: a blast (deliveries per second, window-limited so nobody falls behind)
 *   then paced load, one message every 10 ms from a rotating sender (latency p50/p99);
 * - stuck run: one client that never reads, its kernel queues filled first (ncat blocks
 *   on it and stops relaying and accepting; sockchat keeps the rest queued in that
 *   client's bounded outbox), then the other 198 join and the paced load runs.
 * Latencies include the load generator's own work (199 reads per message on one
 * event loop), the same for both servers.
 * @module
 */

import { median } from "../stats.ts";
import { freePort, waitListening } from "../net.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement, ToolResult } from "../types.ts";

const CLIENTS = 200;
const PACE_MS = 10;

interface ChatTool extends Contender {
  server(port: number): string[];
}

function tools(ctx: BenchContext): ChatTool[] {
  return [
    {
      name: "sockchat",
      note: "server (chat) --max-clients 1000",
      subject: true,
      server: (port) => ctx.sockchat(["server", "--port", String(port), "--max-clients", "1000"]),
    },
    {
      name: "ncat --chat",
      note: "ncat -l --chat -m 1000",
      requires: ["ncat"],
      server: (port) => ["ncat", "-l", "--chat", "-m", "1000", "127.0.0.1", String(port)],
    },
  ];
}

/** What `chat_load.ts` prints (the fields the chat cases read). */
export interface LoadReport {
  deliveries: number;
  expected: number;
  rate?: number;
  p50: number | null;
  p99: number | null;
  undelivered?: number;
  stalled?: boolean;
  joined?: number;
  stuckQueued?: number;
  stuckOpenAtEnd?: boolean;
}

/** Starts `tool`'s server, runs the load generator with `args`, stops the server. */
async function runLoad(ctx: BenchContext, tool: ChatTool, args: string[]): Promise<LoadReport> {
  const port = freePort();
  const server = ctx.procs.spawn(tool.server(port), { cwd: ctx.root });
  try {
    await waitListening(port, server);
    return await chatLoad(ctx, port, CLIENTS, args);
  } finally {
    server.kill("SIGKILL");
    await server.status;
  }
}

/** Runs the load generator against the room on `port` with `clients` clients. */
export async function chatLoad(
  ctx: BenchContext,
  port: number,
  clients: number,
  args: string[],
): Promise<LoadReport> {
  const load = [
    Deno.execPath(),
    "run",
    "-q",
    "-A",
    `${ctx.root}/bench/load/chat_load.ts`,
    String(port),
    String(clients),
    ...args,
  ];
  const out = await ctx.procs.run(load, 120_000, ctx.root);
  if (out.code !== 0) {
    throw new Error(`load generator exited ${out.code}: ${out.stderr.trim().split("\n")[0]}`);
  }
  return JSON.parse(out.stdout) as LoadReport;
}

interface Samples {
  rate: number[];
  p50: number[];
  p99: number[];
  stuckP50: number[];
  stuckP99: number[];
  stalled: number;
  stuckQueued: number[];
  stuckOpen: number;
}

function emptySamples(): Samples {
  return {
    rate: [],
    p50: [],
    p99: [],
    stuckP50: [],
    stuckP99: [],
    stalled: 0,
    stuckQueued: [],
    stuckOpen: 0,
  };
}

async function round(
  ctx: BenchContext,
  tool: ChatTool,
  samples: Samples,
  durationMs: number,
): Promise<number> {
  const fan = await runLoad(ctx, tool, ["fanout", String(durationMs), String(PACE_MS)]);
  if (fan.deliveries !== fan.expected || (fan.undelivered ?? 0) > 0) {
    throw new Error(`lost deliveries: ${fan.deliveries} of ${fan.expected}`);
  }
  samples.rate.push(fan.rate!);
  samples.p50.push(fan.p50!);
  samples.p99.push(fan.p99!);
  const stuck = await runLoad(ctx, tool, [
    "stuck",
    String(durationMs),
    String(PACE_MS),
    "2000",
  ]);
  let stuckText: string;
  if (stuck.stalled) {
    samples.stalled++;
    stuckText = `stalled (${stuck.joined} of ${CLIENTS} joined; ` +
      `${((stuck.stuckQueued ?? 0) / (1 << 20)).toFixed(1)} MiB queued to the stuck client)`;
  } else {
    if ((stuck.undelivered ?? 0) > 0) {
      throw new Error(`stuck run: ${stuck.undelivered} deliveries missing`);
    }
    samples.stuckP50.push(stuck.p50!);
    samples.stuckP99.push(stuck.p99!);
    stuckText = `p50 ${stuck.p50!.toFixed(1)} ms, p99 ${stuck.p99!.toFixed(1)} ms`;
  }
  samples.stuckQueued.push(stuck.stuckQueued ?? 0);
  if (stuck.stuckOpenAtEnd) samples.stuckOpen++;
  ctx.log(
    `  ${tool.name}: ${(fan.rate! / 1e3).toFixed(0)}k deliveries/s, paced p50 ` +
      `${fan.p50!.toFixed(1)} ms p99 ${fan.p99!.toFixed(1)} ms; one stuck reader: ${stuckText}`,
  );
  return fan.rate!;
}

function stuckCheck(samples: Samples, rounds: number): string {
  if (samples.stalled > 0) {
    return `stalled in ${samples.stalled} of ${rounds}: stopped relaying and accepting`;
  }
  const mib = median(samples.stuckQueued) / (1 << 20);
  const kept = samples.stuckOpen > 0
    ? `stuck client kept (${mib.toFixed(1)} MiB in kernel queues, rest in its outbox)`
    : "stuck client dropped";
  return `${kept}; p99 ${(median(samples.stuckP99) / median(samples.p99)).toFixed(2)}× normal`;
}

/** The chat fan-out case. */
export const chatFanoutCase: BenchCase = {
  id: "chat-fanout",
  item: 3,
  title: "Chat fan-out (200 clients, one room)",
  async run(ctx) {
    const rounds = ctx.rounds(2, 1);
    const durationMs = ctx.quick ? 250 : 600;
    ctx.log(`chat-fanout: ${CLIENTS} clients, ${durationMs} ms phases, ${rounds} rounds`);
    const all = tools(ctx);
    const samples = new Map(all.map((tool) => [tool, emptySamples()]));
    const results = await alternate(
      ctx,
      all,
      rounds,
      (tool) => round(ctx, tool, samples.get(tool)!, durationMs),
    );
    const rows = (
      name: string,
      unit: string,
      better: "higher" | "lower",
      pick: (s: Samples) => number[],
      check?: (s: Samples) => string,
    ): Measurement => ({
      caseId: "chat-fanout",
      name,
      unit,
      better,
      tools: all.map((tool): ToolResult => {
        const s = samples.get(tool)!;
        const base = results.get(tool)!;
        const extra = check && !base.skipped && !base.error ? { check: check(s) } : {};
        return { ...base, samples: pick(s), ...extra };
      }),
    });
    const pace = `paced, 1 msg / ${PACE_MS} ms`;
    return [
      rows(`${CLIENTS} clients, blast`, "deliveries/s", "higher", (s) => s.rate),
      rows(`${CLIENTS} clients, ${pace}: p50`, "ms", "lower", (s) => s.p50),
      rows(`${CLIENTS} clients, ${pace}: p99`, "ms", "lower", (s) => s.p99),
      rows(`one never reads, ${pace}: p50`, "ms", "lower", (s) => s.stuckP50),
      rows(
        `one never reads, ${pace}: p99`,
        "ms",
        "lower",
        (s) => s.stuckP99,
        (s) => stuckCheck(s, rounds),
      ),
    ];
  },
};
