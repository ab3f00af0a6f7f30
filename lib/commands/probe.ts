/**
 * `sockchat probe`: which TCP ports of one host accept a connection (connect, then close at
 * once; nothing is sent), like `nc -z -v`, a bounded number at a time. One result per port
 * in the order listed: a line on stdout, or a `probe` event with `--json`.
 * @module
 */

import { closeQuietly } from "../close_quietly.ts";
import { TimeoutError } from "../errors.ts";
import { formatLimit } from "../duration.ts";
import { reasonOf } from "../net/errors.ts";
import { resolveHost } from "../net/resolve.ts";
import { connect } from "../net/tcp.ts";
import type { ProbeEvent, ProbeState } from "../output/events.ts";
import type { CommandContext } from "./context.ts";

/** Typed options of `sockchat probe`. */
export interface ProbeOptions {
  host: string;
  ports: number[];
  /** One port's connect gives up (state `timeout`) after this long. */
  timeoutMs: number;
  /** At most this many connects at once. */
  concurrency: number;
  family?: 4 | 6;
}

const encoder = new TextEncoder();

/**
 * Probes every port; resolves to 0 when all are open. Throws an `Error` (exit 1) when
 * some refused or failed, else `TimeoutError` (124) when some did not answer in time.
 */
export async function runProbe(options: ProbeOptions, ctx: CommandContext): Promise<number> {
  const { address } = await resolveHost(options.host, options.family);
  const results: (ProbeEvent | undefined)[] = new Array(options.ports.length);
  let next = 0; // the next port to start
  let shown = 0; // results before this index are reported
  const worker = async () => {
    while (next < options.ports.length && !ctx.signal.aborted) {
      const index = next++;
      results[index] = await probeOne(options, address, options.ports[index]!, ctx.signal);
      if (ctx.signal.aborted) return;
      for (; shown < results.length && results[shown] !== undefined; shown++) {
        report(results[shown]!, ctx);
      }
    }
  };
  const workers = Math.min(options.concurrency, options.ports.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (ctx.signal.aborted) throw ctx.signal.reason;
  return verdict(options, results as ProbeEvent[]);
}

async function probeOne(
  options: ProbeOptions,
  address: string,
  port: number,
  signal: AbortSignal,
): Promise<ProbeEvent> {
  const started = performance.now();
  const result = (state: ProbeState, error?: string): ProbeEvent => ({
    type: "probe",
    host: options.host,
    address,
    port,
    state,
    ...(error !== undefined ? { error } : {}),
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const target = { transport: "tcp", host: address, port } as const;
    closeQuietly(await connect(target, { signal, timeoutMs: options.timeoutMs }));
    return result("open");
  } catch (error) {
    if (signal.aborted) return result("error", "interrupted");
    if (error instanceof TimeoutError) return result("timeout", "timed out");
    const closed = error instanceof Deno.errors.ConnectionRefused;
    return result(closed ? "closed" : "error", reasonOf(error));
  }
}

function report(event: ProbeEvent, ctx: CommandContext): void {
  if (ctx.reporter.json) return ctx.reporter.emit(event);
  ctx.stdout.enqueue(encoder.encode(`${probeLine(event)}\n`));
}

/** The text line for one result: `localhost 81 closed (connection refused)`. */
export function probeLine(event: ProbeEvent): string {
  const host = event.host.includes(":") ? `[${event.host}]` : event.host;
  const why = event.state === "open" || event.error === undefined ? "" : ` (${event.error})`;
  return `${host} ${event.port} ${event.state}${why}`;
}

function verdict(options: ProbeOptions, results: ProbeEvent[]): number {
  const count = (state: ProbeState) => results.filter((r) => r.state === state).length;
  const open = count("open");
  if (open === results.length) return 0;
  const parts = [
    [count("closed"), "closed"],
    [count("error"), "failed"],
    [count("timeout"), `timed out after ${formatLimit(options.timeoutMs)}`],
  ].filter(([n]) => n !== 0).map(([n, what]) => `${n} ${what}`);
  const ports = results.length === 1 ? "port" : "ports";
  const message = `${open} of ${results.length} ${ports} open on "${options.host}": ${
    parts.join(", ")
  }`;
  if (count("closed") + count("error") > 0) throw new Error(message);
  throw new TimeoutError(message);
}
