/**
 * The memory soak under connection churn (not part of `deno task test`): a chat server
 * takes ROUNDS rounds of CYCLES connect → greeting → `/nick` → message → close cycles,
 * each round mixed with resets (SO_LINGER 0) and denied peers (127.0.0.2, `--deny`), from
 * `bench/load/churn_load.py`. After every round, once the server has settled, its
 * resident memory and open descriptors are read from `/proc`. Contenders, side by side in
 * the same run: sockchat's chat server as `deno task start` runs it (with its bounded
 * young generation, `V8_FLAGS`), the same with V8's default young generation, and the
 * minimal Deno chat loop (`bench/load/min_chat.ts`, V8 defaults) as the yardstick.
 *
 * A leak shows as RSS or descriptors that keep growing after the first rounds.
 *
 * Usage: deno task soak [--rounds=N] [--cycles=N] [--only=NAME,…]
 * @module
 */

import { sockchatArgv, V8_FLAGS } from "../../tests/_helpers/cli.ts";
import { fdCount, rssKiB } from "../../tests/_helpers/proc_stats.ts";
import { freePort, waitListening } from "../net.ts";
import { ProcessPool } from "../proc.ts";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");

interface Contender {
  name: string;
  argv(port: number): string[];
}

/** sockchat's chat server as `deno task start` runs it, optionally without its V8 flags. */
function sockchatServer(port: number, v8Flags: boolean): string[] {
  const argv = sockchatArgv([
    "server",
    "--port",
    String(port),
    "--max-clients",
    "1000",
    "--max-per-ip",
    "64",
    "--deny",
    "127.0.0.2",
  ]);
  return v8Flags ? argv : argv.filter((arg) => arg !== V8_FLAGS);
}

const CONTENDERS: Contender[] = [
  { name: "sockchat", argv: (port) => sockchatServer(port, true) },
  { name: "sockchat V8 default", argv: (port) => sockchatServer(port, false) },
  {
    name: "minimal loop",
    argv: (
      port,
    ) => [Deno.execPath(), "run", "-A", `${ROOT}/bench/load/min_chat.ts`, String(port)],
  },
];

interface Sample {
  round: number;
  rssMiB: number;
  fds: number;
  seconds: number;
  errors: number;
}

async function soak(
  procs: ProcessPool,
  contender: Contender,
  rounds: number,
  cycles: number,
): Promise<Sample[]> {
  const port = freePort();
  const server = procs.spawn(contender.argv(port), { stdout: "null", stderr: "piped" });
  let stderr = "";
  const draining = server.process.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (text) => void (stderr = (stderr + text).slice(-4000)) }),
  ).catch(() => {});
  await waitListening(port, server);
  const samples: Sample[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      // Round 0 is the warm-up; its sample is the baseline the others are read against.
      const load = await procs.run([
        "python3",
        `${ROOT}/bench/load/churn_load.py`,
        String(port),
        String(cycles),
        String(Math.round(cycles / 5)),
        String(Math.round(cycles / 5)),
      ], 600_000);
      const report = JSON.parse(load.stdout) as { seconds: number; errors: number };
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // closing connections settle
      const exited = await Promise.race([server.status, Promise.resolve(null)]);
      if (exited !== null) throw new Error(`${contender.name} exited (${exited.code}): ${stderr}`);
      samples.push({
        round,
        rssMiB: (await rssKiB(server.pid)) / 1024,
        fds: await fdCount(server.pid),
        seconds: report.seconds,
        errors: report.errors,
      });
      const last = samples.at(-1)!;
      console.error(
        `${contender.name.padEnd(18)} round ${round}: RSS ${last.rssMiB.toFixed(1)} MiB, ` +
          `${last.fds} fds, ${cycles} cycles in ${last.seconds} s (${last.errors} errors)`,
      );
    }
  } finally {
    server.kill("SIGKILL");
    await server.status;
    await draining;
  }
  return samples;
}

async function main(argv: string[]): Promise<number> {
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const rounds = Number(option("rounds") ?? 4);
  const cycles = Number(option("cycles") ?? 5000);
  const only = option("only")?.split(",");
  const procs = new ProcessPool();
  try {
    const results: [string, Sample[]][] = [];
    for (const contender of CONTENDERS.filter((c) => !only || only.includes(c.name))) {
      results.push([contender.name, await soak(procs, contender, rounds, cycles)]);
    }
    console.log(`\nRSS (MiB) and open fds after each round of ${cycles} cycles (+ resets, denied)`);
    console.log("contender          | warm-up      | last         | growth after warm-up");
    for (const [name, samples] of results) {
      const first = samples[0]!;
      const last = samples.at(-1)!;
      const growth = last.rssMiB - first.rssMiB;
      console.log(
        `${name.padEnd(18)} | ${first.rssMiB.toFixed(1).padStart(6)} ${
          String(first.fds).padStart(4)
        } fd | ` +
          `${last.rssMiB.toFixed(1).padStart(6)} ${String(last.fds).padStart(4)} fd | ${
            growth >= 0 ? "+" : ""
          }${growth.toFixed(1)} MiB, ${last.fds - first.fds} fd`,
      );
    }
    return 0;
  } finally {
    await procs.killAll();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
