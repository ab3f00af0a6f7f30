/**
 * How events look for people (on stderr) when `--json` is off, and at which verbosity
 * each one shows.
 * @module
 */

import type { Colors } from "./color.ts";
import type { NickColors } from "./nick_colors.ts";
import type { ChatEvent, LeaveReason, SockchatEvent } from "./events.ts";
import { formatBytes } from "./format.ts";
import { formatDuration } from "../duration.ts";

/** Which verbosity an event line needs: shown at `normal` unless `quiet`, or only with `-v`. */
export type Level = "normal" | "verbose" | "warn";

/** One human line for an event, or `null` when the event has no text form. */
export interface TextLine {
  level: Level;
  line: string;
}

/** Turns an event into the line a person sees on stderr. */
export function formatEventText(event: SockchatEvent, colors: Colors): TextLine | null {
  switch (event.type) {
    case "listening": {
      const where = event.path !== undefined
        ? `unix:${event.path}`
        : `${bracketHost(event.host ?? "")}:${event.port}`;
      const extra = event.fingerprint ? ` (TLS, SHA-256 fingerprint ${event.fingerprint})` : "";
      const page = event.url !== undefined ? `, web page ${event.url}` : "";
      return { level: "normal", line: `listening on ${where}${page}${extra}` };
    }
    case "connected":
      return {
        level: "verbose",
        line: `connected to ${event.peer}${event.tls ? " (TLS)" : ""}`,
      };
    case "accepted":
      return { level: "verbose", line: `connection from ${event.peer}` };
    case "closed": {
      // server --exec: a program that failed is worth a line without -v.
      const failed = (event.exitCode ?? 0) !== 0 || event.signal !== undefined;
      const program = event.signal !== undefined
        ? `, program killed by ${event.signal}`
        : event.exitCode !== undefined
        ? `, program exited with ${event.exitCode}`
        : "";
      return {
        level: failed ? "normal" : "verbose",
        line: `closed ${event.peer}: sent ${formatBytes(event.bytesSent)}, received ${
          formatBytes(event.bytesReceived)
        } in ${formatDuration(event.durationMs)} (${event.reason})${program}`,
      };
    }
    case "sent":
      return { level: "verbose", line: `sent ${formatBytes(event.bytes)} to ${event.to}` };
    case "warning":
      return { level: "warn", line: colors.yellow(`sockchat: warning: ${event.message}`) };
    case "matched":
      return {
        level: "verbose",
        line: `matched --expect ${event.index + 1} "${event.pattern}": ${
          JSON.stringify(event.text)
        }`,
      };
    case "attempt":
      return {
        level: "verbose",
        line: event.ok
          ? `${event.target} is up (attempt ${event.attempt})`
          : `${event.target}: ${event.error ?? "not up"} (attempt ${event.attempt})`,
      };
    case "retry":
      return {
        level: "normal",
        line: `${event.target}: ${event.error} (attempt ${event.attempt}); retrying in ${
          formatDuration(event.delayMs)
        }`,
      };
    case "ready":
      return {
        level: "normal",
        line: `ready: ${event.targets.join(", ")} (after ${formatDuration(event.durationMs)})`,
      };
    case "data":
    case "datagram":
    case "probe": // its text line goes to stdout: see lib/commands/probe.ts
    case "error":
    case "help":
    case "version":
      return null;
    case "joined":
    case "left":
    case "renamed":
    case "message":
      return null; // the chat transcript goes to stdout: see formatChatEvent
  }
}

const LEAVE_REASONS: Record<LeaveReason, string> = {
  quit: "quit",
  eof: "closed the connection",
  reset: "connection lost",
  idle: "idle timeout",
  slow: "not reading",
  kicked: "removed",
  error: "error",
  shutdown: "server shutting down",
};

/**
 * One transcript line for a chat event (the server's stdout without `--json`):
 * `<alice> hi`, `** alice waves`, `*alice -> bob* psst`,
 * `* alice joined from HOST:PORT (web)`.
 * The event's text is already sanitised. Nicknames get their colour from `nicks`, which
 * follows who is present (joins, renames and leaves are fed to it here), or without it
 * their stable colour.
 */
export function formatChatEvent(event: ChatEvent, colors: Colors, nicks?: NickColors): string {
  if (event.type === "renamed") nicks?.renamed(event.oldNick, event.nick);
  const paint = (name: string) =>
    nicks === undefined ? colors.stable(name) : colors.code(nicks.colorOf(name), name);
  const nick = paint(event.nick);
  if (event.type === "left") nicks?.left(event.nick);
  switch (event.type) {
    case "joined":
      return `${colors.dim("*")} ${nick} joined from ${event.peer} (${event.transport})`;
    case "left": {
      const why = LEAVE_REASONS[event.reason] + (event.text ? `: ${event.text}` : "");
      return `${colors.dim("*")} ${nick} left (${why})`;
    }
    case "renamed": {
      // The same person: the old name in the colour it had (now the new name's).
      const old = nicks === undefined
        ? colors.stable(event.oldNick)
        : colors.code(nicks.colorOf(event.nick), event.oldNick);
      return `${colors.dim("*")} ${old} is now known as ${nick}`;
    }
    case "message":
      if (event.to !== undefined) return `*${nick} -> ${paint(event.to)}* ${event.text}`;
      return event.action ? `** ${nick} ${event.text}` : `<${nick}> ${event.text}`;
  }
}

/** `::1` → `[::1]`, other hosts unchanged. */
export function bracketHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
