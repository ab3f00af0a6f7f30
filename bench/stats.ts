/**
 * Small statistics for the bench: median, range, and the sockchat/peer ratio.
 * @module
 */

/** Median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Smallest and largest of `values`. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** sockchat's median divided by the peer's (NaN when either is missing or zero). */
export function ratio(subject: number, peer: number): number {
  if (!Number.isFinite(subject) || !Number.isFinite(peer) || peer === 0) return NaN;
  return subject / peer;
}

/** The tool order for round `round`: rotated each round so no tool always goes first. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
