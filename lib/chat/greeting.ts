/**
 * Telling a sockchat chat server from any other server by what it sends first: a sockchat
 * server sends a newcomer the replayed history (messages and actions, between the
 * history markers) and then its welcome line (`isWelcome`). Any other first line — a
 * banner, a prompt, another chat's text — means the server is something else; so does
 * silence (the caller's deadline decides that). `client --name` sends `/nick NAME` only to
 * a server recognised here, so that `ncat --chat` or a tutorial server never shows it as
 * text.
 * @module
 */

import { HISTORY_END, HISTORY_START, isWelcome, parseWireLine } from "./protocol.ts";

/** What the first bytes say: a sockchat server, another server, or not yet known. */
export type GreetingVerdict = "sockchat" | "other" | "undecided";

/** Most bytes looked at before deciding `other`: a long history is still a few KiB. */
export const MAX_GREETING_BYTES = 256 * 1024;

const decoder = new TextDecoder();

/** The verdict on the first bytes a server sent (everything received so far). */
export function greetingVerdict(received: Uint8Array): GreetingVerdict {
  const lines = decoder.decode(received).split("\n");
  lines.pop(); // an unfinished line tells nothing yet
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (isWelcome(line)) return "sockchat";
    if (line === HISTORY_START || line === HISTORY_END) continue;
    const kind = parseWireLine(line).kind;
    if (kind !== "message" && kind !== "action") return "other";
  }
  return received.length >= MAX_GREETING_BYTES ? "other" : "undecided";
}
