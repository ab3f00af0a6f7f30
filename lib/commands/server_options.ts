/**
 * Typed options of `sockchat server`, shared by its modes.
 * @module
 */

import type { Cidr } from "../net/cidr.ts";
import type { RedisAddress } from "../net/redis_url.ts";
import type { PipeOptions } from "./pipe_policy.ts";
import type { WireLogSpec } from "../output/wire_log.ts";
import type { ServerTlsOptions } from "../net/server_tls.ts";
import type { ListenTarget } from "../net/tls_server.ts";

/** What the server does with its connections. */
export type ServerMode = "chat" | "pipe" | "echo" | "exec";

/** Options every mode understands. */
export interface ServerOptions {
  /** Where to listen; `target.tls` (set by `runServer` from `tls`) makes it a TLS listener. */
  target: ListenTarget;
  mode: ServerMode;
  /** pipe: serve the next client after one leaves. */
  keepOpen: boolean;
  /** Whole-run deadline (exit 124). */
  timeoutMs?: number;
  /** Per connection: close after this long without traffic. */
  idleTimeoutMs?: number;
  /** pipe, echo: `--hex`, `--log FILE`: a transcript of every connection. */
  wireLog?: WireLogSpec;
  /** pipe: `--recv-only`, `--send-only`, `--linger`. */
  pipe?: PipeOptions;
  /** exec (`--exec -- PROGRAM [ARGS...]`): what to run for each client. */
  exec?: ExecOptions;
  /** chat: the chat room's settings (defaults when absent). */
  chat?: ChatModeOptions;
  /** `--tls`: serve TLS with these files, or an ephemeral self-signed certificate. */
  tls?: ServerTlsOptions;
}

/** `--exec -- PROGRAM [ARGS...]`. */
export interface ExecOptions {
  /** The program and its arguments (never given to a shell). */
  argv: string[];
  /** `--max-clients`: most programs running at once. */
  maxClients: number;
}

/** Settings only chat mode uses. */
export interface ChatModeOptions {
  /** The operator's nickname (`--name`). */
  name: string;
  /** `--max-line` in bytes. */
  maxLineBytes: number;
  /** `--max-clients`. */
  maxClients: number;
  /** `--max-per-ip`: most connections from one address at once. */
  maxPerIp: number;
  /** `--join-timeout`: a client that has sent no complete line by then is dropped. */
  joinTimeoutMs: number;
  /** `--history`: past messages shown to newcomers. */
  historySize: number;
  /** `--allow` networks (empty: everyone not denied). */
  allow: Cidr[];
  /** `--deny` networks (deny wins). */
  deny: Cidr[];
  /** `--web`: also serve the browser page and its WebSocket here. */
  web?: { host: string; port: number };
  /** `--redis`, `--room`, `--redis-ttl`: one room shared by servers through Redis. */
  redis?: SharedRoomOptions;
}

/** Where the shared room lives. */
export interface SharedRoomOptions {
  address: RedisAddress;
  /** `--room`: the room's name. */
  room: string;
  /** `--redis-ttl`: how long a silent server's members and nicknames stay. */
  ttlMs: number;
}

/** `--room` default. */
export const DEFAULT_ROOM = "lobby";
/** `--redis-ttl` default: 15 s. */
export const DEFAULT_REDIS_TTL_MS = 15_000;

/** Chat mode's defaults. */
export const CHAT_DEFAULTS: ChatModeOptions = {
  name: "server",
  maxLineBytes: 65536,
  maxClients: 64,
  maxPerIp: 8,
  joinTimeoutMs: 60_000,
  historySize: 20,
  allow: [],
  deny: [],
};
