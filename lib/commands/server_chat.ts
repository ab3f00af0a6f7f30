/**
 * `sockchat server` (mode chat, the default): a multi-client chat room. Clients join
 * over TCP (or a Unix socket); the operator takes part through stdin (lines go to
 * everyone as `--name`); stdout shows the conversation (with timestamps on a terminal),
 * or with `--json` carries `joined`/`left`/`renamed`/`message` events. Runs until
 * SIGINT/SIGTERM (exit 0) or `--timeout` (exit 124); stdin reaching EOF changes nothing.
 * @module
 */

import { readLines } from "../chat/line_reader.ts";
import { ChatServer, type PeerInfo } from "../chat/server.ts";
import { formatHostPort } from "../net/address.ts";
import type { ChatEvent } from "../output/events.ts";
import { formatClock } from "../output/format.ts";
import { formatChatEvent } from "../output/text_format.ts";
import { acceptLoop } from "./accept.ts";
import type { CommandContext } from "./context.ts";
import { deadline, stopped } from "./deadline.ts";
import { closeListener, openListener } from "./listen.ts";
import { CHAT_DEFAULTS, type ServerOptions } from "./server_options.ts";

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
  readOperator(ctx, server, chat.maxLineBytes);
  let unixClients = 0;
  try {
    await acceptLoop(listener, run.signal, ctx.reporter, (conn) => {
      server.accept(conn, peerInfo(conn, () => ++unixClients));
    });
    return stopped(run.signal);
  } finally {
    closeListener(listener);
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

function peerInfo(conn: Deno.Conn, nextUnix: () => number): PeerInfo {
  const addr = conn.remoteAddr;
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return { name: formatHostPort(addr.hostname, addr.port), host: addr.hostname };
  }
  const name = `unix client ${nextUnix()}`;
  return { name, host: name };
}

/**
 * The server's own output: text lines on stdout (timestamped on a terminal), or events
 * with `--json`. Lines written in one tick go out in one write.
 */
class Transcript {
  #ctx: CommandContext;
  #pending: string[] = [];

  constructor(ctx: CommandContext) {
    this.#ctx = ctx;
  }

  event(event: ChatEvent, at: Date): void {
    if (this.#ctx.reporter.json) {
      this.#ctx.reporter.emit(event);
      return;
    }
    this.#line(formatChatEvent(event, this.#ctx.stdoutColors), at);
  }

  operatorLine(line: string): void {
    if (this.#ctx.reporter.json) this.#ctx.reporter.info(line);
    else this.#line(line, new Date());
  }

  #line(line: string, at: Date): void {
    const stamp = this.#ctx.stdoutIsTerminal
      ? this.#ctx.stdoutColors.dim(`[${formatClock(at)}]`) + " "
      : "";
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(stamp + line + "\n");
  }

  #flush(): void {
    const text = this.#pending.join("");
    this.#pending = [];
    this.#ctx.stdout.enqueue(encoder.encode(text));
  }
}
