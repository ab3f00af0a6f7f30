/**
 * The link that makes one room out of many servers (`--redis URL --room NAME`). The
 * local `Room` stays the authority for the members connected here; the link
 *
 * - publishes what happens here (messages, `/me`, `/msg` to a remote member, joins,
 *   leaves, renames) as envelopes on a Redis stream per room, and shows the other
 *   servers' envelopes to the members here — stream ids keep one order, nothing is
 *   shown twice, a server skips its own entries, and after a short outage it resumes
 *   where it stopped;
 * - keeps presence in Redis (per-server keys with a TTL that a heartbeat refreshes), so
 *   `/who` lists everyone and a dead server's members leave within the TTL;
 * - claims nicknames cluster-wide (a Lua script: set if free or ours), so a name is
 *   used only once it is claimed; guest numbers come from a shared counter;
 * - keeps `--history` in a capped Redis list, read once when the link comes up.
 *
 * Redis going away never takes the server down: members here keep chatting, they see
 * `* link to other servers lost`, and the link retries with a bounded backoff. On
 * reconnect it re-claims every nickname; a name someone else claimed meanwhile is lost
 * (its holder here becomes a fresh guest and is told so).
 * @module
 */

import { settleWithin } from "../async.ts";
import { TimeoutError } from "../errors.ts";
import type { ChatEvent } from "../output/events.ts";
import { describeNetError } from "../net/errors.ts";
import { RedisConn, RedisConnError } from "../net/redis_conn.ts";
import { RespError, type RespValue } from "../net/resp.ts";
import { describeRedis, type RedisAddress } from "../net/redis_url.ts";
import { nickKey } from "./nick.ts";
import { formatAction, formatMessage } from "./protocol.ts";
import { RemoteMembers } from "./remote_members.ts";
import type { ClientId, RemoteRoster, Room, RoomOutput } from "./room.ts";
import {
  decodeEnvelope,
  decodeMember,
  encodeEnvelope,
  type Envelope,
  type RemoteMemberInfo,
} from "./room_envelope.ts";
import { CLAIM, REFRESH, RELEASE, roomKeys } from "./room_keys.ts";

/** What the link needs of the chat server. */
export interface LinkedServer {
  readonly room: Room;
  /** Applies a room output: deliveries, events, departures. */
  deliver(out: RoomOutput): void;
}

/** Settings of a room link. */
export interface RoomLinkOptions {
  address: RedisAddress;
  /** The shared room's name (`--room`). */
  room: string;
  /** How long presence and nickname claims live without a heartbeat (`--redis-ttl`). */
  ttlMs: number;
  /** How many past lines to keep in Redis (`--history`); 0 keeps none. */
  historySize: number;
  /** Where the link says how it is: up (info), lost or failing (warn), retries (debug). */
  report: LinkReporter;
}

/** The reporter methods the link uses. */
export interface LinkReporter {
  info(line: string): void;
  warn(message: string): void;
  debug(line: string): void;
}

/** Longest pause between reconnect attempts. */
const MAX_BACKOFF_MS = 5000;
const FIRST_BACKOFF_MS = 100;
/**
 * Entries kept in the room's stream (trimmed roughly, `MAXLEN ~`): what a server that fell
 * behind (a blast while it was busy or stopped, a short outage) can still catch up on.
 * At ~150 bytes an entry that is ~7 MiB of Redis memory per room; a server further behind
 * than this tells its members how many lines it lost (see `#lost`).
 */
const STREAM_LENGTH = 50_000;
/** Guest numbers taken from the shared counter at a time. */
const GUEST_BLOCK = 100;
const READ_COUNT = 1000;

