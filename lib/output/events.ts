/**
 * The public NDJSON event schema. With `--json`, stdout carries one of these per line,
 * each with `type` and `ts` (ISO 8601). Fields are only ever added within a schema
 * version; a consumer should ignore fields it does not know.
 * @module
 */

/** Version of the event schema below; bumped only for incompatible changes. */
export const EVENT_SCHEMA_VERSION = 1;

/** Transport an event is about. */
export type Transport = "tcp" | "udp" | "unix";

/** A server or receiver is bound and ready; `port` is the real one (port 0 resolved). */
export interface ListeningEvent {
  type: "listening";
  transport: Transport;
  host?: string;
  port?: number;
  path?: string;
  tls?: boolean;
  fingerprint?: string;
}

/** A client connected to its peer. */
export interface ConnectedEvent {
  type: "connected";
  transport: Transport;
  peer: string;
  local?: string;
  /** The connection is TLS (handshake done, certificate accepted). */
  tls?: boolean;
  /** SHA-256 fingerprint of the server's certificate, when checked by pin or `--insecure`. */
  fingerprint?: string;
}

/** A server accepted a connection. */
export interface AcceptedEvent {
  type: "accepted";
  transport: Transport;
  peer: string;
}

/** Why a connection or a run ended. */
export type CloseReason =
  | "eof"
  | "reset"
  | "timeout"
  | "idle"
  | "interrupted"
  | "output-closed"
  | "error"
  | "shutdown"
  | "matched";

/** A connection ended: bytes each way, how long it lasted and whether it all got through. */
export interface ClosedEvent {
  type: "closed";
  peer: string;
  /** Bytes written to the peer (accepted by the connection). */
  bytesSent: number;
  /** Bytes received from the peer and written out. */
  bytesReceived: number;
  durationMs: number;
  reason: CloseReason;
  /**
   * Pipes (`client`, `server --mode pipe`): everything to send (stdin, or `--send`) was
   * read to its end and sent. False when the run ended before (the peer closed first and
   * stdin was a terminal or `--linger` passed, an error, a deadline, an interrupt).
   */
  stdinFinished?: boolean;
  /** Bytes read from stdin (or `--send`) that were never sent, when there were any. */
  unsent?: number;
  /** What failed, in words (`connection reset by peer`), when `reason` is `reset` or `error`. */
  error?: string;
}

/** Bytes received from a peer, in `--json` mode (where stdout carries only events). */
export interface DataEvent {
  type: "data";
  peer: string;
  bytes: number;
  text?: string;
  base64?: string;
}

/** A UDP datagram received (`udp recv`; the reply of `udp send --wait-reply`). */
export interface DatagramEvent {
  type: "datagram";
  /** The sender, `host:port` (`[v6]:port` for IPv6). */
  from: string;
  bytes: number;
  text?: string;
  base64?: string;
}

/** A UDP datagram sent (`udp send`). */
export interface SentEvent {
  type: "sent";
  /** The destination, `host:port` as resolved. */
  to: string;
  bytes: number;
}

/** Something worth knowing that is not an error. */
export interface WarningEvent {
  type: "warning";
  message: string;
}

/** The run failed: mirrors the one-line stderr message and the exit code. */
export interface ErrorEvent {
  type: "error";
  message: string;
  exitCode: number;
}

/** Why someone left a chat room. */
export type LeaveReason =
  | "quit"
  | "eof"
  | "reset"
  | "idle"
  | "slow"
  | "kicked"
  | "error"
  | "shutdown";

/** Someone joined the chat room (with their default nickname). */
export interface JoinedEvent {
  type: "joined";
  nick: string;
  peer: string;
}

/** Someone left the chat room. */
export interface LeftEvent {
  type: "left";
  nick: string;
  peer: string;
  reason: LeaveReason;
  /** The `/quit` message, when there was one. */
  text?: string;
}

/** Someone changed their nickname from `oldNick` to `nick`. */
export interface RenamedEvent {
  type: "renamed";
  nick: string;
  oldNick: string;
  peer: string;
}

/**
 * A chat message (text sanitised as everyone saw it). `action` for `/me`, `to` for a
 * private message. The operator's messages have `peer` "operator".
 */
export interface MessageEvent {
  type: "message";
  nick: string;
  peer: string;
  text: string;
  action?: boolean;
  to?: string;
}

/** The chat room's events. */
export type ChatEvent = JoinedEvent | LeftEvent | RenamedEvent | MessageEvent;
/** An `--expect` pattern matched the data received from `peer`. */
export interface MatchedEvent {
  type: "matched";
  peer: string;
  /** Position of the pattern among the `--expect` options, from 0. */
  index: number;
  /** The pattern as given. */
  pattern: string;
  /** The text it matched. */
  text: string;
  /** Capture groups, when the pattern has any (`null` for a group that did not take part). */
  groups?: (string | null)[];
}

/** `wait`: one connection attempt to a target and its result. */
export interface AttemptEvent {
  type: "attempt";
  /** The target as given on the command line (`127.0.0.1:5432`, `[::1]:80`, `unix:/x`). */
  target: string;
  /** 1 for the first attempt at this target. */
  attempt: number;
  ok: boolean;
  /** Why the attempt failed (`connection refused`), when `ok` is false. */
  error?: string;
}

/** `wait`: every target accepted a connection. */
export interface ReadyEvent {
  type: "ready";
  targets: string[];
  durationMs: number;
}

/** `--help` with `--json`: the help text, so stdout stays NDJSON. */
export interface HelpEvent {
  type: "help";
  text: string;
}

/** Every event sockchat emits. */
export type SockchatEvent =
  | ListeningEvent
  | ConnectedEvent
  | AcceptedEvent
  | ClosedEvent
  | DataEvent
  | DatagramEvent
  | SentEvent
  | WarningEvent
  | ErrorEvent
  | ChatEvent
  | MatchedEvent
  | AttemptEvent
  | ReadyEvent
  | HelpEvent;

/** An event as written: with its timestamp. */
export type StampedEvent = SockchatEvent & { ts: string };

/** Payload fields for bytes: `text` when valid UTF-8, `base64` otherwise. */
export function payloadFields(bytes: Uint8Array): { text: string } | { base64: string } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { base64: toBase64(bytes) };
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
