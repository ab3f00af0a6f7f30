// @ts-check
/**
 * Reading a line as the chat server sends it: the one reader of the wire format (see
 * `protocol.ts`), shared by the terminal client, the server's notice batching and the
 * browser page, so that they all colour the same part of a line. Plain JavaScript with
 * JSDoc types: the browser loads it as is, with no build step.
 * @module
 */

/**
 * A line as the server sends it, split so a client can paint the nickname: for the kinds
 * with a nickname, the line is `before + nick + after`.
 * @typedef {{
 *   kind: "message" | "action" | "private" | "private-echo",
 *   before: string,
 *   nick: string,
 *   after: string,
 * } | { kind: "notice" | "other" }} WireLine
 */

/**
 * The lines around the replayed history a newcomer gets (`--history`): plain text, so
 * that an `nc` user can tell old lines from new ones; the clients dim what is between.
 */
export const HISTORY_START = "-- history --";
/** The end of the replayed history: what follows is live. */
export const HISTORY_END = "-- now --";

/** @type {["message" | "action" | "private" | "private-echo", RegExp][]} */
const NICK_LINES = [
  ["message", /^(<)([^>\s]+)(> .*)$/s],
  ["action", /^(\*\* )(\S+)(.*)$/s],
  ["private-echo", /^(-> \*)([^*\s]+)(\* .*)$/s],
  ["private", /^(\*)([^*\s]+)(\* .*)$/s],
];

/**
 * Parses a received line (no line ending).
 * @param {string} line
 * @returns {WireLine}
 */
export function parseWireLine(line) {
  for (const [kind, pattern] of NICK_LINES) {
    const match = pattern.exec(line);
    if (match) return { kind, before: match[1] ?? "", nick: match[2] ?? "", after: match[3] ?? "" };
  }
  return { kind: line.startsWith("* ") ? "notice" : "other" };
}