/** The link between this server's room and the others sharing it. */
export class RoomLink implements RemoteRoster {
  /** This server's id in the room (random, new on every start). */
  readonly id = crypto.randomUUID().slice(0, 13);
  readonly #options: RoomLinkOptions;
  readonly #remote = new RemoteMembers();
  readonly #keys: ReturnType<typeof roomKeys>;
  #server: LinkedServer | undefined;
  #cmd: RedisConn | undefined;
  /** Connected and synced enough that what happens here is published. */
  #up = false;
  /** Members here were told the link is up (or it came up at start). */
  #announced = false;
  #everUp = false;
  #lastId: string | undefined;
  /** The number stamped on our next stream entry (`q`): the others see gaps by it. */
  #nextSeq = 1;
  /** The last entry number seen from each other server. */
  readonly #lastSeq = new Map<string, number>();
  #guests: number[] = [];
  #refilling = false;
  #applyingRemote = false;
  #closing = false;
  #wake: () => void = () => {};
  readonly #closed: Promise<void>;
  #running: Promise<void> = Promise.resolve();
  #firstAttempt!: () => void;
  readonly #firstAttemptDone: Promise<void>;

  constructor(options: RoomLinkOptions) {
    this.#options = options;
    this.#keys = roomKeys(options.room, this.id);
    this.#closed = new Promise((resolve) => (this.#wake = resolve));
    this.#firstAttemptDone = new Promise((resolve) => (this.#firstAttempt = resolve));
  }

  /** True while the link to Redis is up. */
  get up(): boolean {
    return this.#up;
  }

  /** Starts linking `server`; resolves after the first attempt (up or not). */
  start(server: LinkedServer): Promise<void> {
    this.#server = server;
    this.#running = this.#loop();
    return this.#firstAttemptDone;
  }

