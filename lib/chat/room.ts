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
  HELP_LINES,
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
}

/** The peer name used for the operator in events. */
export const OPERATOR_PEER = "operator";

interface Member {
  id: ClientId;
  nick: string;
  peer: string;
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
   * history and a greeting; the others get a notice.
   */
  join(peer: string, transport: MemberTransport = "tcp"): { id: ClientId; output: RoomOutput } {
    const id = this.#nextId++;
    const nick = this.#freshGuestName();
    const member: Member = { id, nick, peer: sanitiseText(peer) };
    this.#members.set(id, member);
    this.#nicks.set(nickKey(nick), id);
    const out = this.#output();
    for (const line of this.#history.lines()) out.deliveries.push({ to: id, line });
    out.deliveries.push({
      to: id,
      line: formatNotice(
        `welcome, you are ${nick} (${this.size} here). /nick NAME renames you, /help lists commands.`,
      ),
    });
    out.deliveries.push({
      to: "all",
      except: id,
      line: formatNotice(`${nick} joined`),
      join: true,
    });
    out.events.push({ type: "joined", nick, peer: member.peer, transport });
    return { id, output: out };
  }

  /**
   * A line from client `id` (decoded, not yet sanitised). `cut` says the line was longer
   * than the cap and was cut: the sender is told.
   */
  line(id: ClientId, raw: string, cut = false): RoomOutput {
    const out = this.#output();
    const member = this.#members.get(id);
    if (member === undefined) return out;
    if (cut) {
      out.deliveries.push({
        to: id,
        line: formatNotice(
          `your line was longer than ${this.#options.maxLineBytes} bytes: only the start was sent`,
        ),
      });
    }
    const input = parseInput(sanitiseText(raw));
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
    const names = [...this.#members.values()].map((m) =>
      m.id === viewer ? `${m.nick} (you)` : m.nick
    );
    const list = names.length > 0 ? names.join(", ") : "no one else";
    return formatNotice(`${this.size} here: ${list}; operator: ${this.operatorName}`);
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
    out.deliveries.push({ to: from.id, line: formatPrivateEcho(toNick, text) });
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
    const oldNick = member.nick;
    this.#nicks.delete(nickKey(oldNick));
    this.#nicks.set(nickKey(name), member.id);
    member.nick = name;
    out.deliveries.push({ to: "all", line: formatNotice(`${oldNick} is now known as ${name}`) });
    out.events.push({ type: "renamed", nick: name, oldNick, peer: member.peer });
  }

  #nickRejection(member: Member, name: string): string | null {
    const problem = nickProblem(name);
    if (problem !== null) return problem;
    const owner = this.#nicks.get(nickKey(name));
    if (owner !== undefined && owner !== member.id) return "that nickname is taken";
    if (isGuestName(name) && nickKey(name) !== nickKey(member.nick)) {
      return `names like ${GUEST_PREFIX}N are reserved for newcomers`;
    }
    return null;
  }

  #reply(to: ClientId | "operator", text: string, out: RoomOutput): void {
    out.deliveries.push({ to, line: formatNotice(text) });
  }

  #output(): RoomOutput {
    return { deliveries: [], events: [], disconnect: [], at: this.#now() };
  }

  #freshGuestName(): string {
    while (true) {
      const nick = `${GUEST_PREFIX}${this.#nextGuest++}`;
      if (!this.#nicks.has(nickKey(nick))) return nick;
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
