/**
 * Case 2, connection rate: 2,000 connect/send/half-close/read cycles against an echo
 * server, one at a time and 8 at a time, with the same Deno load generator
 * (`bench/load/echo_load.ts`) for every server. The table says what each peer does per
 * connection (sockchat and ncat without `-e` stay in one process; the others fork). A
 * minimal Deno echo loop (`bench/load/min_echo.ts`) shows what Deno itself allows.
 * @module
 */

import { freePort, waitListening } from "../net.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement } from "../types.ts";

interface EchoTool extends Contender {
  server(port: number): string[];
  /** `sink`: the peer does not echo, it only closes after the client's FIN. */
  mode: "echo" | "sink";
}

function tools(ctx: BenchContext): EchoTool[] {
  const listen = (port: number) => `TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr`;
  return [
    {
      name: "sockchat",
      note: "server --mode echo (one process, async)",
      subject: true,
      mode: "echo",
      server: (port) => ctx.sockchat(["server", "--mode", "echo", "--port", String(port)]),
    },
    {
      name: "ncat -e cat",
      note: "ncat -l -k -e /bin/cat (fork+exec cat per conn)",
      requires: ["ncat"],
      mode: "echo",
      server: (port) => ["ncat", "-l", "-k", "127.0.0.1", String(port), "-e", "/bin/cat"],
    },
    {
      name: "ncat -k (no echo)",
      note: "ncat -l -k, output to /dev/null: no echo, closes on FIN",
      requires: ["ncat"],
      mode: "sink",
      server: (port) => ["ncat", "-l", "-k", "127.0.0.1", String(port)],
    },
    {
      name: "socat PIPE",
      note: "socat TCP-LISTEN,fork PIPE (fork per conn)",
      requires: ["socat"],
      mode: "echo",
      server: (port) => ["socat", listen(port), "PIPE"],
    },
    {
      name: "socat EXEC:cat",
      note: "socat TCP-LISTEN,fork EXEC:cat (fork+exec per conn)",
      requires: ["socat"],
      mode: "echo",
      server: (port) => ["socat", listen(port), "EXEC:cat"],
    },
    {
      name: "deno floor",
      note: "bench/load/min_echo.ts: accept, echo, close (nothing else)",
      mode: "echo",
      server: (
        port,
      ) => [Deno.execPath(), "run", "-q", "-A", "bench/load/min_echo.ts", String(port)],
    },
  ];
}

/** One round of one tool: start the server, run the load at each concurrency, stop it. */
async function roundFor(
  ctx: BenchContext,
  tool: EchoTool,
  cycles: number,
  concurrencies: number[],
): Promise<number[]> {
  const port = freePort();
  const server = ctx.procs.spawn(tool.server(port), { cwd: ctx.root });
  try {
    await waitListening(port, server);
    const rates: number[] = [];
    for (const concurrency of concurrencies) {
      const load = [
        Deno.execPath(),
        "run",
        "-q",
        "--allow-net",
        `${ctx.root}/bench/load/echo_load.ts`,
        String(port),
        String(cycles),
        String(concurrency),
        tool.mode,
      ];
      const out = await ctx.procs.run(load, 60_000, ctx.root);
      if (out.code !== 0) throw new Error(`load generator exited ${out.code}: ${out.stderr}`);
      const report = JSON.parse(out.stdout) as { rate: number; failed: number; firstError: string };
      if (report.failed > 0) {
        throw new Error(`${report.failed} of ${cycles} cycles failed: ${report.firstError}`);
      }
      rates.push(report.rate);
    }
    return rates;
  } finally {
    server.kill("SIGTERM");
    await server.status;
  }
}

/** The connection-rate case. */
export const connectRateCase: BenchCase = {
  id: "connect-rate",
  item: 2,
  title: "Connection rate (connect, send, half-close, read to EOF)",
  async run(ctx) {
    // --quick runs 500 cycles: the fork+exec peers manage only ~300 a second.
    const cycles = ctx.quick ? 500 : 2000;
    const concurrencies = [1, 8];
    const rounds = ctx.rounds(3, 1);
    ctx.log(`connect-rate: ${cycles} cycles at ${concurrencies.join(" and ")}, ${rounds} rounds`);
    const all = tools(ctx);
    // One round runs both concurrencies against the same server; sample i of a tool is
    // stored under concurrency i, so the per-concurrency samples come from alternated runs.
    const byConcurrency = concurrencies.map(() => new Map<EchoTool, number[]>());
    const results = await alternate(ctx, all, rounds, async (tool) => {
      const rates = await roundFor(ctx, tool, cycles, concurrencies);
      rates.forEach((rate, i) => {
        const map = byConcurrency[i]!;
        map.set(tool, [...(map.get(tool) ?? []), rate]);
      });
      ctx.log(`  ${tool.name}: ${rates.map((r) => r.toFixed(0)).join(" / ")} conn/s`);
      return rates[0]!;
    });
    return concurrencies.map((concurrency, i): Measurement => ({
      caseId: "connect-rate",
      name: `${cycles} cycles, ${concurrency} at a time`,
      unit: "conn/s",
      better: "higher",
      tools: all.map((tool) => ({
        ...results.get(tool)!,
        samples: byConcurrency[i]!.get(tool) ?? [],
      })),
    }));
  },
};
