/**
 * `sockchat server --exec -- PROGRAM [ARGS...]`: each client's connection becomes a new
 * run of PROGRAM's stdin and stdout (like `ncat -e` and socat's `EXEC:`), argv only, never
 * a shell; its stderr is the server's. At most `--max-clients` run at once; a client
 * beyond that is turned away at once. The delivery rules are the pipe's: every byte the
 * client sends reaches the program's stdin until the program stops reading, everything
 * the program writes reaches the client, and each `closed` event carries the program's
 * exit status (a non-zero one is shown without `-v`).
 * @module
 */

import type { Accepted } from "../net/accept.ts";
import { acceptLoop } from "../net/accept.ts";
import { endConnection } from "../net/end_connection.ts";
import { describeNetError } from "../net/errors.ts";
import { closeListener, openListener } from "../net/listen.ts";
import { checkProgram, type Program, startProgram } from "../net/program.ts";
import type { ClosedEvent, CloseReason } from "../output/events.ts";
import { openWireLog, type WireLog } from "../output/wire_log.ts";
import { quote } from "../output/format.ts";
import { isBrokenPipe } from "../output/writer.ts";
import { relay, type RelayResult } from "../relay/relay.ts";
import { tappedEndpoint } from "../relay/tapped_endpoint.ts";
import { isLoopbackName } from "../web/web_origin.ts";
import { deadline } from "../async.ts";
import type { CommandContext } from "./context.ts";
import { exitCodeOnStop } from "./exit_code_on_stop.ts";
import type { ServerOptions } from "./server_options.ts";

/** How long a program may take to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 2_000;

/** Per-connection relay buffer: many programs may run at once. */
const EXEC_BUFFER = 64 * 1024;

/** Runs the exec server until interrupted (exit 0) or `--timeout` (exit 124). */
export async function runExecServer(options: ServerOptions, ctx: CommandContext): Promise<number> {
  const exec = options.exec!;
  checkProgram(exec.argv[0]!);
  using run = deadline(ctx.signal, options.timeoutMs);
  using log = options.wireLog && openWireLog(options.wireLog, ctx.stderrLine);
  const target = options.target;
  if (target.transport === "tcp" && !isLoopbackName(target.host)) {
    ctx.reporter.warn(
      `--exec runs ${quote(exec.argv[0]!)} for anyone who can connect to ${target.host}`,
    );
  }
  const listener = openListener(target, ctx.reporter);
  const sessions = new Set<Promise<void>>();
  const stop = new AbortController();
  try {
    await acceptLoop(listener, run.signal, ctx.reporter, (client) => {
      if (sessions.size >= exec.maxClients) {
        ctx.reporter.warn(
          `turned away ${client.peer}: ${exec.maxClients} programs already running (--max-clients)`,
        );
        client.endpoint.close();
        return;
      }
      const session = serve(client, options, ctx, log || undefined, stop.signal)
        .finally(() => sessions.delete(session));
      sessions.add(session);
    });
    return exitCodeOnStop(run.signal);
  } finally {
    closeListener(listener);
    stop.abort();
    await Promise.allSettled([...sessions]);
  }
}

/** One client: start the program, relay, wait for it, report. Never rejects. */
async function serve(
  client: Accepted,
  options: ServerOptions,
  ctx: CommandContext,
  log: WireLog | undefined,
  stop: AbortSignal,
): Promise<void> {
  const { endpoint, peer } = client;
  const exec = options.exec!;
  ctx.reporter.emit({ type: "accepted", transport: options.target.transport, peer });
  let program: Program;
  try {
    program = startProgram(exec.argv, exec.argv[0]!);
  } catch (error) {
    ctx.reporter.warn(`Cannot run ${quote(exec.argv[0]!)} for ${peer}: ${describeNetError(error)}`);
    endpoint.close();
    return;
  }
  try {
    const wire = log ? tappedEndpoint(endpoint, log.connection(peer)) : endpoint;
    // Client = A, program = B. When the program stops reading, its output still goes on
    // to the client; once its output has ended, the client's further bytes have nowhere
    // to go, so the run ends as soon as nothing read from the client is unwritten.
    const result = await relay(wire, program.endpoint, {
      bufferSize: EXEC_BUFFER,
      endOn: "b-to-a",
      lingerMs: 0,
      drainBAfterWriteError: true,
      signal: stop,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
    program.endpoint.close();
    // However it ended, the client gets our close_notify (TLS) and FIN when they can go.
    await endConnection(endpoint, result.bToA.unwritten > 0);
    const status = await exitStatus(program, result.reason !== "done");
    ctx.reporter.emit(closedEvent(peer, result, status));
  } catch (error) {
    ctx.reporter.debug(`exec ${peer}: ${(error as Error).message}`);
  } finally {
    program.kill("SIGKILL");
    program.endpoint.close();
    endpoint.close();
  }
}

/**
 * Waits for the program to exit. It had its input closed and its output read to the end
 * (or, with `stopNow`, the client is gone or the server is stopping): after
 * `KILL_GRACE_MS` (at once with `stopNow`) it gets SIGTERM, and SIGKILL one grace later.
 */
async function exitStatus(program: Program, stopNow: boolean): Promise<Deno.CommandStatus> {
  const timers: ReturnType<typeof setTimeout>[] = [];
  const after = (ms: number, signal: Deno.Signal) =>
    timers.push(setTimeout(() => program.kill(signal), ms));
  if (stopNow) program.kill("SIGTERM");
  else after(KILL_GRACE_MS, "SIGTERM");
  after(stopNow ? KILL_GRACE_MS : 2 * KILL_GRACE_MS, "SIGKILL");
  try {
    return await program.status;
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

/** The `closed` event of one client: bytes each way, how it ended, the program's status. */
function closedEvent(peer: string, result: RelayResult, status: Deno.CommandStatus): ClosedEvent {
  const event: ClosedEvent = {
    type: "closed",
    peer,
    bytesSent: result.bToA.bytes,
    bytesReceived: result.aToB.bytes,
    durationMs: Math.round(result.durationMs),
    reason: closeReason(result),
    exitCode: status.code,
  };
  if (status.signal !== null) event.signal = status.signal;
  if (result.aToB.unwritten > 0) event.unsent = result.aToB.unwritten;
  const error = failureText(result);
  if (error !== undefined) event.error = error;
  return event;
}

function closeReason(result: RelayResult): CloseReason {
  switch (result.reason) {
    case "done":
      return "eof";
    case "idle":
      return "idle";
    case "aborted":
      return "shutdown";
    case "error":
      return clientFailed(result) &&
          (result.error instanceof Deno.errors.ConnectionReset || isBrokenPipe(result.error))
        ? "reset"
        : "error";
  }
}

/** The read from or the write to the client failed (not the program's side). */
function clientFailed(result: RelayResult): boolean {
  return (result.failed === "a-to-b" && result.aToB.outcome.kind === "read-error") ||
    (result.failed === "b-to-a" && result.bToA.outcome.kind === "write-error");
}

/** What failed, in words, for the `error` field. */
function failureText(result: RelayResult): string | undefined {
  if (result.reason !== "error") return undefined;
  if (clientFailed(result)) return describeNetError(result.error);
  if (result.failed === "a-to-b") {
    return `the program stopped reading its input (${describeNetError(result.error)})`;
  }
  return `cannot read the program's output: ${describeNetError(result.error)}`;
}
