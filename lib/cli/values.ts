/**
 * Pure parsers for option values. Each throws a `UsageError` whose message names the
 * option and the value, so it can be shown as is.
 * @module
 */

import { UsageError } from "../errors.ts";
import { parsePort } from "../net/address.ts";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration: `500ms`, `5s`, `1.5s`, `2m`, `1h`; a bare number means seconds.
 * @returns milliseconds
 */
export function parseDuration(text: string, option = "duration"): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `Invalid ${option} "${text}": expected a duration like 500ms, 5s, 2m or 1h`,
    );
  }
  const ms = Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000);
  if (!Number.isFinite(ms) || ms > 2 ** 31 - 1) {
    throw new UsageError(`Invalid ${option} "${text}": too long (at most 24 days)`);
  }
  return Math.round(ms);
}

/** Like `parseDuration`, but zero is rejected. */
export function parsePositiveDuration(text: string, option: string): number {
  const ms = parseDuration(text, option);
  if (ms <= 0) throw new UsageError(`Invalid ${option} "${text}": must be greater than zero`);
  return ms;
}

/** Parses a port for `option`, as a usage error. */
export function parsePortOption(text: string, option: string, allowZero = false): number {
  try {
    return parsePort(text, allowZero);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (${option})`);
  }
}

/** Parses a whole number within `[min, max]`. */
export function parseCount(
  text: string,
  option: string,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `Invalid ${option} "${text}": expected a whole number from ${min}${
        max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`
      }`,
    );
  }
  return Number(text);
}
