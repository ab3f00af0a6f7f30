/**
 * The chat server: the thin I/O shell around the pure `Room`. It takes accepted
 * connections as `Endpoint`s — TCP, TLS, Unix sockets or any other transport that can
 * read bytes, write bytes, half-close and close — (the accept loop belongs to the command), applies `--allow/--deny` and
 * `--max-clients`, reads each client's lines (`readLines`: length cap, quiet flush),
 * writes each client's lines through its own bounded `Outbox` (a client that stops
 * reading is dropped, never stalling the others), enforces `--join-timeout` and
 * `--idle-timeout`, and shuts down cleanly: `* server shutting down` to everyone, then
 * the connections close.
 *
 * Slots cannot be hoarded by saying nothing: only a non-blank complete line is activity
 * (bytes without a newline, or empty lines, are not), a newcomer must say something
 * within `--join-timeout`, and (with `--idle-timeout`) a member within that.
 *
 * A newcomer is announced to the others only once it sent a line or stayed
 * `ANNOUNCE_AFTER_MS`: a probe that connects and closes is no visit.
 *
 * Every per-connection task catches its own errors: one client's reset, death or
 * garbage never takes the server down.
 * @module
 */

import { settleWithin } from "../async.ts";
import { type AccessRules, isAllowed } from "../net/cidr.ts";
import type { Endpoint } from "../net/endpoint.ts";
import type { PeerInfo } from "../net/peer.ts";
import type { ChatEvent, LeaveReason } from "../output/events.ts";
import { formatLimit } from "../duration.ts";
import { readLines } from "./line_reader.ts";
import { BroadcastBatch } from "./broadcast_batch.ts";
import { NOTICE_BATCH_MS, NoticeBatch } from "./notice_batch.ts";
import { Outbox } from "./outbox.ts";
import { formatNotice, parseWireLine } from "./protocol.ts";
import { type ClientId, type Delivery, type RemoteRoster, Room, type RoomOutput } from "./room.ts";

/** Settings of a chat server (validated by the CLI). */
export interface ChatServerOptions {
  /** The operator's nickname (`--name`). */
  operatorName: string;
  /** Past messages shown to newcomers (`--history`). */
  historySize: number;
  /** Longest line (`--max-line`); longer lines are cut. */
  maxLineBytes: number;
  /** Most clients at once (`--max-clients`). */
  maxClients: number;
  /** Disconnect a client that sent no non-blank line for this long (`--idle-timeout`). */
  idleTimeoutMs?: number;
  /** Disconnect a newcomer that sent no non-blank line this long after joining. */
  joinTimeoutMs?: number;
  /** `--allow` / `--deny`. */
  access: AccessRules;
  /** Most unsent bytes per client before it is dropped; see `outboxLimit`. */
  outboxLimitBytes?: number;
  /** The quiet-flush moment (tests shorten it); defaults to `QUIET_FLUSH_MS`. */
  quietMs?: number;
  /** How long a silent newcomer waits to be announced; defaults to `ANNOUNCE_AFTER_MS`. */
  announceAfterMs?: number;
  /** Members of the same room on other servers (`--redis`). */
  roster?: RemoteRoster;
}

/** What the server tells its owner. */
export interface ChatServerHooks {
  /** A join, leave, rename or message (already sanitised), with the room's clock. */
  onEvent(event: ChatEvent, at: Date): void;
  /** A line meant only for the operator (replies to the operator's commands). */
  onOperatorLine(line: string): void;
  /** A diagnostic for `--verbose` (refused peers, full server). */
  debug(line: string): void;
}

/**
 * Most unsent bytes a client may have before it is dropped: 1 MiB, or four maximal
 * lines when `--max-line` is larger.
 */
export function outboxLimit(maxLineBytes: number): number {
  return Math.max(1 << 20, 4 * (maxLineBytes + 64));
}

/**
 * How long a closing connection may take to send its last lines, then for the peer to
 * close its side. Shorter when the server stops, so that it exits within 2 s.
 */
const DRAIN_MS = 1000;
const GOODBYE_MS = 1000;
const SHUTDOWN_DRAIN_MS = 500;
const SHUTDOWN_GOODBYE_MS = 400;
/** Longest a reader waits for the fan-out of its last lines (see `#fanoutWritten`). */
const FANOUT_WAIT_MS = 10;

/**
 * A newcomer is announced (`* guest2 joined`) once it sent a line or stayed this long:
 * 500 ms, the quiet-flush moment. A probe (`sockchat wait`, `nc -z`, a health check)
 * connects and closes within milliseconds, and nobody hears of it; a person joining
 * stays far longer than that.
 */
export const ANNOUNCE_AFTER_MS = 500;

