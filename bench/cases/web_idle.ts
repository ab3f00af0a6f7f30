/**
 * Web idle: memory per idle chat member that joined through the browser page's WebSocket
 * (`server --web`), next to one that joined over plain TCP, in the same server set-up
 * (both listeners open, `--max-clients 5000 --max-per-ip 5000`). Each round fills one server with N idle
 * members of one kind (`bench/load/idle_load.ts`, `web` or `tcp`) and reads its `VmRSS`
 * before and after; rounds of the two kinds alternate. The ratio is web / TCP.
 * @module
 */

import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext } from "../types.ts";
import { type IdleTool, round } from "./idle_scale.ts";

function tools(ctx: BenchContext): IdleTool[] {
  const base = ["server", "--max-clients", "5000", "--max-per-ip", "5000"];
  return [
    {
      name: "web member",
      note: "WebSocket to server --web (browser-like, no browser)",
      subject: true,
      maxClients: Infinity,
      load: "web",
      server: (port) => ctx.sockchat([...base, "--port", "0", "--web", `127.0.0.1:${port}`]),
    },
    {
      name: "tcp member",
      note: "plain TCP client of the same server",
      maxClients: Infinity,
      load: "tcp",
      server: (port) => ctx.sockchat([...base, "--port", String(port), "--web", "127.0.0.1:0"]),
    },
  ];
}

/** The web-idle case. */
export const webIdleCase: BenchCase = {
  id: "web-idle",
  item: 7,
  title: "Web idle (memory per idle browser member next to a TCP member)",
  async run(ctx) {
    const count = ctx.quick ? 200 : 1000;
    const rounds = ctx.rounds(3, 1);
    ctx.log(`web-idle: RSS with 0 and ${count} idle members of each kind, ${rounds} rounds`);
    const all = tools(ctx);
    const results = await alternate(ctx, all, rounds, async (tool) => {
      const [before, after] = await round(ctx, tool, [0, count]);
      ctx.log(`  ${tool.name}: ${(before! / 1024).toFixed(1)} → ${(after! / 1024).toFixed(1)} MiB`);
      return (after! - before!) / count;
    });
    return [{
      caseId: "web-idle",
      name: `per idle member at ${count.toLocaleString("en")}: (RSS − RSS at 0) / members`,
      unit: "KiB",
      better: "lower",
      tools: all.map((tool) => results.get(tool)!),
    }];
  },
};
