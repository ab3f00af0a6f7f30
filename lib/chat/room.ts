/**
 * The chat room: a pure state machine. Joins, lines, leaves and the operator's lines go
 * in; out come deliveries (who gets which wire line), events (what happened, for the
 * server's output) and clients to disconnect. No sockets, no timers, the clock injected.
 *
 * Nicknames, commands, history, attribution and sanitising live here: every line a
 * client or the operator sends is sanitised (see `sanitise.ts`) before anyone sees it.
 * @module
 */

import type { ChatEvent, LeaveReason, MemberTransport } from "../output/events.ts";
import { History } from "./history.ts";
import { GUEST_PREFIX, isGuestName, nickKey, nickProblem, quoteName } from "./nick.ts";
import {
  formatAction,
  formatMessage,
  formatNotice,
  formatPrivate,
  formatPrivateEcho,
  formatWelcome,
  HELP_LINES,
  HISTORY_END,
  HISTORY_START,
  parseInput,
} from "./protocol.ts";
import { sanitiseText } from "../output/sanitise.ts";

/** A connected client, as the room numbers them. */
export type ClientId = number;

/** Who gets a line: one client, the operator, or everyone (optionally but one). */
export type Delivery =
  | { to: ClientId | "operator"; line: string }
  | { to: "all"; except?: ClientId; line: string; join?: true };

/** What one input did. */
export interface RoomOutput {
  /** Lines to send, in order. `"all"` means every client (the operator sees events). */
  deliveries: Delivery[];
  /** What happened, for the server's transcript or `--json` events. */
  events: ChatEvent[];
  /**
   * Clients that left the room with this input (quit, kicked, or `leave`): lines to
   * `"all"` are not for them any more; close them once the lines addressed to them
   * are written.
   */
  disconnect: ClientId[];
  /** When this happened (from the injected clock), for transcript timestamps. */
  at: Date;
}

/** Settings of a room. */
export interface RoomOptions {
  /** The operator's nickname (`--name`); must be a valid nickname. */
  operatorName: string;
  /** How many past messages a newcomer sees (`--history`). */
  historySize: number;
  /** The line cap (`--max-line`), named in the notice about a cut line. */
  maxLineBytes: number;
  /** The clock, for the outputs' `at`; injected for tests. */
  now?: () => Date;
  /** Members of the same room on other servers (`--redis`); none by default. */
  roster?: RemoteRoster;
}

/**
 * The room's view of members on other servers sharing it (see `RoomLink`): their names
 * for `/who`, `/msg` and nickname checks, and the cluster-wide nickname claim.
 */
export interface RemoteRoster {
  /** The remote member called `nick` (any case): its exact nickname, or undefined. */
  find(nick: string): string | undefined;
  /** Every remote member's nickname. */
  nicks(): string[];
  /**
   * Client `id` asks for `nick` (valid and free here): `"now"` to take it at once,
   * `"later"` when the answer comes through `Room.claimed()`; the client's next lines
   * wait for it.
   */
  claim(id: ClientId, nick: string): "now" | "later";
  /** A guest number no server has handed out, when the roster has one. */
  guestNumber(): number | undefined;
}

/** Something that happened on another server sharing the room. */
export type RemoteEvent =
  | { type: "message"; nick: string; peer: string; text: string; action?: boolean }
  | { type: "private"; nick: string; peer: string; to: string; text: string }
  | { type: "joined"; nick: string; peer: string }
  | { type: "left"; nick: string; peer: string; reason: LeaveReason; text?: string }
  | { type: "renamed"; nick: string; oldNick: string; peer: string };

/** Most lines a client may send while its nickname change is being checked. */
const MAX_WAITING_LINES = 100;

/** The peer name used for the operator in events. */
export const OPERATOR_PEER = "operator";

