/**
 * `sockchat server` (mode chat, the default): a multi-client chat room. Clients join
 * over TCP (or a Unix socket); the operator takes part through stdin (lines go to
 * everyone as `--name`); stdout shows the conversation (with timestamps on a terminal),
 * or with `--json` carries `joined`/`left`/`renamed`/`message` events. When stdin and
 * stdout are a terminal (and no `--json`), the operator types on a protected prompt
 * (`OperatorConsole`, the interactive client's line editor) with the conversation above
 * it. Runs until SIGINT/SIGTERM or Ctrl-C on the console (exit 0) or `--timeout` (exit
 * 124); stdin reaching EOF changes nothing.
 * @module
 */

import { readLines } from "../chat/line_reader.ts";
import { ChatServer } from "../chat/server.ts";
import { PeerLimit } from "../net/peer_limit.ts";
import { noDelay } from "../net/tcp.ts";
import { Transcript } from "../output/transcript.ts";
import { acceptLoop } from "../net/accept.ts";
import type { CommandContext } from "./context.ts";
import { deadline } from "../async.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import { closeListener, openListener } from "../net/listen.ts";
import { CHAT_DEFAULTS, type ServerOptions } from "./server_options.ts";
import type { WebFront } from "../web/web_front.ts";
import type { ConsoleHooks, OperatorConsole } from "../chat/operator_console.ts";
import { InterruptedError } from "../errors.ts";
import { processTerminal } from "../net/terminal.ts";

/** Runs the chat server until interrupted (exit 0) or `--timeout` (exit 124). */
export async function runChatServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  using run = deadline(ctx.signal, options.timeoutMs);
  const chat = options.chat ?? CHAT_DEFAULTS;
  // Ctrl-C on the operator's console stops the server as SIGINT does.
  const stop = new AbortController();
  const signal = AbortSignal.any([run.signal, stop.signal]);
  const operatorConsole = ctx.stdin.isTerminal() && ctx.stdoutIsTerminal && !ctx.reporter.json
    ? await openConsole(ctx, {
      line: (text) => server.operatorLine(text),
      interrupt: () => stop.abort(new InterruptedError()),
    })
    : undefined;
  const transcript = new Transcript(
    operatorConsole ? { ...ctx, stdout: operatorConsole.output } : ctx,
  );
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
  const server: ChatServer = new ChatServer({
    operatorName: chat.name,
    historySize: chat.historySize,
    maxLineBytes: chat.maxLineBytes,
    maxClients: chat.maxClients,
    access: { allow: chat.allow, deny: chat.deny },
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    joinTimeoutMs: chat.joinTimeoutMs,
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
        (endpoint, peer) => server.accept(endpoint, peer),
        ctx,
      );
    }
  } catch (error) {
    closeListener(listener);
    await link?.close();
    throw error;
  }
  if (operatorConsole) {
    operatorConsole.start();
    // Diagnostics on the same terminal print above the prompt too, not through it.
    if (ctx.stderrIsTerminal) ctx.reporter.divert((line) => operatorConsole.printLine(line));
  } else readOperator(ctx, server, chat.maxLineBytes);
  let unixClients = 0;
  try {
    await acceptLoop(listener, signal, ctx.reporter, ({ conn, endpoint, host, peer }) => {
      noDelay(conn); // chat lines are small and latency matters
      const unix = conn.remoteAddr.transport === "unix";
      const name = unix ? `unix client ${++unixClients}` : peer;
      const transport = unix ? "unix" : options.target.tls ? "tls" : "tcp";
      server.accept(endpoint, { name, host: unix ? name : host, transport });
    }, { perIp });
    return exitCodeOnStop(signal);
  } finally {
    closeListener(listener);
    await link?.close();
    await server.shutdown();
    await web?.shutdown();
    await transcript.flushed();
    ctx.reporter.divert(undefined);
    await operatorConsole?.close();
    await ctx.stdout.flush();
  }
}

/** The operator's console (loaded only on a terminal: most servers run without one). */
async function openConsole(ctx: CommandContext, hooks: ConsoleHooks): Promise<OperatorConsole> {
  const { OperatorConsole } = await import("../chat/operator_console.ts");
  return new OperatorConsole(ctx, processTerminal(ctx.stdin), hooks);
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
