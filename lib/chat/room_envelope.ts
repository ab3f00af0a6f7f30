/**
 * What servers sharing a room tell each other through Redis: one JSON envelope per
 * stream entry, stamped with the sending server's id. Decoding checks every field and
 * sanitises every text again: a line from Redis is treated like a line from a client.
 * @module
 */

import type { LeaveReason } from "../output/events.ts";
import { nickProblem } from "./nick.ts";
import { sanitiseText } from "../output/sanitise.ts";

/**
 * A member as the hello and the presence hash list them: nickname, address, and the
 * number its server gave it (so a rename made while the link was down is seen as one).
 */
export type RemoteMemberInfo = [nick: string, peer: string, id: number];

/** One envelope: `s` is the sending server's id, `id` the member's number there. */
export type Envelope =
  | { t: "msg"; s: string; nick: string; peer: string; text: string; action?: true }
  | { t: "pm"; s: string; nick: string; peer: string; to: string; text: string }
  | { t: "join"; s: string; nick: string; peer: string; id: number }
  | { t: "left"; s: string; nick: string; peer: string; reason: LeaveReason; text?: string }
  | { t: "nick"; s: string; nick: string; old: string; peer: string; id: number }
  | { t: "hello"; s: string; members: RemoteMemberInfo[] }
  | { t: "bye"; s: string };

const REASONS: readonly string[] = [
  "quit",
  "eof",
  "reset",
  "idle",
  "slow",
  "kicked",
  "error",
  "shutdown",
];

/** The envelope as stream entry text. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** Decodes and checks an envelope; `undefined` for anything malformed (it is skipped). */
export function decodeEnvelope(json: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const s = v.s;
  if (typeof s !== "string" || s === "" || s.length > 64) return undefined;
  const nick = isNick(v.nick) ? v.nick : undefined;
  const peer = typeof v.peer === "string" ? sanitiseText(v.peer).slice(0, 200) : "";
  const text = typeof v.text === "string" ? sanitiseText(v.text) : undefined;
  switch (v.t) {
    case "msg":
      if (nick === undefined || text === undefined) return undefined;
      return { t: "msg", s, nick, peer, text, ...(v.action === true ? { action: true } : {}) };
    case "pm":
      if (nick === undefined || text === undefined || !isNick(v.to)) return undefined;
      return { t: "pm", s, nick, peer, to: v.to, text };
    case "join":
      return nick === undefined || !isId(v.id) ? undefined : { t: "join", s, nick, peer, id: v.id };
    case "left":
      if (nick === undefined || typeof v.reason !== "string" || !REASONS.includes(v.reason)) {
        return undefined;
      }
      return {
        t: "left",
        s,
        nick,
        peer,
        reason: v.reason as LeaveReason,
        ...(text !== undefined ? { text } : {}),
      };
    case "nick":
      if (nick === undefined || !isNick(v.old) || !isId(v.id)) return undefined;
      return { t: "nick", s, nick, old: v.old, peer, id: v.id };
    case "hello": {
      if (!Array.isArray(v.members)) return undefined;
      const members = v.members.map(decodeMember).filter((m) => m !== undefined);
      return { t: "hello", s, members };
    }
    case "bye":
      return { t: "bye", s };
    default:
      return undefined;
  }
}

/** One `[nick, peer, id]` from a hello or a presence hash; `undefined` when malformed. */
export function decodeMember(value: unknown): RemoteMemberInfo | undefined {
  if (!Array.isArray(value) || !isNick(value[0]) || !isId(value[2])) return undefined;
  return [
    value[0],
    typeof value[1] === "string" ? sanitiseText(value[1]).slice(0, 200) : "",
    value[2],
  ];
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isNick(value: unknown): value is string {
  return typeof value === "string" && nickProblem(value) === null;
}
