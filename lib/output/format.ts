/**
 * Pure formatting helpers: byte counts and clock times (durations: lib/duration.ts).
 * @module
 */

/** `1536` → `"1.5 KiB"`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `HH:MM:SS` of a date in local time, for terminal timestamps. */
export function formatClock(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Longest part of a user's value quoted in a message; the rest becomes `…`. */
export const QUOTE_LIMIT = 80;

/**
 * A value as the user typed it, for a one-line message: in double quotes, control and
 * format characters escaped (`\n`, `\u001b`) so the line stays one line and cannot move
 * the cursor, cut to `QUOTE_LIMIT` characters plus `…` (a 70,000-character host must not
 * make a 140 KB error line).
 */
export function quote(text: string): string {
  const chars = [...text];
  const cut = chars.length > QUOTE_LIMIT ? chars.slice(0, QUOTE_LIMIT).join("") + "…" : text;
  return `"${cut.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, escapeChar)}"`;
}

function escapeChar(char: string): string {
  const json = JSON.stringify(char).slice(1, -1);
  if (json !== char) return json;
  return `\\u{${char.codePointAt(0)!.toString(16)}}`;
}
