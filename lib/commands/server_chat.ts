/**
 * `sockchat server` (mode chat, the default): a multi-client chat room. Clients join
 * over TCP (or a Unix socket); the operator takes part through stdin (lines go to
 * everyone as `--name`); stdout shows the conversation (with timestamps on a terminal),
 * or with `--json` carries `joined`/`left`/`renamed`/`message` events. Runs until
 * SIGINT/SIGTERM (exit 0) or `--timeout` (exit 124); stdin reaching EOF changes nothing.
 * @module
 */

import { readLines } from "../chat/line_reader.ts";
import { type ChatConn, ChatServer } from "../chat/server.ts";
import type { Endpoint } from "../net/endpoint.ts";
import { PeerLimit } from "../net/peer_limit.ts";
import type { ChatEvent } from "../output/events.ts";
import { formatClock } from "../output/format.ts";
import { formatChatEvent } from "../output/text_format.ts";
import { acceptLoop } from "../net/accept.ts";
import type { CommandContext } from "./context.ts";
import { deadline, stopped } from "./deadline.ts";
import { closeListener, openListener } from "../net/listen.ts";
import { CHAT_DEFAULTS, type ServerOptions } from "./server_options.ts";
import type { WebFront } from "../web/web_front.ts";

const encoder = new TextEncoder();

/** Runs the chat server until interrupted (exit 0) or `--timeout` (exit 124). */
export async function runChatServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  const chat = options.chat ?? CHAT_DEFAULTS;
  const transcript = new Transcript(ctx);
  const server = new ChatServer({
    operatorName: chat.name,
    historySize: chat.historySize,
    maxLineBytes: chat.maxLineBytes,
    maxClients: chat.maxClients,
    access: { allow: chat.allow, deny: chat.deny },
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  }, {
    onEvent: (event, at) => transcript.event(event, at),
    onOperatorLine: (line) => transcript.operatorLine(line),
    debug: (line) => ctx.reporter.debug(line),
  });
  const listener = openListener(options.target, ctx.reporter);
  // One --max-per-ip count for TCP and web members alike.
  const perIp = new PeerLimit(chat.maxPerIp);
  let web: WebFront | undefined;
  try {
    // Loaded only with --web: the page and the HTTP front cost nothing otherwise.
    if (chat.web) {
      web = (await import("./chat_web.ts")).openChatWeb(
        options,
        chat.web,
        perIp,
        (endpoint, peer) => {
          server.accept(chatConn(endpoint), peer);
        },
        ctx,
      );
    }
  } catch (error) {
    closeListener(listener);
    throw error;
  }
  readOperator(ctx, server, chat.maxLineBytes);
  let unixClients = 0;
  try {
    await acceptLoop(listener, run.signal, ctx.reporter, ({ conn, endpoint, host, peer }) => {
      noDelay(conn);
      const unix = conn.remoteAddr.transport === "unix";
      const name = unix ? `unix client ${++unixClients}` : peer;
      server.accept(chatConn(endpoint), { name, host: unix ? name : host });
    }, { perIp });
    return stopped(run.signal);
  } finally {
    closeListener(listener);
    await server.shutdown();
    await web?.shutdown();
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

/** Chat lines are small and latency matters: no Nagle delay. */
function noDelay(conn: Deno.Conn): void {
  if (conn.remoteAddr.transport !== "tcp") return;
  try {
    (conn as Deno.TcpConn).setNoDelay(true);
  } catch {
    // Not fatal: the connection works without it.
  }
}

/** An endpoint as the chat server's connection. */
export function chatConn(endpoint: Endpoint): ChatConn {
  return {
    read: (buf) => endpoint.read(buf),
    write: async (data) => {
      await endpoint.write(data);
      return data.length;
    },
    closeWrite: () => endpoint.closeWrite(),
    close: () => endpoint.close(),
  };
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
