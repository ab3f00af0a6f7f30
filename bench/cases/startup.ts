/**
 * Case 6, start-up: wall time of `sockchat --version` through the README's run command
 * with a warm cache (`deno run -q -P=sockchat main.ts --version` in the repository, and
 * separately the `npx -y deno@2.9.6 task start --version` form), beside `nc -h`. One
 * untimed warm-up run per tool fills the caches first.
 * @module
 */

import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement } from "../types.ts";

interface StartTool extends Contender {
  argv: string[];
}

async function timeOnce(ctx: BenchContext, tool: StartTool): Promise<number> {
  const out = await ctx.procs.run(tool.argv, 120_000, ctx.root);
  // `nc -h` prints its usage and exits 1 on some builds; only sockchat must succeed.
  if (tool.subject && out.code !== 0) throw new Error(`exited ${out.code}: ${out.stderr.trim()}`);
  if (tool.subject && !/^sockchat \d/.test(out.stdout)) {
    throw new Error(`unexpected output ${JSON.stringify(out.stdout.slice(0, 80))}`);
  }
  return out.ms;
}

async function measure(
  ctx: BenchContext,
  name: string,
  tools: StartTool[],
  rounds: number,
): Promise<Measurement> {
  ctx.log(`startup: ${name}, ${rounds} rounds`);
  const warm = await alternate(ctx, tools, 1, (tool) => timeOnce(ctx, tool));
  const results = await alternate(ctx, tools, rounds, (tool) => timeOnce(ctx, tool));
  for (const [tool, result] of results) {
    const warmError = warm.get(tool)?.error;
    if (warmError && !result.error) result.error = `warm-up: ${warmError}`;
    if (result.samples.length > 0) {
      ctx.log(`  ${tool.name}: ${result.samples.map((ms) => ms.toFixed(0)).join(" ")} ms`);
    }
  }
  return { caseId: "startup", name, unit: "ms", better: "lower", tools: [...results.values()] };
}

/** The start-up case. */
export const startupCase: BenchCase = {
  id: "startup",
  item: 6,
  title: "Start-up (sockchat --version, warm cache)",
  async run(ctx) {
    const nc: StartTool = {
      name: "nc -h",
      note: "OpenBSD nc usage",
      requires: ["nc"],
      argv: ["nc", "-h"],
    };
    const denoRun: StartTool = {
      name: "sockchat",
      note: "deno run -q -P=sockchat main.ts --version",
      subject: true,
      argv: [Deno.execPath(), "run", "-q", "-P=sockchat", "main.ts", "--version"],
    };
    const npx: StartTool = {
      name: "sockchat (npx)",
      note: "npx -y deno@2.9.6 task start --version",
      subject: true,
      requires: ["npx"],
      argv: ["npx", "-y", "deno@2.9.6", "task", "start", "--version"],
    };
    const measurements = [
      await measure(ctx, "deno run (README run command)", [denoRun, nc], ctx.rounds(10, 5)),
    ];
    const bin = Deno.env.get("SOCKCHAT_BIN");
    if (bin) {
      const binary: StartTool = {
        name: "sockchat (binary)",
        note: `${bin} --version`,
        subject: true,
        argv: [bin, "--version"],
      };
      measurements.push(await measure(ctx, "compiled binary", [binary, nc], ctx.rounds(10, 5)));
    }
    measurements.push(await measure(ctx, "npx form", [npx, nc], ctx.rounds(3, 2)));
    return measurements;
  },
};
