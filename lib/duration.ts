/**
 * Writing durations in messages, one way everywhere: a measured time with its precision
 * (`formatDuration`), or a configured limit in its largest whole unit (`formatLimit`).
 * @module
 */

/** `1234` (ms) → `"1.23 s"`, `12` → `"12 ms"`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A configured limit in its largest whole unit: `300000` → `"5 min"`, `1000` → `"1 s"`;
 * other values as `formatDuration` writes them (`1500` → `"1.50 s"`).
 */
export function formatLimit(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return formatDuration(ms);
}
