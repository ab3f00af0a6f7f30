/**
 * The chat wire format: plain UTF-8 text lines ending in LF, so that `nc`, `telnet`,
 * `socat` or a ten-line script can take part. Every line the server sends starts with a
 * prefix only the server writes; user text only ever follows it, sanitised (no line
 * breaks, no escape sequences), so nobody can fake another person's line.
 *
 * | Line                 | Meaning                                      |
 * | -------------------- | -------------------------------------------- |
 * | `<alice> text`       | alice said `text` to the room                |
 * | `** alice waves`     | an action (`/me waves`)                      |
 * | `*alice* text`       | a private message from alice to you          |
 * | `-> *bob* text`      | your private message to bob (confirmation)   |
 * | `* text`             | a server notice (joins, leaves, renames, …)  |
 * | `-- history --`      | replayed past lines follow (to a newcomer)   |
 * | `-- now --`          | the replayed lines are over                  |
 *
 * Input lines are messages, or commands when they start with `/`; `//text` sends the
 * message `/text`.
 * @module
 */

/** The commands clients can use. */
export const COMMANDS = ["nick", "who", "me", "msg", "quit", "help"] as const;

/** One of `COMMANDS`. */
export type CommandName = (typeof COMMANDS)[number];

/** What one input line asks for. */
export type ParsedInput =
  | { kind: "empty" }
  | { kind: "message"; text: string }
  | { kind: "command"; name: CommandName; arg: string }
  | { kind: "unknown"; name: string; arg: string };

/**
 * Parses one input line (already decoded and sanitised). Blank lines are `empty`;
 * command names are case-insensitive.
 * @example
 * parseInput("/nick alice"); // { kind: "command", name: "nick", arg: "alice" }
 * parseInput("//etc");       // { kind: "message", text: "/etc" }
 */
export function parseInput(line: string): ParsedInput {
  if (line.trim() === "") return { kind: "empty" };
  if (!line.startsWith("/")) return { kind: "message", text: line };
  if (line.startsWith("//")) return { kind: "message", text: line.slice(1) };
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line);
  const word = match?.[1] ?? "";
  const arg = (match?.[2] ?? "").trim();
  const name = word.toLowerCase();
  if ((COMMANDS as readonly string[]).includes(name)) {
    return { kind: "command", name: name as CommandName, arg };
  }
  return { kind: "unknown", name: `/${word}`, arg };
}

/** `<nick> text`: a message to the room. */
export function formatMessage(nick: string, text: string): string {
  return `<${nick}> ${text}`;
}

/** `** nick action`: a `/me` action. */
export function formatAction(nick: string, action: string): string {
  return `** ${nick} ${action}`;
}

/** `*from* text`: a private message, as its receiver sees it. */
export function formatPrivate(from: string, text: string): string {
  return `*${from}* ${text}`;
}

/** `-> *to* text`: the sender's confirmation of a private message. */
export function formatPrivateEcho(to: string, text: string): string {
  return `-> *${to}* ${text}`;
}

/** `* text`: a server notice. */
export function formatNotice(text: string): string {
  return `* ${text}`;
}

/** The greeting every newcomer gets, after the history (see `isWelcome`). */
export function formatWelcome(nick: string, here: number): string {
  return formatNotice(
    `welcome, you are ${nick} (${here} here). /nick NAME renames you, /help lists commands.`,
  );
}

/** True for the line `formatWelcome` writes: how a client knows the server is sockchat. */
export function isWelcome(line: string): boolean {
  return /^\* welcome, you are \S+ \(\d+ here\)\. /.test(line);
}

// The reader of these lines is plain JavaScript, so that the browser page shares it.
export { HISTORY_END, HISTORY_START, parseWireLine, type WireLine } from "./wire_line.js";

/** The `/help` text, one notice per entry. */
export const HELP_LINES: readonly string[] = [
  "commands:",
  "  /nick NAME      change your nickname",
  "  /who            list who is here",
  "  /me ACTION      act, e.g. /me waves",
  "  /msg NICK TEXT  private message to NICK",
  "  /quit [REASON]  leave the chat",
  "  /help           this help",
  "  //TEXT          send a message that starts with /",
];