interface Member {
  id: ClientId;
  nick: string;
  peer: string;
  transport: MemberTransport;
  /** False until the others were told it joined (see `join`'s `announce`). */
  announced: boolean;
  /** A nickname asked for and waiting for the roster's answer, with the lines sent since. */
  pending?: { nick: string; lines: { raw: string; cut: boolean }[] };
}

/** One chat room. */
export class Room {
  readonly operatorName: string;
  readonly #options: RoomOptions;
  readonly #members = new Map<ClientId, Member>();
  /** nickKey → member id, or "operator". */
  readonly #nicks = new Map<string, ClientId | "operator">();
  readonly #history: History;
  readonly #now: () => Date;
  #nextId = 1;
  #nextGuest = 1;

  constructor(options: RoomOptions) {
    const problem = nickProblem(options.operatorName);
    if (problem !== null || isGuestName(options.operatorName)) {
      throw new RangeError(`Invalid operator name ${quoteName(options.operatorName)}`);
    }
    this.#options = options;
    this.operatorName = options.operatorName;
    this.#nicks.set(nickKey(options.operatorName), "operator");
    this.#history = new History(options.historySize);
    this.#now = options.now ?? (() => new Date());
  }

  /** Number of connected clients. */
  get size(): number {
    return this.#members.size;
  }

  /** The nickname of a connected client. */
  nickOf(id: ClientId): string | undefined {
    return this.#members.get(id)?.nick;
  }

  /** The client with nickname `nick` (any case), if connected. */
  idOf(nick: string): ClientId | undefined {
    const id = this.#nicks.get(nickKey(nick));
    return typeof id === "number" ? id : undefined;
  }

