/**
 * Running tools side by side: several rounds, the tool order rotated every round, one
 * sample per tool per round. A tool whose run fails stops taking part and carries the
 * error; a tool whose peer is missing is skipped.
 * @module
 */

import { rotation } from "./stats.ts";
import type { BenchContext, Contender, ToolResult } from "./types.ts";

/** Runs `once(tool, round)` for each tool, `rounds` times, alternating the order. */
export async function alternate<T extends Contender>(
  ctx: BenchContext,
  tools: readonly T[],
  rounds: number,
  once: (tool: T, round: number) => Promise<number>,
): Promise<Map<T, ToolResult>> {
  const results = new Map<T, ToolResult>();
  for (const tool of tools) {
    const skipped = ctx.peers.missing(tool.requires ?? []);
    results.set(tool, {
      name: tool.name,
      note: tool.note,
      subject: tool.subject === true,
      samples: [],
      ...(skipped ? { skipped } : {}),
    });
  }
  for (let round = 0; round < rounds; round++) {
    for (const tool of rotation(tools, round)) {
      const result = results.get(tool)!;
      if (result.skipped || result.error) continue;
      try {
        result.samples.push(await once(tool, round));
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
        ctx.log(`  ${tool.name}: ${result.error}`);
      }
    }
  }
  return results;
}
