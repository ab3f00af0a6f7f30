/**
 * Size and start-up time of a compiled sockchat, as one markdown table row for the
 * benchmark table. The release workflow runs it on each platform's runner right after
 * the build (the offline development machine cannot build a binary):
 * `deno run -P=... scripts/binary_stats.ts linux-x64 dist/sockchat-linux-x64`.
 * Start-up is the median wall time of `BINARY --version` over 21 runs, spawned from Deno.
 * @module
 */

/** How many `--version` runs the median is taken over. */
export const STARTUP_RUNS = 21;

/** Median of `values` (throws on an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The markdown row: platform, size in MiB (one decimal), median start-up in ms. */
export function statsRow(platform: string, bytes: number, startupMs: number): string {
  return `| ${platform} | ${(bytes / (1 << 20)).toFixed(1)} MiB | ${startupMs.toFixed(0)} ms |`;
}

/** The table header that `statsRow` rows go under. */
export const STATS_HEADER = "| binary | size | start-up (`--version`, median) |\n|---|---|---|";

/** Measures `binary`: its size and the median time of `binary --version`. */
export async function measure(binary: string, runs = STARTUP_RUNS): Promise<{
  bytes: number;
  startupMs: number;
}> {
  const bytes = (await Deno.stat(binary)).size;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = await new Deno.Command(binary, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    times.push(performance.now() - start);
    if (result.code !== 0) {
      throw new Error(
        `"${binary} --version" exited ${result.code}: ${new TextDecoder().decode(result.stderr)}`,
      );
    }
  }
  return { bytes, startupMs: median(times) };
}

if (import.meta.main) {
  const [platform, binary] = Deno.args;
  if (!platform || !binary) {
    console.error("usage: binary_stats.ts PLATFORM BINARY");
    Deno.exit(2);
  }
  const { bytes, startupMs } = await measure(binary);
  console.log(`${STATS_HEADER}\n${statsRow(platform, bytes, startupMs)}`);
}
