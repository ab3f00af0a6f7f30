/**
 * Case 3, chat fan-out: 200 clients in one room, one sender, every other client a
 * receiver, as a room looks to its users when one of them pastes or a bot posts.
 * sockchat's chat server (`--max-clients 1000 --max-per-ip 1000`: every client comes from
 * 127.0.0.1) beside `ncat -l --chat -m 1000` and a
 * minimal Deno relay (`bench/load/min_chat.ts`: the floor Deno itself sets).
 *
 * Two load generators, each against a fresh server every time:
 * - `bench/load/chat_load.ts` (Deno): a blast of BLAST_LINES lines, one per write,
 *   deliveries per second; then one line every PACE_MS ms (latency p50, p99); and a run
 *   with one client that never reads, its kernel queues filled first (ncat blocks on it
 *   and stops relaying and accepting; sockchat keeps the rest in that client's bounded
 *   outbox, or drops it), then the paced load.
 * - `bench/load/chat_check.py` (Python, selectors): the same method written independently,
 *   the cross-check. The two must agree on the sockchat/ncat ratio; each row says by how
 *   much they differ.
 *
 * Why one sender: with many senders taking turns (this bench's earlier method) every
 * message reaches ncat on a different connection, so ncat writes every line separately
 * to every client and blocks on the slowest; the Deno generator, reading 199 sockets per
 * line, was then the bottleneck and ncat ran at a tenth of its speed. One sender is
 * what users produce and what an outside harness measures.
 * Latencies include the load generator's own work (199 reads per line on one event
 * loop), the same for every server.
 * @module
 */

import { median } from "../stats.ts";
import { freePort, waitListening } from "../net.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement, ToolResult } from "../types.ts";

const CLIENTS = 200;
const BLAST_LINES = 10_000;
const PACE_MS = 1;

interface ChatTool extends Contender {
  server(port: number): string[];
}

function tools(ctx: BenchContext): ChatTool[] {
  return [
    {
      name: "sockchat",
      note: "server (chat) --max-clients 1000 --max-per-ip 1000",
      subject: true,
      // Every client of the load generators comes from 127.0.0.1.
      server: (port) =>
        ctx.sockchat([
          "server",
          "--port",
          String(port),
          "--max-clients",
          "1000",
          "--max-per-ip",
          "1000",
        ]),
    },
    {
      name: "ncat --chat",
      note: "ncat -l --chat -m 1000",
      requires: ["ncat"],
      server: (port) => ["ncat", "-l", "--chat", "-m", "1000", "127.0.0.1", String(port)],
    },
    {
      name: "deno floor",
      note: "bench/load/min_chat.ts (no limits, unbounded queues)",
      server: (
        port,
      ) => [Deno.execPath(), "run", "-q", "-A", "bench/load/min_chat.ts", String(port)],
    },
  ];
}

/** One phase as the load generators print it. */
export interface Phase {
  deliveries: number;
  expected: number;
  undelivered?: number;
  rate: number;
  p50: number | null;
  p99: number | null;
}

/** What the load generators print (the fields the chat cases read). */
export interface LoadReport {
  blast?: Phase | null;
  paced?: Phase;
  errors?: number;
  stalled?: boolean;
  joined?: number;
  stuckQueued?: number;
  stuckOpenAtEnd?: boolean;
}

/** Starts `tool`'s server, runs `load` against its port, stops the server. */
async function runLoad<R = LoadReport>(
  ctx: BenchContext,
  tool: ChatTool,
  load: (port: number) => Promise<R>,
): Promise<R> {
  const port = freePort();
  const server = ctx.procs.spawn(tool.server(port), { cwd: ctx.root });
  try {
    await waitListening(port, server);
    return await load(port);
  } finally {
    server.kill("SIGKILL");
    await server.status;
  }
}

/** Runs `argv` (a load generator) and parses its report. */
async function runGenerator(ctx: BenchContext, argv: string[]): Promise<LoadReport> {
  const out = await ctx.procs.run(argv, 120_000, ctx.root);
  if (out.code !== 0) {
    throw new Error(`load generator exited ${out.code}: ${out.stderr.trim().split("\n")[0]}`);
  }
  const report = JSON.parse(out.stdout) as LoadReport;
  if ((report.errors ?? 0) > 0) throw new Error(`${report.errors} lines out of order`);
  return report;
}

