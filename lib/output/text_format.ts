/**
 * How events look for people (on stderr) when `--json` is off, and at which verbosity
 * each one shows.
 * @module
 */

import type { Colors } from "./color.ts";
import type { SockchatEvent } from "./events.ts";
import { formatBytes, formatDuration } from "./format.ts";

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
      return { level: "normal", line: `listening on ${where}${extra}` };
    }
    case "connected":
      return {
        level: "verbose",
        line: `connected to ${event.peer}${event.tls ? " (TLS)" : ""}`,
      };
    case "accepted":
      return { level: "verbose", line: `connection from ${event.peer}` };
    case "closed":
      return {
        level: "verbose",
        line: `closed ${event.peer}: sent ${formatBytes(event.bytesSent)}, received ${
          formatBytes(event.bytesReceived)
        } in ${formatDuration(event.durationMs)} (${event.reason})`,
      };
    case "warning":
      return { level: "warn", line: colors.yellow(`sockchat: warning: ${event.message}`) };
    case "data":
    case "error":
      return null;
  }
}

/** `::1` → `[::1]`, other hosts unchanged. */
export function bracketHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
