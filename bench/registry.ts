/**
 * The list of benchmark cases, in the order they run. To add a case (chat fan-out,
 * idle scale and UDP are the next ones, items 3, 4 and 5 of the benchmark issue), write
 * `cases/<name>.ts` exporting a `BenchCase` (see `types.ts`; use `alternate()` from
 * `rounds.ts` for side-by-side rounds and `ctx.procs` for every process) and add it here.
 * @module
 */

import { chatFanoutCase } from "./cases/chat_fanout.ts";
import { connectRateCase } from "./cases/connect_rate.ts";
import { idleScaleCase } from "./cases/idle_scale.ts";
import { redisScaleCase } from "./cases/redis_scale.ts";
import { startupCase } from "./cases/startup.ts";
import { throughputCase } from "./cases/throughput.ts";
import { udpRateCase } from "./cases/udp_rate.ts";
import { webIdleCase } from "./cases/web_idle.ts";
import type { BenchCase } from "./types.ts";

/** Every case `deno task bench` runs, in order. */
export const CASES: readonly BenchCase[] = [
  throughputCase, // 1
  connectRateCase, // 2
  // chat fan-out (3), idle scale (4) and UDP (5) go here once those commands exist.
  chatFanoutCase, // 3
  idleScaleCase, // 4
  udpRateCase, // 5
  startupCase, // 6
  webIdleCase, // 7
  redisScaleCase, // 8
];