/**
 * Runs `bench/load/chat_load.ts` against the room on `port` with `clients` clients;
 * `args` are its mode and numbers (`fanout BLAST PACED [PACE_MS]`, see there).
 */
export function chatLoad(
  ctx: BenchContext,
  port: number,
  clients: number,
  args: string[],
): Promise<LoadReport> {
  const script = `${ctx.root}/bench/load/chat_load.ts`;
  return runGenerator(ctx, [
    Deno.execPath(),
    "run",
    "-q",
    "-A",
    script,
    String(port),
    String(clients),
    ...args,
  ]);
}

/** Runs `bench/load/chat_check.py` (the independent cross-check) against `port`. */
function chatCheck(ctx: BenchContext, port: number, pacedLines: number): Promise<LoadReport> {
  return runGenerator(ctx, [
    "python3",
    `${ctx.root}/bench/load/chat_check.py`,
    String(port),
    "--clients",
    String(CLIENTS),
    "--lines",
    String(BLAST_LINES),
    "--paced-lines",
    String(pacedLines),
    "--pace-ms",
    String(PACE_MS),
  ]);
}

interface Samples {
  rate: number[];
  p50: number[];
  p99: number[];
  checkRate: number[];
  checkP99: number[];
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
    checkRate: [],
    checkP99: [],
    stuckP99: [],
    stalled: 0,
    stuckQueued: [],
    stuckOpen: 0,
  };
}

/**
 * The fan-out run of `chat_load.ts` (a blast of `lines.blast` lines, then `lines.paced`
 * lines one per `lines.paceMs`), both phases checked complete.
 */
export async function fanout(
  ctx: BenchContext,
  port: number,
  clients: number,
  lines: { blast: number; paced: number; paceMs: number },
): Promise<{ blast: Phase; paced: Phase }> {
  const report = await chatLoad(ctx, port, clients, [
    "fanout",
    String(lines.blast),
    String(lines.paced),
    String(lines.paceMs),
  ]);
  return { blast: complete("blast", report.blast), paced: complete("paced", report.paced) };
}

/** The phase, checked complete: every line reached every receiver. */
export function complete(what: string, phase: Phase | null | undefined): Phase {
  if (!phase || phase.deliveries !== phase.expected || (phase.undelivered ?? 0) > 0) {
    throw new Error(`${what}: lost deliveries (${phase?.deliveries} of ${phase?.expected})`);
  }
  return phase;
}

