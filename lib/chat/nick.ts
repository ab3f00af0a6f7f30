/**
 * Nickname rules: 1 to 20 ASCII letters, digits, `_` and `-`, starting with a letter;
 * unique among connected users ignoring case; `guestN` names are reserved for the
 * default names handed to newcomers (never handed out twice while the server runs).
 * @module
 */

/** Longest nickname, in characters. */
export const MAX_NICK_LENGTH = 20;

/** Prefix of the default nicknames (`guest1`, `guest2`, …). */
export const GUEST_PREFIX = "guest";

const NICK_CHARS = /^[A-Za-z][A-Za-z0-9_-]*$/;
const GUEST_NAME = /^guest[0-9]+$/i;

/** The key under which a nickname is unique (case-insensitive). */
export function nickKey(nick: string): string {
  return nick.toLowerCase();
}

/** True for names of the `guestN` form, which only the server hands out. */
export function isGuestName(nick: string): boolean {
  return GUEST_NAME.test(nick);
}

/**
 * Why `nick` is not a valid nickname, or `null` when it is. Does not check uniqueness
 * or the `guestN` reservation (see `isGuestName`). The reason names no value; callers
 * quote the (sanitised) name themselves.
 */
export function nickProblem(nick: string): string | null {
  if (nick === "") return "a nickname cannot be empty";
  if ([...nick].length > MAX_NICK_LENGTH) {
    return `too long: at most ${MAX_NICK_LENGTH} characters`;
  }
  if (!NICK_CHARS.test(nick)) {
    return "use only letters A-Z, digits, _ and -, starting with a letter";
  }
  return null;
}

/** Shortens a rejected name for quoting in a message (it may be very long). */
export function quoteName(name: string): string {
  const chars = [...name];
  return `"${chars.length > 32 ? chars.slice(0, 32).join("") + "…" : name}"`;
}
