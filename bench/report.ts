/**
 * The bench's output: a plain-text table of medians and sockchat/peer ratios for stdout,
 * and the JSON document with every raw sample.
 * @module
 */

import type { Machine } from "./machine.ts";
import { median, range, ratio } from "./stats.ts";
import type { Measurement, ToolResult } from "./types.ts";

/** The JSON file's shape. */
export interface BenchReport {
  date: string;
  quick: boolean;
  machine: Machine;
  durationMs: number;
  measurements: (Measurement & { tools: (ToolResult & { median: number })[] })[];
}

/** Adds medians to every tool. */
export function buildReport(
  measurements: Measurement[],
  info: { date: string; quick: boolean; machine: Machine; durationMs: number },
): BenchReport {
  return {
    ...info,
    measurements: measurements.map((m) => ({
      ...m,
      tools: m.tools.map((tool) => ({ ...tool, median: median(tool.samples) })),
    })),
  };
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Table rows (without header) for one measurement. */
export function measurementRows(m: Measurement): string[][] {
  const subject = m.tools.find((tool) => tool.subject && tool.samples.length > 0);
  const subjectMedian = subject ? median(subject.samples) : NaN;
  return m.tools.map((tool) => {
    const med = median(tool.samples);
    const [low, high] = tool.samples.length > 0 ? range(tool.samples) : [NaN, NaN];
    let ratioText = "";
    if (!tool.subject && subject) {
      const r = ratio(subjectMedian, med);
      ratioText = Number.isFinite(r) ? `${r.toFixed(2)}×` : "-";
    }
    const status = tool.skipped ?? (tool.error ? `error: ${tool.error}` : (tool.check ?? ""));
    return [
      `${m.name} [${m.unit}, ${m.better} is better]`,
      tool.name,
      tool.note,
      tool.samples.length > 0 ? `${fmt(med)}` : "-",
      tool.samples.length > 0 ? `${fmt(low)}–${fmt(high)} (n=${tool.samples.length})` : "",
      ratioText,
      status,
    ];
  });
}

/** The whole table as text: columns padded, one block per measurement. */
export function formatTable(measurements: Measurement[]): string {
  const header = ["measurement", "tool", "what it runs", "median", "range", "sockchat/peer", ""];
  const blocks = measurements.map(measurementRows);
  const all = [header, ...blocks.flat()];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const block of blocks) {
    block.forEach((row, i) => out.push(line(i === 0 ? row : ["", ...row.slice(1)])));
    out.push("");
  }
  return out.join("\n");
}