  /**
   * A client connected from `peer` over `transport`: it gets a fresh `guestN` name, the
   * history and a greeting; the others get a notice. With `announce` false the notice
   * (and the `joined` event) wait for `announce()` or the client's first line, and a
   * client that leaves before either is never mentioned: a health check that connects
   * and closes without a word is not a visit. A `/nick NAME` as that first line is then
   * no rename to the others: they are told `NAME joined`, once.
   */
  join(
    peer: string,
    transport: MemberTransport = "tcp",
    announce = true,
  ): { id: ClientId; output: RoomOutput } {
    const id = this.#nextId++;
    const nick = this.#freshGuestName();
    const member: Member = { id, nick, peer: sanitiseText(peer), transport, announced: false };
    this.#members.set(id, member);
    this.#nicks.set(nickKey(nick), id);
    const out = this.#output();
    const past = this.#history.lines();
    if (past.length > 0) {
      out.deliveries.push({ to: id, line: HISTORY_START });
      for (const line of past) out.deliveries.push({ to: id, line });
      out.deliveries.push({ to: id, line: HISTORY_END });
    }
    out.deliveries.push({ to: id, line: formatWelcome(nick, this.#everyone()) });
    if (announce) this.#announce(member, out);
    return { id, output: out };
  }

  /** Tells the others that client `id` joined, unless they know already. */
  announce(id: ClientId): RoomOutput {
    const out = this.#output();
    const member = this.#members.get(id);
    if (member !== undefined) this.#announce(member, out);
    return out;
  }

  /** True once the others were told that client `id` joined. */
  isAnnounced(id: ClientId): boolean {
    return this.#members.get(id)?.announced === true;
  }

  #announce(member: Member, out: RoomOutput): void {
    if (member.announced) return;
    member.announced = true;
    out.deliveries.push({
      to: "all",
      except: member.id,
      line: formatNotice(`${member.nick} joined`),
      join: true,
    });
    out.events.push({
      type: "joined",
      nick: member.nick,
      peer: member.peer,
      transport: member.transport,
    });
  }

  /**
   * A line from client `id` (decoded, not yet sanitised). `cut` says the line was longer
   * than the cap and was cut: the sender is told.
   */
  line(id: ClientId, raw: string, cut = false): RoomOutput {
    const out = this.#output();
    const member = this.#members.get(id);
    if (member === undefined) return out;
    if (member.pending !== undefined) {
      if (member.pending.lines.length < MAX_WAITING_LINES) {
        member.pending.lines.push({ raw, cut });
      } else {
        this.#reply(id, "line not sent: your nickname change is still being checked", out);
      }
      return out;
    }
    if (cut) {
      out.deliveries.push({
        to: id,
        line: formatNotice(
          `your line was longer than ${this.#options.maxLineBytes} bytes: only the start was sent`,
        ),
      });
    }
    const input = parseInput(sanitiseText(raw));
    if (!member.announced) {
      // Its first line: a `/nick` comes before the announcement, so it joins as NAME.
      if (input.kind === "command" && input.name === "nick") {
        this.#rename(member, input.arg, out);
        if (member.pending === undefined) this.#announce(member, out);
        return out;
      }
      this.#announce(member, out);
    }
    switch (input.kind) {
      case "empty":
        break;
      case "message":
        this.#say(member, input.text, out);
        break;
      case "unknown":
        this.#reply(id, `unknown command ${quoteName(input.name)}: /help lists commands`, out);
        break;
      case "command":
        this.#command(member, input.name, input.arg, out);
        break;
    }
    return out;
  }

  /** A line typed by the operator (the server's stdin): to everyone, as `--name`. */
  operatorLine(raw: string): RoomOutput {
    const out = this.#output();
    const input = parseInput(sanitiseText(raw));
    const self = { id: "operator" as const, nick: this.operatorName, peer: OPERATOR_PEER };
    switch (input.kind) {
      case "empty":
        break;
      case "message":
        this.#publish(self, input.text, false, out);
        break;
      case "unknown":
        if (input.name.toLowerCase() === "/kick") {
          return { ...this.kick(input.arg), at: out.at };
        }
        this.#reply(
          "operator",
          `unknown command ${quoteName(input.name)}: /help lists commands`,
          out,
        );
        break;
      case "command":
        this.#operatorCommand(input.name, input.arg, out);
        break;
    }
    return out;
  }

  /** Client `id` is gone (or is being dropped) for `reason`. Unknown ids are ignored. */
  leave(id: ClientId, reason: LeaveReason, detail?: string): RoomOutput {
    const out = this.#output();
    const member = this.#members.get(id);
    if (member === undefined) return out;
    this.#members.delete(id);
    this.#nicks.delete(nickKey(member.nick));
    out.disconnect.push(id);
    if (!member.announced) return out; // never mentioned: it leaves unmentioned too
    if (reason !== "shutdown") {
      out.deliveries.push({
        to: "all",
        line: formatNotice(leaveNotice(member.nick, reason, detail)),
      });
    }
    out.events.push({
      type: "left",
      nick: member.nick,
      peer: member.peer,
      reason,
      ...(reason === "quit" && detail ? { text: detail } : {}),
    });
    return out;
  }

  /** The operator drops client `nick` (`/kick`). */
  kick(nick: string): RoomOutput {
    const id = this.idOf(nick);
    if (id === undefined) {
      const out = this.#output();
      this.#reply("operator", `no one here is called ${quoteName(sanitiseText(nick))}`, out);
      return out;
    }
    const out = this.#output();
    out.deliveries.push({ to: id, line: formatNotice(`you were removed by ${this.operatorName}`) });
    const left = this.leave(id, "kicked", this.operatorName);
    out.deliveries.push(...left.deliveries);
    out.events.push(...left.events);
    out.disconnect.push(...left.disconnect);
    return out;
  }

  /** `* N here: a, b (you), c; operator: server`. */
  whoLine(viewer: ClientId | "operator"): string {
    const names = [...this.#members.values()]
      .filter((m) => m.announced || m.id === viewer)
      .map((m) => m.id === viewer ? `${m.nick} (you)` : m.nick);
    names.push(...(this.#options.roster?.nicks() ?? []));
    const list = names.length > 0 ? names.join(", ") : "no one else";
    return formatNotice(`${names.length} here: ${list}; operator: ${this.operatorName}`);
  }

  /**
   * The roster's answer to client `id`'s claim of `nick`: renames it (or says the name is
   * taken on another server), then handles the lines it sent meanwhile.
   */
  claimed(id: ClientId, nick: string, ok: boolean): RoomOutput {
    const out = this.#output();
    const member = this.#members.get(id);
    if (member?.pending === undefined || member.pending.nick !== nick) return out;
    const { lines } = member.pending;
    delete member.pending;
    if (ok) this.#renameTo(member, nick, out);
    else {
      this.#reply(
        id,
        `cannot change your nickname to ${quoteName(nick)}: that nickname is taken`,
        out,
      );
    }
    this.#announce(member, out); // the `/nick` was its first line
    for (const line of lines) this.#merge(out, this.line(id, line.raw, line.cut));
    return out;
  }

  /**
   * Client `id` loses its nickname (another server holds it): it becomes a fresh guest
   * and is told `why`. Returns the new name with the output.
   */
  renameToGuest(id: ClientId, why: string): { nick: string; output: RoomOutput } | undefined {
    const member = this.#members.get(id);
    if (member === undefined) return undefined;
    const out = this.#output();
    const nick = this.#freshGuestName();
    this.#reply(id, `${why}: you are now ${nick}`, out);
    this.#renameTo(member, nick, out);
    return { nick, output: out };
  }

  /** What happened on another server: lines for the members here (and history). */
  remote(event: RemoteEvent): RoomOutput {
    const out = this.#output();
    switch (event.type) {
      case "message": {
        const line = event.action
          ? formatAction(event.nick, event.text)
          : formatMessage(event.nick, event.text);
        this.#history.add(line);
        out.deliveries.push({ to: "all", line });
        out.events.push({
          type: "message",
          nick: event.nick,
          peer: event.peer,
          text: event.text,
          ...(event.action ? { action: true } : {}),
        });
        break;
      }
      case "private": {
        const to = this.#nicks.get(nickKey(event.to));
        if (to === undefined) break;
        if (to !== "operator") {
          out.deliveries.push({ to, line: formatPrivate(event.nick, event.text) });
        }
        out.events.push({
          type: "message",
          nick: event.nick,
          peer: event.peer,
          text: event.text,
          to: to === "operator" ? this.operatorName : this.#members.get(to)!.nick,
        });
        break;
      }
      case "joined":
        out.deliveries.push({ to: "all", line: formatNotice(`${event.nick} joined`), join: true });
        out.events.push({
          type: "joined",
          nick: event.nick,
          peer: event.peer,
          transport: "remote",
        });
        break;
      case "left":
        out.deliveries.push({
          to: "all",
          line: formatNotice(leaveNotice(event.nick, event.reason, event.text)),
        });
        out.events.push({
          type: "left",
          nick: event.nick,
          peer: event.peer,
          reason: event.reason,
          ...(event.text !== undefined ? { text: event.text } : {}),
        });
        break;
      case "renamed":
        out.deliveries.push({
          to: "all",
          line: formatNotice(`${event.oldNick} is now known as ${event.nick}`),
        });
        out.events.push(event);
        break;
    }
    return out;
  }

  /** A notice to every client here (e.g. the link to other servers went down). */
  notice(text: string): RoomOutput {
    const out = this.#output();
    out.deliveries.push({ to: "all", line: formatNotice(text) });
    out.deliveries.push({ to: "operator", line: formatNotice(text) });
    return out;
  }

  /** Past lines kept elsewhere (oldest first), for a history that is still empty. */
  seedHistory(lines: readonly string[]): void {
    if (this.#history.lines().length > 0) return;
    for (const line of lines) this.#history.add(line);
  }

  /** Every client here with its nickname. */
  members(): { id: ClientId; nick: string; peer: string }[] {
    return [...this.#members.values()].map(({ id, nick, peer }) => ({ id, nick, peer }));
  }

  #command(member: Member, name: string, arg: string, out: RoomOutput): void {
    switch (name) {
      case "nick":
        this.#rename(member, arg, out);
        break;
      case "who":
        out.deliveries.push({ to: member.id, line: this.whoLine(member.id) });
        break;
      case "me":
        if (arg === "") this.#reply(member.id, "usage: /me ACTION", out);
        else this.#publish(member, arg, true, out);
        break;
      case "msg":
        this.#private(member, arg, out);
        break;
      case "quit": {
        out.deliveries.push({ to: member.id, line: formatNotice("bye") });
        const left = this.leave(member.id, "quit", arg);
        out.deliveries.push(...left.deliveries);
        out.events.push(...left.events);
        out.disconnect.push(...left.disconnect);
        break;
      }
      case "help":
        for (const line of HELP_LINES) this.#reply(member.id, line, out);
        break;
    }
  }

  #operatorCommand(name: string, arg: string, out: RoomOutput): void {
    const self = { id: "operator" as const, nick: this.operatorName, peer: OPERATOR_PEER };
    switch (name) {
      case "who":
        out.deliveries.push({ to: "operator", line: this.whoLine("operator") });
        break;
      case "me":
        if (arg === "") this.#reply("operator", "usage: /me ACTION", out);
        else this.#publish(self, arg, true, out);
        break;
      case "msg":
        this.#private(self, arg, out);
        break;
      case "help":
        for (const line of HELP_LINES.filter((l) => !/\/(nick|quit)/.test(l))) {
          this.#reply("operator", line, out);
        }
        this.#reply("operator", "  /kick NICK      disconnect NICK (operator only)", out);
        break;
      default:
        this.#reply(
          "operator",
          name === "nick"
            ? "the operator's name is set with --name"
            : "stop the server with Ctrl-C (SIGINT) or SIGTERM",
          out,
        );
    }
  }

  #say(member: Member, text: string, out: RoomOutput): void {
    this.#publish(member, text, false, out);
  }

  #publish(
    from: { id: ClientId | "operator"; nick: string; peer: string },
    text: string,
    action: boolean,
    out: RoomOutput,
  ): void {
    const line = action ? formatAction(from.nick, text) : formatMessage(from.nick, text);
    this.#history.add(line);
    out.deliveries.push(
      typeof from.id === "number" ? { to: "all", except: from.id, line } : { to: "all", line },
    );
    out.events.push({
      type: "message",
      nick: from.nick,
      peer: from.peer,
      text,
      ...(action ? { action: true } : {}),
    });
  }

