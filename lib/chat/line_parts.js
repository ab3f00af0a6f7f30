// @ts-check
/**
 * A received chat line taken apart for display: its kind and the nickname in it, so that
 * the terminal client and the browser page colour exactly the same part of a line.
 * Plain JavaScript with JSDoc types: the browser loads it as is, with no build step.
 *
 * | Line            | kind           | head   | nick    | tail      |
 * | --------------- | -------------- | ------ | ------- | --------- |
 * | `<bob> hi`      | `message`      | `<`    | `bob`   | `> hi`    |
 * | `** bob waves`  | `action`       | `** `  | `bob`   | ` waves`  |
 * | `*bob* psst`    | `private`      | `*`    | `bob`   | `* psst`  |
 * | `-> *amy* psst` | `private-echo` | `-> *` | `amy`   | `* psst`  |
 * | `* amy joined`  | `notice`       | ``     | ``      | the line  |
 * | anything else   | `other`        | ``     | ``      | the line  |
 * @module
 */

/**
 * @typedef {"message" | "action" | "private" | "private-echo" | "notice" | "other"} LineKind
 */

/**
 * @typedef {object} LineParts
 * @property {LineKind} kind what the line is
 * @property {string} head the text before the nickname
 * @property {string} nick the nickname, or `""` when the line names none
 * @property {string} tail the text after the nickname
 */

const MESSAGE = /^<([^>\s]+)> /;
const ACTION = /^\*\* (\S*)/;
const PRIVATE_ECHO = /^-> \*([^*\s]+)\* /;
const PRIVATE = /^\*([^*\s]+)\* /;

/**
 * Splits a received line (no line ending) so that `head + nick + tail === line`.
 * @param {string} line
 * @returns {LineParts}
 */
export function lineParts(line) {
  let match = MESSAGE.exec(line);
  if (match) return parts("message", "<", match[1] ?? "", line);
  match = ACTION.exec(line);
  if (match) return parts("action", "** ", match[1] ?? "", line);
  match = PRIVATE_ECHO.exec(line);
  if (match) return parts("private-echo", "-> *", match[1] ?? "", line);
  match = PRIVATE.exec(line);
  if (match) return parts("private", "*", match[1] ?? "", line);
  return { kind: line.startsWith("* ") ? "notice" : "other", head: "", nick: "", tail: line };
}

/**
 * @param {LineKind} kind
 * @param {string} head
 * @param {string} nick
 * @param {string} line
 * @returns {LineParts}
 */
function parts(kind, head, nick, line) {
  return { kind, head, nick, tail: line.slice(head.length + nick.length) };
}
