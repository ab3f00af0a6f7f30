/**
 * Case 7, one room on more cores: 1,000 clients in one room, on one sockchat server, then
 * on two servers sharing the port (`--reuse-port`, the kernel spreads the connections)
 * and the room (`--redis`, a local `redis-server` without persistence). One server with
 * `--redis` is measured too, so the link's own cost shows apart from the second core's
 * gain. The load generator (`bench/load/chat_load.ts`, one process) is the chat fan-out
 * case's: one sender, every other client a receiver; deliveries per second in a blast,
 * then p50/p99 latency at one line every 5 ms. With two servers the sender's server fans
 * out to its share of the clients and writes each line to Redis once; the other server
 * reads it there and fans out to the rest. Every process shares the machine's cores with
 * the load generator, so on a 2-core machine the generator itself limits what a second
 * server can add: the CPU the servers and Redis spent per million deliveries (from /proc,
 * both phases) is reported beside the rates, as the cost a bigger machine would spread.
 * @module
 */

import { redisServerArgs } from "../../tests/_helpers/redis_server.ts";
import { freePort, waitListening } from "../net.ts";
import { fanout } from "./chat_fanout.ts";
import type { Child } from "../proc.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement, ToolResult } from "../types.ts";

const CLIENTS = 1000;
const PACE_MS = 5;

interface Setup extends Contender {
  servers: number;
  redis: boolean;
}

const SETUPS: Setup[] = [
  {
    name: "1 server",
    note: "server --max-clients 2000 --max-per-ip 2000",
    servers: 1,
    redis: false,
  },
  {
    name: "1 server + redis",
    note: "server --redis URL --reuse-port",
    servers: 1,
    redis: true,
    requires: ["redis-server"],
  },
  {
    name: "2 servers + redis",
    note: "2 × server --redis URL --reuse-port, same port",
    servers: 2,
    redis: true,
    subject: true,
    requires: ["redis-server"],
  },
];

interface Samples {
  rate: number[];
  p50: number[];
  p99: number[];
  /** CPU seconds the servers and Redis spent per million deliveries (both phases). */
  cpu: number[];
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14, 15)
}

async function startRedis(ctx: BenchContext): Promise<{ url: string; child: Child }> {
  const port = freePort();
  const child = ctx.procs.spawn(["redis-server", ...redisServerArgs(port)]);
  await waitListening(port, child);
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function round(
  ctx: BenchContext,
  setup: Setup,
  samples: Samples,
  lines: { blast: number; paced: number },
  room: string,
): Promise<number> {
  const port = freePort();
  const redis = setup.redis ? await startRedis(ctx) : undefined;
  const servers: Child[] = [];
  try {
    for (let i = 0; i < setup.servers; i++) {
      const args = [
        "server",
        "--port",
        String(port),
        "--max-clients",
        "2000",
        "--max-per-ip",
        "2000",
      ];
      args.push("--history", "0");
      if (redis) args.push("--redis", redis.url, "--room", room, "--reuse-port");
      const server = ctx.procs.spawn(ctx.sockchat(args), { cwd: ctx.root });
      servers.push(server);
      await waitListening(port, server, 15_000, i + 1);
    }
    const pids = [...servers, ...(redis ? [redis.child] : [])].map((child) => child.pid);
    const cpu = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b);
    const cpuBefore = await cpu();
    const { blast, paced } = await fanout(ctx, port, CLIENTS, { ...lines, paceMs: PACE_MS });
    const perMillion = (await cpu() - cpuBefore) / ((blast.deliveries + paced.deliveries) / 1e6);
    samples.rate.push(blast.rate);
    samples.p50.push(paced.p50!);
    samples.p99.push(paced.p99!);
    samples.cpu.push(perMillion);
    ctx.log(
      `  ${setup.name}: ${(blast.rate / 1e3).toFixed(0)}k deliveries/s, paced p50 ` +
        `${paced.p50!.toFixed(1)} ms p99 ${paced.p99!.toFixed(1)} ms, ` +
        `${perMillion.toFixed(2)} CPU s per million deliveries`,
    );
    return blast.rate;
  } finally {
    for (const server of servers) server.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.status));
    redis?.child.kill("SIGKILL");
    await redis?.child.status;
  }
}

/** The one-room-on-more-cores case. */
export const redisScaleCase: BenchCase = {
  id: "redis-scale",
  item: 7,
  title: `One room on two servers through Redis (${CLIENTS} clients)`,
  async run(ctx) {
    const rounds = ctx.rounds(2, 1);
    const lines = ctx.quick ? { blast: 500, paced: 100 } : { blast: 2000, paced: 300 };
    ctx.log(
      `redis-scale: ${CLIENTS} clients, ${lines.blast} lines blast, ${lines.paced} paced, ` +
        `${rounds} rounds`,
    );
    const samples = new Map(
      SETUPS.map((s) => [s, { rate: [], p50: [], p99: [], cpu: [] } as Samples]),
    );
    let n = 0;
    const results = await alternate(
      ctx,
      SETUPS,
      rounds,
      (setup) => round(ctx, setup, samples.get(setup)!, lines, `bench${n++}`),
    );
    const rows = (
      name: string,
      unit: string,
      better: "higher" | "lower",
      pick: (s: Samples) => number[],
    ): Measurement => ({
      caseId: "redis-scale",
      name,
      unit,
      better,
      tools: SETUPS.map((setup): ToolResult => ({
        ...results.get(setup)!,
        samples: pick(samples.get(setup)!),
      })),
    });
    return [
      rows(`${CLIENTS} clients, blast`, "deliveries/s", "higher", (s) => s.rate),
      rows(`${CLIENTS} clients, 1 line / ${PACE_MS} ms: p50`, "ms", "lower", (s) => s.p50),
      rows(`${CLIENTS} clients, 1 line / ${PACE_MS} ms: p99`, "ms", "lower", (s) => s.p99),
      rows("servers' and Redis's CPU per million deliveries", "CPU s", "lower", (s) => s.cpu),
    ];
  },
};