  #private(
    from: { id: ClientId | "operator"; nick: string; peer: string },
    arg: string,
    out: RoomOutput,
  ): void {
    const match = /^(\S+)\s+([\s\S]+)$/.exec(arg);
    if (match === null) {
      this.#reply(from.id, "usage: /msg NICK TEXT", out);
      return;
    }
    const [, name = "", text = ""] = match;
    const to = this.#nicks.get(nickKey(name));
    const remote = to === undefined ? this.#options.roster?.find(name) : undefined;
    if (remote !== undefined) {
      if (from.id !== "operator") {
        out.deliveries.push({ to: from.id, line: formatPrivateEcho(remote, text) });
      }
      out.events.push({ type: "message", nick: from.nick, peer: from.peer, text, to: remote });
      return;
    }
    if (to === undefined) {
      this.#reply(from.id, `no one here is called ${quoteName(name)}`, out);
      return;
    }
    if (to === from.id) {
      this.#reply(from.id, "that is you: /msg sends to someone else", out);
      return;
    }
    const toNick = to === "operator" ? this.operatorName : this.#members.get(to)!.nick;
    if (to !== "operator") out.deliveries.push({ to, line: formatPrivate(from.nick, text) });
    // The operator sees the message once, as its event (`*server -> bob* text`): no echo.
    if (from.id !== "operator") {
      out.deliveries.push({ to: from.id, line: formatPrivateEcho(toNick, text) });
    }
    out.events.push({ type: "message", nick: from.nick, peer: from.peer, text, to: toNick });
  }

  #rename(member: Member, name: string, out: RoomOutput): void {
    if (name === "") {
      this.#reply(member.id, `usage: /nick NAME (you are ${member.nick})`, out);
      return;
    }
    const problem = this.#nickRejection(member, name);
    if (problem !== null) {
      this.#reply(member.id, `cannot change your nickname to ${quoteName(name)}: ${problem}`, out);
      return;
    }
    if (name === member.nick) {
      this.#reply(member.id, `you are already ${name}`, out);
      return;
    }
    if (
      nickKey(name) !== nickKey(member.nick) &&
      this.#options.roster?.claim(member.id, name) === "later"
    ) {
      member.pending = { nick: name, lines: [] };
      return;
    }
    this.#renameTo(member, name, out);
  }

  #renameTo(member: Member, name: string, out: RoomOutput): void {
    const oldNick = member.nick;
    this.#nicks.delete(nickKey(oldNick));
    this.#nicks.set(nickKey(name), member.id);
    member.nick = name;
    const line = formatNotice(`${oldNick} is now known as ${name}`);
    if (!member.announced) {
      out.deliveries.push({ to: member.id, line }); // the others learn it with the join
      return;
    }
    out.deliveries.push({ to: "all", line });
    out.events.push({ type: "renamed", nick: name, oldNick, peer: member.peer });
  }

  #nickRejection(member: Member, name: string): string | null {
    const problem = nickProblem(name);
    if (problem !== null) return problem;
    const owner = this.#nicks.get(nickKey(name));
    if (owner !== undefined && owner !== member.id) return "that nickname is taken";
    if (this.#options.roster?.find(name) !== undefined || this.#pendingNick(name)) {
      return "that nickname is taken";
    }
    if (isGuestName(name) && nickKey(name) !== nickKey(member.nick)) {
      return `names like ${GUEST_PREFIX}N are reserved for newcomers`;
    }
    return null;
  }

  #reply(to: ClientId | "operator", text: string, out: RoomOutput): void {
    out.deliveries.push({ to, line: formatNotice(text) });
  }

  /** Members here and, with a roster, on the other servers. */
  #everyone(): number {
    return this.size + (this.#options.roster?.nicks().length ?? 0);
  }

  #pendingNick(name: string): boolean {
    const key = nickKey(name);
    for (const m of this.#members.values()) {
      if (m.pending !== undefined && nickKey(m.pending.nick) === key) return true;
    }
    return false;
  }

  #merge(into: RoomOutput, from: RoomOutput): void {
    into.deliveries.push(...from.deliveries);
    into.events.push(...from.events);
    into.disconnect.push(...from.disconnect);
  }

  #output(): RoomOutput {
    return { deliveries: [], events: [], disconnect: [], at: this.#now() };
  }

  #freshGuestName(): string {
    const roster = this.#options.roster;
    while (true) {
      const nick = `${GUEST_PREFIX}${roster?.guestNumber() ?? this.#nextGuest++}`;
      if (!this.#nicks.has(nickKey(nick)) && roster?.find(nick) === undefined) return nick;
    }
  }
}

function leaveNotice(nick: string, reason: LeaveReason, detail?: string): string {
  switch (reason) {
    case "quit":
      return detail ? `${nick} left (${detail})` : `${nick} left`;
    case "eof":
      return `${nick} left`;
    case "reset":
    case "error":
      return `${nick} left (connection lost)`;
    case "idle":
      return `${nick} was disconnected (idle for ${detail ?? "too long"})`;
    case "slow":
      return `${nick} was disconnected (not reading: too much unsent output)`;
    case "kicked":
      return `${nick} was removed by ${detail ?? "the operator"}`;
    case "shutdown":
      return "server shutting down";
  }
}
