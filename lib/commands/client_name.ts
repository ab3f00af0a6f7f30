/**
 * `client --name NAME`: sends `/nick NAME` as the first line, but only to a sockchat chat
 * server. The client waits for the server's greeting (at most `NAME_WAIT_MS`, or until a
 * first line that is not sockchat's) before anything else is sent; every byte received
 * meanwhile still reaches the output, in order. Against another server (`ncat --chat`,
 * an echo server, a silent one) nothing is sent for `--name`, and a warning says so.
 * @module
 */

import { bounded } from "../async.ts";
import { type GreetingVerdict, greetingVerdict } from "../chat/greeting.ts";
import type { Endpoint } from "../net/endpoint.ts";
import { sendNick } from "../net/client_connect.ts";
import { PeekedEndpoint } from "../net/peeked_endpoint.ts";
import type { Reporter } from "../output/reporter.ts";

/**
 * Longest wait for a sockchat server's welcome: 1 s. A sockchat server greets at once;
 * only a server that says nothing first makes the client wait this long.
 */
export const NAME_WAIT_MS = 1000;

/**
 * Sends `/nick name` once `remote` greets as a sockchat server; returns the endpoint to
 * use from now on (it replays what the greeting check read).
 */
export async function sendNameToSockchat(
  remote: Endpoint,
  name: string,
  reporter: Reporter,
  options: { signal: AbortSignal; waitMs?: number },
): Promise<Endpoint> {
  const peeked = new PeekedEndpoint(remote);
  const verdict = await awaitGreeting(peeked, options.signal, options.waitMs ?? NAME_WAIT_MS);
  if (verdict === "sockchat") await sendNick(peeked, name);
  else {
    reporter.warn(
      `--name not sent: "${remote.name}" did not greet as a sockchat chat server`,
    );
  }
  return peeked;
}

async function awaitGreeting(
  peeked: PeekedEndpoint,
  signal: AbortSignal,
  waitMs: number,
): Promise<GreetingVerdict> {
  const until = Date.now() + waitMs;
  while (true) {
    const ms = until - Date.now();
    if (ms <= 0) return "other";
    let chunk: Uint8Array | null | "timeout";
    try {
      chunk = await bounded(peeked.peek(), { ms, signal, onTimeout: () => "timeout" as const });
    } catch (error) {
      if (signal.aborted) throw error;
      return "other"; // the read failed: the reader will get that error
    }
    if (chunk === null || chunk === "timeout") return "other";
    const verdict = greetingVerdict(peeked.held);
    if (verdict !== "undecided") return verdict;
  }
}