async function round(
  ctx: BenchContext,
  tool: ChatTool,
  samples: Samples,
  pacedLines: number,
): Promise<number> {
  const fan = await runLoad(
    ctx,
    tool,
    (port) =>
      fanout(ctx, port, CLIENTS, { blast: BLAST_LINES, paced: pacedLines, paceMs: PACE_MS }),
  );
  const { blast, paced } = fan;
  samples.rate.push(blast.rate);
  samples.p50.push(paced.p50!);
  samples.p99.push(paced.p99!);

  const check = await runLoad(ctx, tool, (port) => chatCheck(ctx, port, pacedLines));
  samples.checkRate.push(complete("check.py blast", check.blast).rate);
  samples.checkP99.push(complete("check.py paced", check.paced).p99!);

  const stuck = await runLoad(
    ctx,
    tool,
    (port) => chatLoad(ctx, port, CLIENTS, ["stuck", "0", String(pacedLines), String(PACE_MS)]),
  );
  let stuckText: string;
  if (stuck.stalled) {
    samples.stalled++;
    stuckText = `stalled (${stuck.joined} of ${CLIENTS} joined; ` +
      `${((stuck.stuckQueued ?? 0) / (1 << 20)).toFixed(1)} MiB queued to the stuck client)`;
  } else {
    const p = complete("stuck run", stuck.paced);
    samples.stuckP99.push(p.p99!);
    stuckText = `p99 ${p.p99!.toFixed(1)} ms`;
  }
  samples.stuckQueued.push(stuck.stuckQueued ?? 0);
  if (stuck.stuckOpenAtEnd) samples.stuckOpen++;
  ctx.log(
    `  ${tool.name}: blast ${(blast.rate / 1e3).toFixed(0)}k deliveries/s ` +
      `(check.py ${(samples.checkRate.at(-1)! / 1e3).toFixed(0)}k), paced p50 ` +
      `${paced.p50!.toFixed(1)} ms p99 ${paced.p99!.toFixed(1)} ms ` +
      `(check.py ${samples.checkP99.at(-1)!.toFixed(1)}); one stuck reader: ${stuckText}`,
  );
  return blast.rate;
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

/**
 * How far the two load generators disagree on sockchat/ncat: the Deno generator's ratio
 * over the Python one's (1.00× = they agree).
 */
function agreement(
  all: ChatTool[],
  samples: Map<ChatTool, Samples>,
  bench: (s: Samples) => number[],
  check: (s: Samples) => number[],
): string {
  const [subject, ncat] = [samples.get(all[0]!)!, samples.get(all[1]!)!];
  const benchRatio = median(bench(subject)) / median(bench(ncat));
  const checkRatio = median(check(subject)) / median(check(ncat));
  if (!Number.isFinite(benchRatio) || !Number.isFinite(checkRatio)) return "";
  return `sockchat/ncat: chat_load ${benchRatio.toFixed(2)}×, chat_check.py ` +
    `${checkRatio.toFixed(2)}× (they differ by ${(benchRatio / checkRatio).toFixed(2)}×)`;
}

/** The chat fan-out case. */
export const chatFanoutCase: BenchCase = {
  id: "chat-fanout",
  item: 3,
  title: "Chat fan-out (200 clients, one room, one sender)",
  async run(ctx) {
    const rounds = ctx.rounds(5, 1);
    const pacedLines = ctx.quick ? 500 : 2000;
    ctx.log(`chat-fanout: ${CLIENTS} clients, ${BLAST_LINES} blast lines, ${rounds} rounds`);
    const all = tools(ctx);
    const samples = new Map(all.map((tool) => [tool, emptySamples()]));
    const results = await alternate(
      ctx,
      all,
      rounds,
      (tool) => round(ctx, tool, samples.get(tool)!, pacedLines),
    );
    const rows = (
      name: string,
      unit: string,
      better: "higher" | "lower",
      pick: (s: Samples) => number[],
      check?: (tool: ChatTool, s: Samples) => string,
    ): Measurement => ({
      caseId: "chat-fanout",
      name,
      unit,
      better,
      tools: all.map((tool): ToolResult => {
        const s = samples.get(tool)!;
        const base = results.get(tool)!;
        const text = check && !base.skipped && !base.error ? check(tool, s) : "";
        return { ...base, samples: pick(s), ...(text ? { check: text } : {}) };
      }),
    });
    const agree =
      (bench: (s: Samples) => number[], check: (s: Samples) => number[]) => (tool: ChatTool) =>
        tool.subject ? agreement(all, samples, bench, check) : "";
    const blast = `1 sender → ${CLIENTS - 1}, ${BLAST_LINES} lines, 1 per write`;
    const pace = `paced, 1 line / ${PACE_MS} ms`;
    return [
      rows(`${blast}`, "deliveries/s", "higher", (s) => s.rate),
      rows(
        `${blast}, by chat_check.py`,
        "deliveries/s",
        "higher",
        (s) => s.checkRate,
        agree((s) => s.rate, (s) => s.checkRate),
      ),
      rows(`${CLIENTS} clients, ${pace}: p50`, "ms", "lower", (s) => s.p50),
      rows(`${CLIENTS} clients, ${pace}: p99`, "ms", "lower", (s) => s.p99),
      rows(
        `${CLIENTS} clients, ${pace}: p99, by chat_check.py`,
        "ms",
        "lower",
        (s) => s.checkP99,
        agree((s) => s.p99, (s) => s.checkP99),
      ),
      rows(
        `one never reads, ${pace}: p99`,
        "ms",
        "lower",
        (s) => s.stuckP99,
        (_, s) => stuckCheck(s, rounds),
      ),
    ];
  },
};