/** Most turned-away connections still being told why at once; more are just closed. */
const MAX_TURNING_AWAY = 64;

const encoder = new TextEncoder();

interface Client {
  id: ClientId;
  endpoint: Endpoint;
  outbox: Outbox;
  /** When it joined or last sent a non-blank line (`Date.now()`). */
  lastActive: number;
  /** True once it sent a non-blank line. */
  spoke: boolean;
  /** `NoticeBatch.mark()` when it joined. */
  joinedAt: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs until the others are told it joined (see `ANNOUNCE_AFTER_MS`). */
  announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settles when the reader has stopped. */
  reading: Promise<void>;
  closing: boolean;
}

/** A running chat room over real connections. */
export class ChatServer {
  readonly room: Room;
  readonly #options: ChatServerOptions;
  readonly #hooks: ChatServerHooks;
  /** Clients in the room: the targets of lines to "all". */
  readonly #members = new Map<ClientId, Client>();
  /** Every open client connection (members and those still closing). */
  readonly #connections = new Map<ClientId, Client>();
  /** Connections turned away (server full) that are still saying why. */
  readonly #turnedAway = new Set<Endpoint>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #notices = new NoticeBatch();
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Outboxes that were idle when the current read's lines reached them (`#fanoutWritten`). */
  #fanout: Outbox[] = [];
  readonly #broadcast = new BroadcastBatch();
  #broadcastQueued = false;
  #stopping = false;

  constructor(options: ChatServerOptions, hooks: ChatServerHooks, now?: () => Date) {
    this.#options = options;
    this.#hooks = hooks;
    this.room = new Room({
      operatorName: options.operatorName,
      historySize: options.historySize,
      maxLineBytes: options.maxLineBytes,
      ...(now ? { now } : {}),
      ...(options.roster ? { roster: options.roster } : {}),
    });
  }

  /** Clients in the room. */
  get size(): number {
    return this.#members.size;
  }

  /**
   * Takes an accepted connection (the server owns it from now on): refuses it, turns it
   * away, or lets it join.
   */
  accept(endpoint: Endpoint, peer: PeerInfo): void {
    if (this.#stopping) {
      endpoint.close();
      return;
    }
    if (!isAllowed(this.#options.access, peer.host)) {
      this.#hooks.debug(`refused ${peer.name} (--allow/--deny)`);
      endpoint.close(); // a refused peer gets no data at all
      return;
    }
    if (this.#members.size >= this.#options.maxClients) {
      this.#hooks.debug(`turned away ${peer.name}: server full (--max-clients)`);
      this.#turnAway(
        endpoint,
        `server full (${this.#options.maxClients} clients): try again later`,
      );
      return;
    }
    this.#join(endpoint, peer);
  }

