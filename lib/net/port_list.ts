/**
 * Port lists as `probe` takes them: `22`, `20-25,80,443`. Pure parsing, no sockets.
 * @module
 */

import { parsePort } from "./address.ts";
import { quote } from "../output/format.ts";

/**
 * Parses a comma-separated list of ports and ranges (`LOW-HIGH`, both ends included) into
 * the ports in the order given, each once.
 * @throws {RangeError} naming the list and the bad part: `Invalid port list "80,x": …`.
 * @example parsePortList("20-22,80") // [20, 21, 22, 80]
 */
export function parsePortList(text: string): number[] {
  const invalid = (why: string) => new RangeError(`Invalid port list ${quote(text)}: ${why}`);
  const ports = new Set<number>();
  for (const part of text.split(",")) {
    const range = /^([^-]*)-([^-]*)$/.exec(part.trim());
    const [lowText, highText] = range ? [range[1]!, range[2]!] : [part.trim(), part.trim()];
    let low: number, high: number;
    try {
      low = parsePort(lowText);
      high = parsePort(highText);
    } catch {
      throw invalid(
        part.trim() === ""
          ? "empty entry"
          : `${quote(part)} is not a port (1 to 65535) or a range like 20-25`,
      );
    }
    if (low > high) throw invalid(`range ${quote(part)} runs backwards`);
    for (let port = low; port <= high; port++) ports.add(port);
  }
  return [...ports];
}
