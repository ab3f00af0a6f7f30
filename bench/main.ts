/**
 * `deno task bench`: sockchat side by side with nc, ncat and socat on loopback. Runs the
 * cases of `registry.ts`, prints a table of medians and sockchat/peer ratios on stdout,
 * and writes every raw sample to `bench/results/<date>.json`.
 *
 * Options: `--quick` (fewer rounds, smaller zero stream; under a minute), `--only=ID,…`
 * (case ids), `--rounds=N` (same number of rounds everywhere), `--help`.
 * @module
 */

import { machine } from "./machine.ts";
import { Peers } from "./peers.ts";
import { ProcessPool } from "./proc.ts";
import { CASES } from "./registry.ts";
import { buildReport, formatTable } from "./report.ts";
import type { BenchContext, Measurement } from "./types.ts";
import { sockchatArgv } from "../tests/_helpers/cli.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

const USAGE = `Usage: deno task bench [--quick] [--only=ID[,ID…]] [--rounds=N]

Cases: ${CASES.map((c) => `${c.id} (${c.item})`).join(", ")}
Results: a table on stdout, raw samples in bench/results/*.json.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const quick = argv.includes("--quick");
  const only = argv.find((arg) => arg.startsWith("--only="))?.slice(7).split(",");
  const roundsArg = argv.find((arg) => arg.startsWith("--rounds="))?.slice(9);
  const rounds = roundsArg === undefined ? undefined : Number(roundsArg);
  const unknown = argv.filter((arg) =>
    arg !== "--quick" && !arg.startsWith("--only=") && !arg.startsWith("--rounds=")
  );
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) {
    console.error(`bench: invalid --rounds "${roundsArg}": expected a whole number from 1`);
    return 2;
  }
  const selected = CASES.filter((c) => !only || only.includes(c.id));
  if (unknown.length > 0 || (only && selected.length !== only.length)) {
    console.error(`bench: unknown argument or case in ${JSON.stringify(argv)}\n${USAGE}`);
    return 2;
  }

  const procs = new ProcessPool();
  const tmpDir = await Deno.makeTempDir({ prefix: "sockchat-bench-" });
  const started = performance.now();
  const ctx: BenchContext = {
    quick,
    rounds: (full, fewer) => rounds ?? (quick ? fewer : full),
    procs,
    peers: new Peers(),
    tmpDir,
    root: ROOT,
    sockchat: sockchatArgv,
    log: (line) => console.error(line),
  };
  const onSignal = async () => {
    await procs.killAll();
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const measurements: Measurement[] = [];
  let failed = false;
  try {
    for (const benchCase of selected) {
      try {
        measurements.push(...await benchCase.run(ctx));
      } catch (error) {
        failed = true;
        console.error(`bench: case ${benchCase.id} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await procs.killAll();
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  const date = new Date().toISOString();
  const report = buildReport(measurements, {
    date,
    quick,
    machine: machine(),
    durationMs: Math.round(performance.now() - started),
  });
  const m = report.machine;
  console.log(`sockchat bench ${quick ? "(quick) " : ""}${date}`);
  console.log(`machine: ${m.nproc} CPUs, ${m.cpuModel}, Linux ${m.kernel}, deno ${m.deno}\n`);
  console.log(formatTable(measurements));
  await Deno.mkdir(`${ROOT}/bench/results`, { recursive: true });
  const path = `${ROOT}/bench/results/${date.replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`;
  await Deno.writeTextFile(path, JSON.stringify(report, null, 2) + "\n");
  console.log(
    `raw samples: ${path.slice(ROOT.length + 1)} (${(report.durationMs / 1000).toFixed(0)} s)`,
  );
  const broken = measurements.some((x) => x.tools.some((t) => t.error));
  return failed || broken ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