  /**
   * Applies a room output that did not come from a client here (the Redis link's news
   * from other servers, answers to nickname claims).
   */
  deliver(out: RoomOutput): void {
    if (this.#stopping) return;
    this.#apply(out);
  }

  /** A line typed by the operator. */
  operatorLine(text: string): void {
    if (this.#stopping) return;
    this.#apply(this.room.operatorLine(text));
  }

  /**
   * Says `* server shutting down` to everyone, gives the lines a moment to go out,
   * then closes every connection. Resolves once all per-connection tasks ended.
   */
  async shutdown(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#sendNotices();
    const notice = encoder.encode(formatNotice("server shutting down") + "\n");
    for (const id of [...this.#members.keys()]) {
      const out = this.room.leave(id, "shutdown");
      this.#members.delete(id);
      for (const event of out.events) this.#hooks.onEvent(event, out.at);
    }
    for (const client of this.#connections.values()) {
      client.outbox.push(notice, true);
      this.#disconnect(client, "now");
    }
    for (const endpoint of this.#turnedAway) endpoint.close();
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  #join(endpoint: Endpoint, peer: PeerInfo): void {
    this.#sendBroadcast(); // lines said before it joined are not for the newcomer
    const { id, output } = this.room.join(peer.name, peer.transport, false);
    const client: Client = {
      id,
      endpoint,
      outbox: new Outbox(
        endpoint,
        this.#options.outboxLimitBytes ?? outboxLimit(this.#options.maxLineBytes),
        () => this.#lost(client, "reset"),
      ),
      lastActive: Date.now(),
      spoke: false,
      joinedAt: this.#notices.mark(),
      idleTimer: undefined,
      announceTimer: setTimeout(() => {
        client.announceTimer = undefined;
        if (this.#members.has(id)) this.#apply(this.room.announce(id));
      }, this.#options.announceAfterMs ?? ANNOUNCE_AFTER_MS),
      reading: Promise.resolve(),
      closing: false,
    };
    this.#members.set(id, client);
    this.#connections.set(id, client);
    this.#apply(output, true);
    client.reading = this.#track(this.#read(client));
    this.#armQuiet(client);
  }

  async #read(client: Client): Promise<void> {
    let reason: LeaveReason = "eof";
    try {
      await readLines(client.endpoint, {
        maxLineBytes: this.#options.maxLineBytes,
        telnet: true,
        ...(this.#options.quietMs !== undefined ? { quietMs: this.#options.quietMs } : {}),
        afterLines: () => this.#fanoutWritten(),
        onLine: (line) => {
          if (line.text.trim() !== "") {
            client.lastActive = Date.now();
            client.spoke = true;
          }
          if (this.#members.has(client.id)) {
            this.#apply(this.room.line(client.id, line.text, line.cut));
          }
        },
      });
    } catch (error) {
      reason = error instanceof Deno.errors.ConnectionReset ? "reset" : "error";
    }
    this.#lost(client, reason);
  }

  /** The client went away by itself (end of stream, reset, failed write). */
  #lost(client: Client, reason: LeaveReason): void {
    if (this.#members.has(client.id) && !this.room.isAnnounced(client.id)) {
      this.#hooks.debug(`${client.endpoint.name} left before it was announced (${reason})`);
    }
    if (this.#members.has(client.id)) this.#apply(this.room.leave(client.id, reason));
    else this.#disconnect(client, "drain");
  }

  /** Applies what the room decided: deliveries, events, departures. */
  #apply(out: RoomOutput, forceTargeted = false): void {
    for (const id of out.disconnect) this.#members.delete(id);
    const slow: Client[] = [];
    for (const delivery of out.deliveries) this.#deliver(delivery, slow, forceTargeted);
    for (const event of out.events) this.#hooks.onEvent(event, out.at);
    for (const id of out.disconnect) {
      const client = this.#connections.get(id);
      if (client) this.#disconnect(client, "drain");
    }
    for (const client of slow) this.#dropSlow(client);
  }

  #deliver(delivery: Delivery, slow: Client[], force: boolean): void {
    if (delivery.to === "operator") {
      this.#hooks.onOperatorLine(delivery.line);
      return;
    }
    const bytes = encoder.encode(delivery.line + "\n"); // encoded once for everyone
    if (delivery.to === "all") {
      if (parseWireLine(delivery.line).kind === "notice") {
        // A notice (join, leave, rename): batched, see NoticeBatch.
        this.#notices.add(bytes, delivery.except, delivery.join === true);
        this.#noticeTimer ??= setTimeout(() => this.#sendNotices(), NOTICE_BATCH_MS);
        return;
      }
      if (this.#notices.pending) this.#sendNotices(slow);
      this.#broadcast.add(bytes, delivery.except);
      if (!this.#broadcastQueued) {
        this.#broadcastQueued = true;
        queueMicrotask(() => this.#sendBroadcast());
      }
      return;
    }
    const client = this.#connections.get(delivery.to);
    if (client === undefined) return;
    if (this.#broadcast.pending) this.#sendBroadcast(slow);
    if (this.#notices.waitingFor(client.joinedAt)) this.#sendNotices(slow);
    if (!client.outbox.push(bytes, force) && this.#members.has(client.id)) slow.push(client);
  }

  /**
   * Queues the batched lines to everyone now (dropping clients that cannot take them);
   * remembers the outboxes that were idle, for `#fanoutWritten`.
   */
  #sendBroadcast(slowOut?: Client[], track = false): void {
    this.#broadcastQueued = false;
    if (!this.#broadcast.pending) return;
    const bytesFor = this.#broadcast.take();
    const slow = slowOut ?? [];
    for (const client of this.#members.values()) {
      const bytes = bytesFor(client.id);
      if (bytes === null) continue;
      const idle = client.outbox.queuedBytes === 0;
      if (!client.outbox.push(bytes)) slow.push(client);
      else if (idle && track) this.#fanout.push(client.outbox);
    }
    if (slowOut === undefined) { for (const client of slow) this.#dropSlow(client); }
  }

  /** Sends the batched notices now (dropping clients that cannot take them). */
  #sendNotices(slowOut?: Client[]): void {
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = undefined;
    if (!this.#notices.pending) return;
    this.#sendBroadcast(slowOut);
    const bytesFor = this.#notices.take();
    const slow = slowOut ?? [];
    for (const client of this.#members.values()) {
      const bytes = bytesFor(client.id, client.joinedAt);
      if (bytes !== null && !client.outbox.push(bytes)) slow.push(client);
    }
    if (slowOut === undefined) { for (const client of slow) this.#dropSlow(client); }
  }

  /**
   * Resolves once the lines just handed out are written to every client that was keeping
   * up (at most FANOUT_WAIT_MS): the sender's next read then takes what arrived meanwhile,
   * and the next fan-out goes out in fewer, larger writes, as ncat's read-then-send-to-all
   * does, but without waiting on a client that stopped reading.
   */
  #fanoutWritten(): Promise<void> | undefined {
    this.#sendBroadcast(undefined, true);
    if (this.#fanout.length === 0) return undefined;
    const outboxes = this.#fanout;
    this.#fanout = [];
    return new Promise((resolve) => {
      let waiting = outboxes.length;
      const timer = setTimeout(resolve, FANOUT_WAIT_MS);
      const wake = () => {
        if (--waiting > 0) return;
        clearTimeout(timer);
        resolve();
      };
      for (const outbox of outboxes) outbox.onDrained(wake);
    });
  }

  #dropSlow(client: Client): void {
    if (!this.#members.has(client.id)) return;
    // What it did not read is gone; close at once, there is nothing left to say.
    this.#disconnect(client, "now");
    this.#apply(this.room.leave(client.id, "slow"));
  }

  /** How long `client` may stay quiet: the join deadline until it spoke, then idle. */
  #quietLimit(client: Client): { ms: number; option: string } | undefined {
    const { idleTimeoutMs: idle, joinTimeoutMs: join } = this.#options;
    if (!client.spoke && join !== undefined && (idle === undefined || join < idle)) {
      return { ms: join, option: "--join-timeout" };
    }
    return idle === undefined ? undefined : { ms: idle, option: "--idle-timeout" };
  }

  /** One timer per client for its quiet limit, re-armed from its last activity. */
  #armQuiet(client: Client): void {
    const limit = this.#quietLimit(client);
    if (limit === undefined) return;
    const delay = Math.max(0, client.lastActive + limit.ms - Date.now());
    client.idleTimer = setTimeout(() => {
      client.idleTimer = undefined;
      if (!this.#members.has(client.id)) return;
      const now = this.#quietLimit(client);
      if (now === undefined) return;
      if (Date.now() - client.lastActive < now.ms) {
        this.#armQuiet(client);
        return;
      }
      const quiet = formatLimit(now.ms);
      const out = this.room.leave(client.id, "idle", quiet);
      const why = now.option === "--join-timeout"
        ? `nothing said within ${quiet} of joining`
        : `nothing sent for ${quiet}`;
      out.deliveries.unshift({
        to: client.id,
        line: formatNotice(`disconnected: ${why} (${now.option})`),
      });
      this.#apply(out);
    }, delay);
  }

  /**
   * Closes a client's connection. With `"drain"` (and always while the server stops) its
   * queued lines get a moment to go out and the peer a moment to close its side (closing
   * a socket with unread input would reset the connection and could destroy those last
   * lines); with `"now"` it closes at once.
   */
  #disconnect(client: Client, how: "drain" | "now"): void {
    if (client.closing) return;
    client.closing = true;
    this.#members.delete(client.id);
    clearTimeout(client.idleTimer);
    clearTimeout(client.announceTimer);
    this.#track((async () => {
      if (how === "drain" || this.#stopping) {
        await settleWithin(client.outbox.drained(), this.#stopping ? SHUTDOWN_DRAIN_MS : DRAIN_MS);
        await client.endpoint.closeWrite().catch(() => {});
        await settleWithin(client.reading, this.#stopping ? SHUTDOWN_GOODBYE_MS : GOODBYE_MS);
      }
      client.outbox.close();
      client.endpoint.close();
      await client.reading;
      this.#connections.delete(client.id);
    })());
  }

  #turnAway(endpoint: Endpoint, reason: string): void {
    if (this.#turnedAway.size >= MAX_TURNING_AWAY) {
      endpoint.close(); // a flood of newcomers: no time to explain to each
      return;
    }
    this.#turnedAway.add(endpoint);
    this.#track((async () => {
      try {
        await endpoint.write(encoder.encode(formatNotice(reason) + "\n"));
        await endpoint.closeWrite();
        // Read (and ignore) until the peer closes, so our close cannot reset the line away.
        const sink = new Uint8Array(1024);
        await settleWithin(
          (async () => {
            while ((await endpoint.read(sink)) !== null) { /* discard */ }
          })(),
          GOODBYE_MS,
        );
      } catch {
        // The peer is gone already.
      } finally {
        this.#turnedAway.delete(endpoint);
        endpoint.close();
      }
    })());
  }

  #track(task: Promise<void>): Promise<void> {
    const tracked = task.catch(() => {}).finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
    return tracked;
  }
}
