/**
 * The public NDJSON event schema. With `--json`, stdout carries one of these per line,
 * each with `type` and `ts` (ISO 8601). Fields are only ever added within a schema
 * version; a consumer should ignore fields it does not know. docs/events.md lists the
 * events with these comments (`deno task docs` generates it): write them for users.
 * @module
 */

/** Version of the event schema below; bumped only for incompatible changes. */
export const EVENT_SCHEMA_VERSION = 1;

/** Transport an event is about. */
export type Transport = "tcp" | "udp" | "unix";

/** `server` and `udp recv`, once bound: wait for it instead of sleeping. */
export interface ListeningEvent {
  type: "listening";
  transport: Transport;
  /** The bound address (TCP, UDP). */
  host?: string;
  /** The real port, also when `--port 0` picked it. */
  port?: number;
  /** The socket path (Unix). */
  path?: string;
  /** `true` for a TLS server. */
  tls?: boolean;
  /** SHA-256 fingerprint of the TLS server's certificate, `AA:BB:...`. */
  fingerprint?: string;
  /** The chat's web page (`server --web`): this listener serves it at this address. */
  url?: string;
}

/** `client`, once connected (for TLS: handshake done, certificate accepted). */
export interface ConnectedEvent {
  type: "connected";
  transport: Transport;
  /** The server: `127.0.0.1:6379`, `[::1]:80`, `unix:/path`. */
  peer: string;
  /** The local address of the connection. */
  local?: string;
  /** The connection is TLS (handshake done, certificate accepted). */
  tls?: boolean;
  /** SHA-256 fingerprint of the server's certificate, when checked by pin or `--insecure`. */
  fingerprint?: string;
}

/** `server`, for each connection it accepts (for TLS: after a successful handshake). */
export interface AcceptedEvent {
  type: "accepted";
  transport: Transport;
  /** The client, `host:port`. */
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
  /**
   * How it ended: `eof` (normal end), `matched` (every `--expect` matched), `reset`,
   * `timeout`, `idle`, `interrupted`, `output-closed` (stdout went away), `error`, `shutdown`.
   */
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
  /** `server --exec`: the program's exit code (128 + the signal's number when killed). */
  exitCode?: number;
  /** `server --exec`: the signal that ended the program (`SIGTERM`), when one did. */
  signal?: string;
}

/** `client` and `server --mode pipe`: bytes received (stdout carries only events). */
export interface DataEvent {
  type: "data";
  peer: string;
  /** How many bytes the payload carries. */
  bytes: number;
  /** The payload when it is valid UTF-8. */
  text?: string;
  /** The payload otherwise (never both). */
  base64?: string;
}

/** A UDP datagram received (`udp recv`; the reply of `udp send --wait-reply`). */
export interface DatagramEvent {
  type: "datagram";
  /** The sender, `host:port` (`[v6]:port` for IPv6). */
  from: string;
  /** The payload's size. */
  bytes: number;
  /** The payload when it is valid UTF-8. */
  text?: string;
  /** The payload otherwise (never both). */
  base64?: string;
}

/** `udp send`, for each datagram sent. */
export interface SentEvent {
  type: "sent";
  /** The destination, `host:port` as resolved. */
  to: string;
  bytes: number;
}

/** Something worth knowing that is not an error (also printed on stderr). */
export interface WarningEvent {
  type: "warning";
  message: string;
}

/** The run failed; always the last event. */
export interface ErrorEvent {
  type: "error";
  /** The line printed on stderr, without the `sockchat: ` prefix. */
  message: string;
  /** The exit code the run ends with. */
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

/**
 * `server` (chat): someone joined, once they sent a line or stayed 500 ms (a connection that
 * leaves sooner, like a probe, has neither a `joined` nor a `left` event).
 */
export interface JoinedEvent {
  type: "joined";
  /** Their default nickname (`guest1`, ...), or the one their first line chose with `/nick`. */
  nick: string;
  /** Their address, `host:port`. */
  peer: string;
  /**
   * How they came: `tcp`, `tls`, `unix`, or `web` (the browser page of `server --web`);
   * `remote` for a member of another server of a `--redis` room.
   */
  transport: MemberTransport | "remote";
}

/** What carries a chat member's lines: a TCP, TLS or Unix connection, or the web page. */
export type MemberTransport = "tcp" | "tls" | "unix" | "web";

/** `server` (chat): someone left. */
export interface LeftEvent {
  type: "left";
  nick: string;
  peer: string;
  /** `quit`, `eof`, `reset`, `idle`, `slow` (not reading), `kicked`, `error`, `shutdown`. */
  reason: LeaveReason;
  /** The `/quit` message, when there was one. */
  text?: string;
}

/** `server` (chat): someone changed their nickname from `oldNick` to `nick` (`/nick`). */
export interface RenamedEvent {
  type: "renamed";
  nick: string;
  oldNick: string;
  peer: string;
}

/** `server` (chat): every chat line, as everyone saw it. */
export interface MessageEvent {
  type: "message";
  nick: string;
  /** The sender's address; `operator` for the server's own messages. */
  peer: string;
  /** The message, sanitised. */
  text: string;
  /** `true` for `/me`. */
  action?: boolean;
  /** The recipient's nickname, for a private message (`/msg`). */
  to?: string;
}

/** The chat room's events. */
export type ChatEvent = JoinedEvent | LeftEvent | RenamedEvent | MessageEvent;
/** `client --expect`: a pattern matched, right after the `data` event that completed it. */
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

/** `wait`: one connection attempt to a target, and its result. */
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
  /** The targets, as given. */
  targets: string[];
  durationMs: number;
}

/**
 * `client --retry`: an attempt to connect failed before anything was sent, and another
 * follows after `delayMs`. When the budget is spent the run ends with exit 124 instead.
 */
export interface RetryEvent {
  type: "retry";
  /** The target as given (`127.0.0.1:5432`, `unix:/x`). */
  target: string;
  /** The attempt that failed, 1 for the first. */
  attempt: number;
  /** Why it failed (`connection refused`). */
  error: string;
  /** The pause before the next attempt: `--retry-delay`, doubled each time, capped. */
  delayMs: number;
}

/** How a probed port answered: it accepted, it refused, or nothing answered in time. */
export type ProbeState = "open" | "closed" | "timeout" | "error";

/**
 * `probe`: one port's result, in the order the ports were listed. Without `--json` the
 * same result is a line on stdout: `127.0.0.1 80 open`.
 */
export interface ProbeEvent {
  type: "probe";
  /** The host as given. */
  host: string;
  /** The address connected to (the host resolved once). */
  address: string;
  port: number;
  /** `closed`: refused (RST); `timeout`: no answer within `--timeout`; `error`: anything else. */
  state: ProbeState;
  /** Why it is not open (`connection refused`, `timed out`, `network is unreachable`). */
  error?: string;
  /** Time from the connect call to its answer. */
  durationMs: number;
}

/** `--help` with `--json`: the help text, so that stdout stays NDJSON. */
export interface HelpEvent {
  type: "help";
  text: string;
}

/** `--version` together with `--json`. */
export interface VersionEvent {
  type: "version";
  /** sockchat's version (semver). */
  version: string;
  /** The Deno version it runs on. */
  deno: string;
  /** The platform (a Rust target triple, e.g. `x86_64-unknown-linux-gnu`). */
  target: string;
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
  | ProbeEvent
  | RetryEvent
  | HelpEvent
  | VersionEvent;

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
