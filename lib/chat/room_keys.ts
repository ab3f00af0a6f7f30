/**
 * Where a shared room lives in Redis, and the Lua scripts that keep nickname claims
 * atomic. Every key of room NAME starts with `sockchat:room:{NAME}:` (the braces are a
 * hash tag: one room's keys stay together).
 *
 * | Key                       | Type   | What                                         |
 * | ------------------------- | ------ | -------------------------------------------- |
 * | `events`                  | stream | every envelope, `MAXLEN ~ 2000`              |
 * | `history`                 | list   | the last `--history` public lines            |
 * | `guests`                  | string | the shared guest counter                     |
 * | `servers`                 | set    | server ids seen in the room                  |
 * | `server:ID`               | string | heartbeat, TTL `--redis-ttl`                 |
 * | `server:ID:members`       | hash   | nickKey → `[nick, peer]`, same TTL           |
 * | `nick:NICKKEY`            | string | owning server id, same TTL                   |
 * @module
 */

import { nickKey } from "./nick.ts";

/** The Redis keys of room `room`, for server `id`. */
export function roomKeys(room: string, id: string) {
  const base = `sockchat:room:{${room}}`;
  return {
    stream: `${base}:events`,
    history: `${base}:history`,
    guests: `${base}:guests`,
    servers: `${base}:servers`,
    server: `${base}:server:${id}`,
    members: `${base}:server:${id}:members`,
    serverOf: (s: string) => `${base}:server:${s}`,
    membersOf: (s: string) => `${base}:server:${s}:members`,
    nick: (nick: string) => `${base}:nick:${nickKey(nick)}`,
  };
}

/** Claims `KEYS[1]` for server `ARGV[1]` if free or ours; releases `KEYS[2]` if ours. */
export const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if KEYS[2] and KEYS[2] ~= KEYS[1] and redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1`;

/** Refreshes (or takes back) every key in KEYS for `ARGV[1]`; returns the lost ones' indexes. */
export const REFRESH = `
local lost = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2])
  elseif not owner then redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else table.insert(lost, i) end
end
return lost`;

/** Deletes every key in KEYS that belongs to `ARGV[1]`. */
export const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;
