/**
 * `sockchat server` (mode chat, the default): a multi-client chat room. Clients join
 * over TCP (or a Unix socket); the operator takes part through stdin (lines go to
 * everyone as `--name`); stdout shows the conversation (with timestamps on a terminal),
 * or with `--json` carries `joined`/`left`/`renamed`/`message` events. Runs until
 * SIGINT/SIGTERM (exit 0) or `--timeout` (exit 124); stdin reaching EOF changes nothing.
 * @module
 */

import { readLines } from "../chat/line_reader.ts";
import { ChatServer } from "../chat/server.ts";
import { PeerLimit } from "../net/peer_limit.ts";
import { noDelay } from "../net/tcp.ts";
import type { ChatEvent } from "../output/events.ts";
import { formatClock } from "../output/format.ts";
import { formatChatEvent } from "../output/text_format.ts";
import { acceptLoop } from "../net/accept.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import { closeListener, openListener } from "../net/listen.ts";
import { CHAT_DEFAULTS, type ServerOptions } from "./server_options.ts";

const encoder = new TextEncoder();

/** Runs the chat server until interrupted (exit 0) or `--timeout` (exit 124). */
export async function runChatServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  const chat = options.chat ?? CHAT_DEFAULTS;
  const transcript = new Transcript(ctx);
  // The Redis link is loaded only when asked for: without --redis, none of it is in memory.
  const link = chat.redis
    ? new (await import("../chat/room_link.ts")).RoomLink({
      address: chat.redis.address,
      room: chat.redis.room,
      ttlMs: chat.redis.ttlMs,
      historySize: chat.historySize,
      report: ctx.reporter,
    })
    : undefined;
  const server = new ChatServer({
    operatorName: chat.name,
    historySize: chat.historySize,
    maxLineBytes: chat.maxLineBytes,
    maxClients: chat.maxClients,
    access: { allow: chat.allow, deny: chat.deny },
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(link ? { roster: link } : {}),
  }, {
    onEvent: (event, at) => {
      transcript.event(event, at);
      link?.localEvent(event);
    },
    onOperatorLine: (line) => transcript.operatorLine(line),
    debug: (line) => ctx.reporter.debug(line),
  });
  // Linked (or the first attempt failed: the link keeps trying) before anyone joins.
  await link?.start(server);
  let listener: Deno.Listener;
  try {
    listener = openListener(options.target, ctx.reporter);
  } catch (error) {
    await link?.close();
    throw error;
  }
  readOperator(ctx, server, chat.maxLineBytes);
  let unixClients = 0;
  const perIp = new PeerLimit(chat.maxPerIp);
  try {
    await acceptLoop(listener, run.signal, ctx.reporter, ({ conn, endpoint, host, peer }) => {
      noDelay(conn); // chat lines are small and latency matters
      const unix = conn.remoteAddr.transport === "unix";
      const name = unix ? `unix client ${++unixClients}` : peer;
      const transport = unix ? "unix" : options.target.tls ? "tls" : "tcp";
      server.accept(endpoint, { name, host: unix ? name : host, transport });
    }, { perIp });
    return exitCodeOnStop(run.signal);
  } finally {
    closeListener(listener);
    await link?.close();
    await server.shutdown();
    await ctx.stdout.flush();
  }
}

/** The operator's stdin: each line to everyone. At EOF (or on error) it just stops. */
function readOperator(ctx: CommandContext, server: ChatServer, maxLineBytes: number): void {
  readLines(ctx.stdin, {
    maxLineBytes,
    onLine: (line) => server.operatorLine(line.text),
  }).then(
    () => ctx.reporter.debug("stdin closed: still serving (stop with Ctrl-C)"),
    (error) => ctx.reporter.debug(`stdin: ${(error as Error).message}: still serving`),
  );
}

/** Most transcript bytes waiting for a slow stdout before lines are left out: 4 MiB. */
const TRANSCRIPT_BACKLOG_BYTES = 4 << 20;

type TranscriptItem = { line: string } | { event: ChatEvent };

/**
 * The server's own output: text lines on stdout (timestamped on a terminal), or events
 * with `--json`. What arrives in one tick goes out in one write. When stdout does not
 * keep up (a slow terminal or pipe), lines are left out rather than piling up in memory,
 * and a note says how many.
 */
class Transcript {
  #ctx: CommandContext;
  #pending: TranscriptItem[] = [];
  #pendingBytes = 0;
  #unwrittenBytes = 0;
  #dropped = 0;

  constructor(ctx: CommandContext) {
    this.#ctx = ctx;
  }

  event(event: ChatEvent, at: Date): void {
    if (this.#ctx.reporter.json) {
      this.#add({ event }, 96 + ("text" in event ? event.text.length : 0));
    } else {
      this.#add({ line: this.#stamp(formatChatEvent(event, this.#ctx.stdoutColors), at) });
    }
  }

  operatorLine(line: string): void {
    if (this.#ctx.reporter.json) this.#ctx.reporter.info(line);
    else this.#add({ line: this.#stamp(line, new Date()) });
  }

  #stamp(line: string, at: Date): string {
    const stamp = this.#ctx.stdoutIsTerminal
      ? this.#ctx.stdoutColors.dim(`[${formatClock(at)}]`) + " "
      : "";
    return stamp + line + "\n";
  }

  #add(item: TranscriptItem, size = "line" in item ? item.line.length : 0): void {
    if (this.#unwrittenBytes + this.#pendingBytes + size > TRANSCRIPT_BACKLOG_BYTES) {
      this.#dropped++;
      return;
    }
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(item);
    this.#pendingBytes += size;
  }

  #flush(): void {
    const items = this.#pending;
    const size = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#dropped > 0 && this.#unwrittenBytes < TRANSCRIPT_BACKLOG_BYTES / 2) {
      const note = `${this.#dropped} chat lines not shown: stdout is not keeping up`;
      this.#dropped = 0;
      if (this.#ctx.reporter.json) this.#ctx.reporter.warn(note);
      else items.unshift({ line: `* (${note})\n` });
    }
    let text = "";
    for (const item of items) {
      if ("event" in item) this.#ctx.reporter.emit(item.event);
      else text += item.line;
    }
    if (text !== "") this.#ctx.stdout.enqueue(encoder.encode(text));
    this.#unwrittenBytes += size;
    this.#ctx.stdout.flush().then(() => (this.#unwrittenBytes -= size));
  }
}