  /** Says goodbye (members here leave the others' rooms), releases our keys, closes. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const cmd = this.#cmd;
    if (cmd !== undefined && this.#up) {
      const nickKeys = this.#room().members().map((m) => this.#keys.nick(m.nick));
      const done = Promise.all([
        this.#publish({ t: "bye", s: this.id }),
        cmd.command(["DEL", this.#keys.server, this.#keys.members]),
        cmd.command(["SREM", this.#keys.servers, this.id]),
        nickKeys.length > 0
          ? cmd.command(["EVAL", RELEASE, nickKeys.length, ...nickKeys, this.id])
          : null,
      ]).catch(() => {});
      await settleWithin(done, 500);
    }
    this.#wake();
    await this.#running;
  }

  // ---- RemoteRoster, for the room

  find(nick: string): string | undefined {
    return this.#remote.find(nick);
  }

  nicks(): string[] {
    return this.#remote.nicks();
  }

  claim(id: ClientId, nick: string): "now" | "later" {
    const cmd = this.#cmd;
    if (!this.#up || cmd === undefined) return "now"; // re-claimed when the link is back
    const old = this.#room().nickOf(id);
    this.#claimKey(nick, old).then(
      (ok) => this.#claimAnswered(id, nick, ok),
      () => this.#claimAnswered(id, nick, true), // link lost: decided here, re-claimed later
    );
    return "later";
  }

  guestNumber(): number | undefined {
    const number = this.#guests.shift();
    if (this.#guests.length < GUEST_BLOCK / 2) this.#refillGuests();
    return number;
  }

  // ---- what happens here

  /** A room event from this server (the transcript hook): published to the others. */
  localEvent(event: ChatEvent): void {
    if (this.#applyingRemote || this.#closing) return;
    const room = this.#room();
    switch (event.type) {
      case "message":
        if (event.to !== undefined) {
          if (room.idOf(event.to) !== undefined || event.to === room.operatorName) return;
          this.#publish({
            t: "pm",
            s: this.id,
            nick: event.nick,
            peer: event.peer,
            to: event.to,
            text: event.text,
          });
          return;
        }
        this.#publish({
          t: "msg",
          s: this.id,
          nick: event.nick,
          peer: event.peer,
          text: event.text,
          ...(event.action ? { action: true } : {}),
        });
        this.#remember(
          event.action
            ? formatAction(event.nick, event.text)
            : formatMessage(event.nick, event.text),
        );
        return;
      case "joined": {
        const id = room.idOf(event.nick);
        if (id === undefined) return;
        this.#publish({ t: "join", s: this.id, nick: event.nick, peer: event.peer, id });
        this.#presence([event.nick, event.peer, id]);
        this.#ensureClaim(event.nick);
        return;
      }
      case "renamed": {
        const id = room.idOf(event.nick);
        if (id === undefined) return;
        this.#publish({
          t: "nick",
          s: this.id,
          nick: event.nick,
          old: event.oldNick,
          peer: event.peer,
          id,
        });
        this.#presence([event.nick, event.peer, id], event.oldNick);
        this.#ensureClaim(event.nick, event.oldNick);
        return;
      }
      case "left": {
        if (event.reason === "shutdown") return; // the goodbye says it for everyone
        this.#publish({
          t: "left",
          s: this.id,
          nick: event.nick,
          peer: event.peer,
          reason: event.reason,
          ...(event.text !== undefined ? { text: event.text } : {}),
        });
        this.#presence(undefined, event.nick);
        const cmd = this.#cmd;
        if (this.#up && cmd !== undefined) {
          cmd.command(["EVAL", RELEASE, 1, this.#keys.nick(event.nick), this.id]).catch(() => {});
        }
        return;
      }
    }
  }

  // ---- the connection loop

  async #loop(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    let failures = 0;
    while (!this.#closing) {
      let reader: RedisConn | undefined;
      try {
        const replyTimeoutMs = Math.floor(Math.max(500, Math.min(5000, this.#options.ttlMs / 2)));
        this.#cmd = await RedisConn.open(this.#options.address, { replyTimeoutMs });
        reader = await RedisConn.open(this.#options.address, { replyTimeoutMs });
        await this.#sync(this.#cmd);
        backoff = FIRST_BACKOFF_MS;
        failures = 0;
        this.#firstAttempt();
        await Promise.race([
          this.#read(reader),
          this.#heartbeat(this.#cmd),
          this.#cmd.closed.then((error) => Promise.reject(error)),
          this.#closed,
        ]);
      } catch (error) {
        if (!this.#closing) this.#failed(error, failures++);
      }
      this.#cmd?.close();
      reader?.close();
      this.#cmd = undefined;
      this.#linkDown();
      this.#firstAttempt();
      if (this.#closing) break;
      await settleWithin(this.#closed, backoff * (0.75 + Math.random() / 2));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  /** Brings presence, claims and the stream position up to date after (re)connecting. */
  async #sync(cmd: RedisConn): Promise<void> {
    const k = this.#keys;
    const ttl = this.#options.ttlMs;
    const room = this.#room();
    await cmd.command(["SET", k.server, "1", "PX", ttl]);
    await cmd.command(["SADD", k.servers, this.id]);
    // From here on, what happens here is published (joins during the sync included).
    this.#up = true;
    // Our nicknames: take them back; one claimed elsewhere meanwhile is lost.
    const members = room.members();
    if (members.length > 0) {
      const keys = members.map((m) => k.nick(m.nick));
      const lost = await cmd.command(["EVAL", REFRESH, keys.length, ...keys, this.id, ttl]);
      for (const index of asArray(lost)) {
        const member = members[Number(index) - 1];
        if (member !== undefined) this.#loseNick(member.id, member.nick);
      }
    }
    const fields = room.members().flatMap((
      m,
    ) => [nickKey(m.nick), JSON.stringify(memberInfo(m))]);
    await cmd.command(["DEL", k.members]);
    if (fields.length > 0) {
      await cmd.command(["HSET", k.members, ...fields]);
      await cmd.command(["PEXPIRE", k.members, ttl]);
    }
    this.#guests = [];
    await this.#takeGuests(cmd);
    await this.#syncStream(cmd);
    if (!this.#everUp && this.#options.historySize > 0) {
      const lines = asArray(
        await cmd.command(["LRANGE", k.history, 0, this.#options.historySize - 1]),
      );
      room.seedHistory(lines.filter((l): l is string => typeof l === "string").reverse());
    }
    this.#publish({ t: "hello", s: this.id, members: room.members().map(memberInfo) });
    const wasDown = this.#everUp;
    this.#everUp = true;
    this.#announced = true;
    this.#options.report.info(
      `redis: link up: room "${this.#options.room}" on ${
        describeRedis(this.#options.address)
      } (server ${this.id})`,
    );
    if (wasDown) this.#notice("link to other servers restored");
  }

  /** Resumes the stream where we stopped, or re-reads presence when that is not possible. */
  async #syncStream(cmd: RedisConn): Promise<void> {
    const k = this.#keys;
    if (this.#lastId !== undefined) {
      const kept = asArray(await cmd.command(["XRANGE", k.stream, this.#lastId, this.#lastId]));
      if (kept.length > 0) return; // the reader replays what we missed
    }
    const last = asArray(await cmd.command(["XREVRANGE", k.stream, "+", "-", "COUNT", 1]));
    const lastEntry = asArray(last[0] ?? null);
    this.#lastId = typeof lastEntry[0] === "string" ? lastEntry[0] : "0-0";
    const servers = asArray(await cmd.command(["SMEMBERS", k.servers]))
      .filter((s): s is string => typeof s === "string" && s !== this.id);
    const alive = new Set<string>();
    for (const s of servers) {
      if ((await cmd.command(["EXISTS", k.serverOf(s)])) !== 1) continue;
      alive.add(s);
      const hash = asArray(await cmd.command(["HGETALL", k.membersOf(s)]));
      const members: RemoteMemberInfo[] = [];
      for (let i = 1; i < hash.length; i += 2) {
        const member = decodeMember(safeJson(hash[i]));
        if (member !== undefined) members.push(member);
      }
      this.#applyRemote(this.#remote.replace(s, members));
    }
    for (const s of this.#remote.servers()) {
      if (!alive.has(s)) this.#forget(s);
    }
  }

  async #read(reader: RedisConn): Promise<never> {
    const blockMs = Math.floor(Math.max(100, Math.min(2000, this.#options.ttlMs / 3)));
    while (true) {
      const reply = await reader.command(
        [
          "XREAD",
          "COUNT",
          READ_COUNT,
          "BLOCK",
          blockMs,
          "STREAMS",
          this.#keys.stream,
          this.#lastId ?? "$",
        ],
        blockMs,
      );
      const streams = asArray(reply);
      const entries = asArray(asArray(streams[0] ?? null)[1] ?? null);
      const outputs: RoomOutput[] = [];
      let lost = 0;
      for (const entry of entries) {
        const [id, fields] = asArray(entry);
        if (typeof id !== "string") continue;
        this.#lastId = id;
        const values = asArray(fields ?? null);
        const text = values[1];
        if (typeof text !== "string") continue;
        const envelope = decodeEnvelope(text);
        if (envelope === undefined || envelope.s === this.id) continue;
        lost += this.#lost(envelope, Number(values[3]));
        for (const event of this.#remote.apply(envelope)) outputs.push(this.#room().remote(event));
      }
      if (lost > 0) {
        const line = `${lost.toLocaleString("en-US")} ${
          lost === 1 ? "line" : "lines"
        } from other servers lost: this server fell behind the room`;
        this.#options.report.warn(`redis: ${line}`);
        this.#notice(line);
      }
      if (outputs.length > 0) this.#deliverRemote(merge(outputs));
    }
  }

  async #heartbeat(cmd: RedisConn): Promise<never> {
    const k = this.#keys;
    const ttl = this.#options.ttlMs;
    const every = Math.max(50, Math.floor(ttl / 3));
    while (true) {
      await settleWithin(this.#closed, every);
      if (this.#closing) return new Promise(() => {});
      const members = this.#room().members();
      const keys = members.map((m) => k.nick(m.nick));
      const replies = await Promise.all([
        cmd.command(["SET", k.server, "1", "PX", ttl]),
        cmd.command(["SADD", k.servers, this.id]),
        cmd.command(["PEXPIRE", k.members, ttl]),
        keys.length > 0 ? cmd.command(["EVAL", REFRESH, keys.length, ...keys, this.id, ttl]) : [],
        cmd.command(["SMEMBERS", k.servers]),
      ]);
      for (const index of asArray(replies[3] ?? null)) {
        const member = members[Number(index) - 1];
        if (member !== undefined && this.#room().nickOf(member.id) === member.nick) {
          this.#loseNick(member.id, member.nick);
        }
      }
      const others = asArray(replies[4] ?? null)
        .filter((s): s is string => typeof s === "string" && s !== this.id);
      const known = new Set([...others, ...this.#remote.servers()]);
      const checks = await Promise.all(
        [...known].map(async (s) => [s, await cmd.command(["EXISTS", k.serverOf(s)])] as const),
      );
      for (const [s, exists] of checks) {
        if (exists === 1) continue;
        // Its nicknames are free now, even if their keys would outlive it a moment.
        const theirs = this.#remote.membersOf(s).map((nick) => k.nick(nick));
        if (theirs.length > 0) {
          cmd.command(["EVAL", RELEASE, theirs.length, ...theirs, s]).catch(() => {});
        }
        cmd.command(["SREM", k.servers, s]).catch(() => {});
        this.#forget(s);
      }
    }
  }

  // ---- helpers

  /** Server `s` is gone: its members leave, and its entry numbers are forgotten. */
  #forget(s: string): void {
    this.#lastSeq.delete(s);
    this.#applyRemote(this.#remote.drop(s));
  }

  /**
   * How many of `envelope`'s server's entries were trimmed from the stream before we read
   * them: its entries are numbered one by one (`q`), so a jump is what we never saw.
   */
  #lost(envelope: Envelope, seq: number): number {
    if (!Number.isSafeInteger(seq) || seq < 1) return 0; // a server without numbers
    const last = this.#lastSeq.get(envelope.s);
    if (envelope.t === "bye") this.#lastSeq.delete(envelope.s);
    else this.#lastSeq.set(envelope.s, seq);
    return last !== undefined && seq > last + 1 ? seq - last - 1 : 0;
  }

  #publish(envelope: Envelope): Promise<unknown> {
    const cmd = this.#cmd;
    if (!this.#up || cmd === undefined) return Promise.resolve();
    return cmd.command([
      "XADD",
      this.#keys.stream,
      "MAXLEN",
      "~",
      STREAM_LENGTH,
      "*",
      "e",
      encodeEnvelope(envelope),
      "q",
      this.#nextSeq++,
    ]).catch(() => {});
  }

  #remember(line: string): void {
    const cmd = this.#cmd;
    const size = this.#options.historySize;
    if (!this.#up || cmd === undefined || size === 0) return;
    cmd.command(["LPUSH", this.#keys.history, line]).catch(() => {});
    cmd.command(["LTRIM", this.#keys.history, 0, size - 1]).catch(() => {});
  }

  /** Keeps our members hash in step: `member` in, `oldNick` out. */
  #presence(member: RemoteMemberInfo | undefined, oldNick?: string): void {
    const cmd = this.#cmd;
    if (!this.#up || cmd === undefined) return;
    const k = this.#keys;
    if (oldNick !== undefined) cmd.command(["HDEL", k.members, nickKey(oldNick)]).catch(() => {});
    if (member !== undefined) {
      cmd.command(["HSET", k.members, nickKey(member[0]), JSON.stringify(member)]).catch(() => {});
      cmd.command(["PEXPIRE", k.members, this.#options.ttlMs]).catch(() => {});
    }
  }

  #claimKey(nick: string, old: string | undefined): Promise<boolean> {
    const cmd = this.#cmd;
    if (cmd === undefined) return Promise.reject(new Error("link down"));
    const keys = [this.#keys.nick(nick), ...(old !== undefined ? [this.#keys.nick(old)] : [])];
    return cmd.command(["EVAL", CLAIM, keys.length, ...keys, this.id, this.#options.ttlMs])
      .then((reply) => reply === 1);
  }

  #claimAnswered(id: ClientId, nick: string, ok: boolean): void {
    const server = this.#server;
    if (server === undefined || this.#closing) return;
    server.deliver(server.room.claimed(id, nick, ok));
    if (ok && server.room.nickOf(id) !== nick) {
      // The client left (or changed its mind) meanwhile: give the name back.
      this.#cmd?.command(["EVAL", RELEASE, 1, this.#keys.nick(nick), this.id]).catch(() => {});
    }
  }

  /** Makes sure `nick` (just taken here) is ours in Redis; if not, its holder yields. */
  #ensureClaim(nick: string, old?: string): void {
    if (!this.#up) return;
    this.#claimKey(nick, old).then((ok) => {
      const id = this.#room().idOf(nick);
      if (!ok && id !== undefined && this.#room().nickOf(id) === nick) this.#loseNick(id, nick);
    }, () => {});
  }

  #loseNick(id: ClientId, nick: string): void {
    const renamed = this.#room().renameToGuest(
      id,
      `the nickname ${nick} is held on another server`,
    );
    if (renamed !== undefined) this.#server?.deliver(renamed.output);
  }

  #refillGuests(): void {
    const cmd = this.#cmd;
    if (this.#refilling || !this.#up || cmd === undefined) return;
    this.#refilling = true;
    this.#takeGuests(cmd).catch(() => {}).finally(() => (this.#refilling = false));
  }

  async #takeGuests(cmd: RedisConn): Promise<void> {
    const top = await cmd.command(["INCRBY", this.#keys.guests, GUEST_BLOCK]);
    if (typeof top !== "number") return;
    for (let n = top - GUEST_BLOCK + 1; n <= top; n++) this.#guests.push(n);
  }

  #linkDown(): void {
    this.#up = false;
    if (!this.#announced) return;
    this.#announced = false;
    if (this.#closing) return;
    this.#notice("link to other servers lost");
  }

  /** Says why an attempt failed: a warning the first time, then only with --verbose. */
  #failed(error: unknown, failures: number): void {
    const where = describeRedis(this.#options.address);
    const why = error instanceof RespError || error instanceof RedisConnError
      ? error.message
      : error instanceof TimeoutError
      ? "no connection within the reply deadline"
      : describeNetError(error instanceof Error && error.cause !== undefined ? error.cause : error);
    const line = this.#announced
      ? `Redis link lost (${where}): ${why}; members here keep chatting, retrying`
      : `Cannot link room "${this.#options.room}" through ${where}: ${why}; ` +
        "serving this server's members only, retrying";
    if (this.#announced || failures === 0) this.#options.report.warn(line);
    else this.#options.report.debug(`redis: attempt ${failures + 1}: ${why}`);
  }

  #notice(text: string): void {
    if (this.#closing) return;
    this.#server?.deliver(this.#room().notice(text));
  }

  #applyRemote(events: ReturnType<RemoteMembers["apply"]>): void {
    if (events.length === 0) return;
    this.#deliverRemote(merge(events.map((event) => this.#room().remote(event))));
  }

  #deliverRemote(out: RoomOutput): void {
    this.#applyingRemote = true;
    try {
      this.#server?.deliver(out);
    } finally {
      this.#applyingRemote = false;
    }
  }

  #room(): Room {
    const server = this.#server;
    if (server === undefined) throw new TypeError("RoomLink used before start()");
    return server.room;
  }
}

function merge(outputs: RoomOutput[]): RoomOutput {
  const out: RoomOutput = { deliveries: [], events: [], disconnect: [], at: outputs[0]!.at };
  for (const o of outputs) {
    out.deliveries.push(...o.deliveries);
    out.events.push(...o.events);
    out.disconnect.push(...o.disconnect);
  }
  return out;
}

function asArray(value: RespValue | undefined): RespValue[] {
  return Array.isArray(value) ? value : [];
}

function memberInfo(m: { id: ClientId; nick: string; peer: string }): RemoteMemberInfo {
  return [m.nick, m.peer, m.id];
}

function safeJson(value: RespValue | undefined): unknown {
  if (typeof value !== "string") return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
