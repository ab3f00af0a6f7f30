/**
 * Who is in the room on the other servers: a mirror kept from the envelopes they
 * publish and from their presence in Redis. Every change is idempotent (a join of
 * someone already here, a leave of someone gone, changes nothing), so the same news
 * arriving twice — a presence read racing the stream — shows nothing twice. Pure.
 * @module
 */

import { nickKey } from "./nick.ts";
import type { RemoteEvent } from "./room.ts";
import type { Envelope, RemoteMemberInfo } from "./room_envelope.ts";

interface Remote {
  nick: string;
  peer: string;
  /** The member's number on its server. */
  id: number;
}

/** The mirror of the other servers' members, by server id. */
export class RemoteMembers {
  readonly #servers = new Map<string, Map<string, Remote>>();

  /** The remote member called `nick` (any case): its exact nickname. */
  find(nick: string): string | undefined {
    const key = nickKey(nick);
    for (const members of this.#servers.values()) {
      const found = members.get(key);
      if (found !== undefined) return found.nick;
    }
    return undefined;
  }

  /** Every remote member's nickname, server by server. */
  nicks(): string[] {
    const nicks: string[] = [];
    for (const members of this.#servers.values()) {
      for (const member of members.values()) nicks.push(member.nick);
    }
    return nicks;
  }

  /** How many remote members there are. */
  get size(): number {
    let size = 0;
    for (const members of this.#servers.values()) size += members.size;
    return size;
  }

  /** The nicknames of server `s`'s members. */
  membersOf(s: string): string[] {
    return [...(this.#servers.get(s)?.values() ?? [])].map((m) => m.nick);
  }

  /** The ids of servers with members here. */
  servers(): string[] {
    return [...this.#servers.keys()];
  }

  /** Applies one envelope from another server: what the members here should see. */
  apply(envelope: Envelope): RemoteEvent[] {
    const s = envelope.s;
    switch (envelope.t) {
      case "msg":
        return [{
          type: "message",
          nick: envelope.nick,
          peer: envelope.peer,
          text: envelope.text,
          ...(envelope.action ? { action: true } : {}),
        }];
      case "pm":
        return [{
          type: "private",
          nick: envelope.nick,
          peer: envelope.peer,
          to: envelope.to,
          text: envelope.text,
        }];
      case "join":
        return this.#add(s, envelope.nick, envelope.peer, envelope.id);
      case "left": {
        const gone = this.#remove(s, envelope.nick);
        if (gone === undefined) return [];
        return [{
          type: "left",
          nick: gone.nick,
          peer: gone.peer,
          reason: envelope.reason,
          ...(envelope.text !== undefined ? { text: envelope.text } : {}),
        }];
      }
      case "nick":
        return this.#rename(s, envelope.id, envelope.nick, envelope.peer);
      case "hello":
        return this.replace(s, envelope.members);
      case "bye":
        return this.drop(s, { reason: "quit", text: "server shutting down" });
    }
  }

  /**
   * Server `s` has exactly `members` now (a presence read or its hello): members renamed
   * meanwhile show as renamed, the others as joined or left.
   */
  replace(s: string, members: readonly RemoteMemberInfo[]): RemoteEvent[] {
    const events: RemoteEvent[] = [];
    const ids = new Set(members.map(([, , id]) => id));
    for (const member of [...this.#members(s).values()]) {
      if (ids.has(member.id)) continue;
      this.#remove(s, member.nick);
      events.push({ type: "left", nick: member.nick, peer: member.peer, reason: "reset" });
    }
    for (const [nick, peer, id] of members) events.push(...this.#rename(s, id, nick, peer));
    return events;
  }

  /** Server `s` is gone (it said goodbye, or its presence expired): its members leave. */
  drop(
    s: string,
    how: { reason: "quit" | "reset"; text?: string } = { reason: "reset" },
  ): RemoteEvent[] {
    const members = this.#servers.get(s);
    this.#servers.delete(s);
    if (members === undefined) return [];
    return [...members.values()].map((m) => ({
      type: "left" as const,
      nick: m.nick,
      peer: m.peer,
      reason: how.reason,
      ...(how.text !== undefined ? { text: how.text } : {}),
    }));
  }

  #add(s: string, nick: string, peer: string, id: number): RemoteEvent[] {
    const members = this.#members(s);
    const key = nickKey(nick);
    if (members.get(key)?.nick === nick) return [];
    members.set(key, { nick, peer, id });
    return [{ type: "joined", nick, peer }];
  }

  /** Member `id` of server `s` is called `nick` now: renamed, or joined if unknown. */
  #rename(s: string, id: number, nick: string, peer: string): RemoteEvent[] {
    const old = [...(this.#servers.get(s)?.values() ?? [])].find((m) => m.id === id);
    if (old === undefined) return this.#add(s, nick, peer, id);
    if (old.nick === nick) return [];
    this.#remove(s, old.nick);
    this.#members(s).set(nickKey(nick), { nick, peer: old.peer, id });
    return [{ type: "renamed", nick, oldNick: old.nick, peer: old.peer }];
  }

  #remove(s: string, nick: string): Remote | undefined {
    const members = this.#servers.get(s);
    const key = nickKey(nick);
    const found = members?.get(key);
    if (members === undefined || found === undefined) return undefined;
    members.delete(key);
    if (members.size === 0) this.#servers.delete(s);
    return found;
  }

  #members(s: string): Map<string, Remote> {
    let members = this.#servers.get(s);
    if (members === undefined) this.#servers.set(s, members = new Map());
    return members;
  }
}
