/**
 * The bench's shapes: a case (one numbered item of the benchmark issue) produces
 * measurements; a measurement holds the samples of every tool side by side.
 * @module
 */

import type { Peers } from "./peers.ts";
import type { ProcessPool } from "./proc.ts";

/** Whether a bigger number is better (rates) or a smaller one (times). */
export type Better = "higher" | "lower";

/** One tool taking part in a measurement. */
export interface Contender {
  /** Short name shown in the table (`sockchat`, `nc`, `socat -b 131072`). */
  name: string;
  /** What this tool does in this measurement (shown in the table). */
  note: string;
  /** True for sockchat itself; ratios are sockchat / each peer. */
  subject?: boolean;
  /** Peer programs that must be on PATH; a missing one marks the tool skipped. */
  requires?: string[];
}

/** The samples of one tool in one measurement. */
export interface ToolResult {
  name: string;
  note: string;
  subject: boolean;
  samples: number[];
  /** Why the tool did not run (peer not installed). */
  skipped?: string;
  /** Why the tool stopped running (a failed or wrong run). */
  error?: string;
  /** Outcome of the correctness round, e.g. `sha256 ok`. */
  check?: string;
}

/** One row group of the table. */
export interface Measurement {
  caseId: string;
  name: string;
  unit: string;
  better: Better;
  tools: ToolResult[];
}

/** What a case gets from the harness. */
export interface BenchContext {
  quick: boolean;
  /** Rounds to run: `full`, or `quick` with `--quick`; `--rounds=N` overrides both. */
  rounds(full: number, quick: number): number;
  procs: ProcessPool;
  peers: Peers;
  /** A scratch directory, deleted at the end of the run. */
  tmpDir: string;
  /** Repository root (the README's commands run there). */
  root: string;
  /** argv that runs sockchat the way the README says (or `SOCKCHAT_BIN`). */
  sockchat(args: string[]): string[];
  /** Progress line on stderr. */
  log(line: string): void;
}

/** One benchmark case; add new ones to `registry.ts`. */
export interface BenchCase {
  /** Stable id used by `--only` and in the JSON (`tcp-throughput`). */
  id: string;
  /** The item number in the benchmark issue. */
  item: number;
  title: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}
