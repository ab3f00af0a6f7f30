/**
 * Case 5, UDP receive rate: 100-byte datagrams from one sender (`bench/load/udp_send.py`,
 * one socket, the same for every receiver) to `sockchat udp recv` (stdout piped: each
 * payload and a newline), `nc -u -l` (OpenBSD) and `socat -u UDP-RECV:PORT -`. The
 * receiver's stdout is counted here. After one untimed warm-up step at 40k/s (the same
 * for every tool: a freshly started sockchat loses a few datagrams in its first second,
 * while V8 compiles its receive loop and grows its heap; a long-running receiver does
 * not), the rate steps up (10k, 20k, 40k, … per second, 300 ms each; `--quick`: fewer
 * steps of 150 ms) until a step loses datagrams: the highest step without loss is the
 * zero-loss rate. Then a blast (the sender as fast as it can) gives the most received
 * per second. Loopback only; the sender's own top speed is logged.
 * @module
 */

import type { Child } from "../proc.ts";
import { alternate } from "../rounds.ts";
import type { BenchCase, BenchContext, Contender, Measurement } from "../types.ts";

const SIZE = 100;
const STEPS = [10_000, 20_000, 40_000, 60_000, 80_000, 120_000, 160_000];
/** One untimed step at this rate first, for every tool. */
const WARM_UP_RATE = 40_000;
/** `--quick`: fewer, shorter steps. */
const QUICK_STEPS = [10_000, 20_000, 40_000, 80_000, 160_000];

interface UdpTool extends Contender {
  receiver(port: number): string[];
  /** Output bytes per datagram (sockchat adds a newline). */
  bytesPer: number;
}

function tools(ctx: BenchContext): UdpTool[] {
  return [
    {
      name: "sockchat",
      note: "udp recv | (lines: payload + newline)",
      subject: true,
      requires: ["python3"], // the sender
      bytesPer: SIZE + 1,
      receiver: (port) => ctx.sockchat(["udp", "recv", "--port", String(port)]),
    },
    {
      name: "nc -u -l",
      note: "OpenBSD nc -u -l 127.0.0.1 PORT |",
      requires: ["nc", "python3"],
      bytesPer: SIZE,
      receiver: (port) => ["nc", "-u", "-l", "127.0.0.1", String(port)],
    },
    {
      name: "socat UDP-RECV",
      note: "socat -u UDP-RECV:PORT,bind=127.0.0.1 - |",
      requires: ["socat", "python3"],
      bytesPer: SIZE,
      receiver: (port) => ["socat", "-u", `UDP-RECV:${port},bind=127.0.0.1`, "-"],
    },
  ];
}

/** A UDP port that was free a moment ago on 127.0.0.1. */
function freeUdpPort(): number {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as Deno.NetAddr).port;
  socket.close();
  return port;
}

/** True when a UDP socket is bound to `port` (Linux `/proc/net/udp`). */
function isBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const table = Deno.readTextFileSync("/proc/net/udp");
  return table.split("\n").some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the bytes a receiver writes to stdout. */
class Counter {
  bytes = 0;
  readonly done: Promise<void>;
  constructor(stream: ReadableStream<Uint8Array>) {
    this.done = (async () => {
      for await (const chunk of stream) this.bytes += chunk.length;
    })().catch(() => {});
  }
  /** Waits until the count stopped moving for `quietMs` (at most `maxMs`). */
  async settle(quietMs: number, maxMs: number): Promise<number> {
    const until = performance.now() + maxMs;
    let last = -1;
    let since = performance.now();
    while (performance.now() < until) {
      if (this.bytes !== last) {
        last = this.bytes;
        since = performance.now();
      } else if (performance.now() - since >= quietMs) break;
      await sleep(10);
    }
    return this.bytes;
  }
}

/** Talks to `udp_send.py`: one `RATE MS` command, one `SENT ELAPSED_MS` answer. */
class Sender {
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #lines: ReadableStreamDefaultReader<string>;
  #buffered = "";
  constructor(child: Child) {
    this.#writer = child.process.stdin.getWriter();
    this.#lines = child.process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  }
  async send(rate: number, ms: number): Promise<{ sent: number; ms: number }> {
    await this.#writer.write(new TextEncoder().encode(`${rate} ${ms}\n`));
    while (!this.#buffered.includes("\n")) {
      const { value, done } = await this.#lines.read();
      if (done) throw new Error("UDP sender ended early");
      this.#buffered += value;
    }
    const end = this.#buffered.indexOf("\n");
    const [sent, elapsed] = this.#buffered.slice(0, end).split(" ").map(Number);
    this.#buffered = this.#buffered.slice(end + 1);
    return { sent: sent!, ms: elapsed! };
  }
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#lines.cancel().catch(() => {});
  }
}

/** One round: [highest zero-loss rate, blast received per second]. */
async function round(
  ctx: BenchContext,
  tool: UdpTool,
  stepMs: number,
  steps: number[],
): Promise<{ zeroLoss: number; blast: number; sentBlast: number }> {
  const port = freeUdpPort();
  const receiver = ctx.procs.spawn(tool.receiver(port), { stdout: "piped", cwd: ctx.root });
  const counter = new Counter(receiver.process.stdout);
  const senderChild = ctx.procs.spawn(
    ["python3", `${ctx.root}/bench/load/udp_send.py`, String(port)],
    { stdin: "piped", stdout: "piped" },
  );
  const sender = new Sender(senderChild);
  try {
    const until = performance.now() + 15_000;
    while (!isBound(port)) {
      if (performance.now() > until) throw new Error(`nothing bound UDP port ${port} in time`);
      await sleep(5);
    }
    // One datagram first (nc -u -l connects to its first sender), until it arrives.
    while (counter.bytes === 0) {
      if (performance.now() > until) throw new Error("the first datagram never arrived");
      await sender.send(1000, 5);
      await counter.settle(50, 200);
    }
    const received = async (rate: number, ms: number) => {
      const before = await counter.settle(50, 1000);
      const sent = await sender.send(rate, ms);
      const after = await counter.settle(60, 2000);
      const got = (after - before) / tool.bytesPer;
      return { ...sent, got };
    };
    // Warm-up, not counted (see the module comment).
    await received(WARM_UP_RATE, stepMs);
    let zeroLoss = 0;
    for (const rate of steps) {
      const step = await received(rate, stepMs);
      if (step.got < step.sent) break;
      zeroLoss = Math.max(zeroLoss, step.sent / step.ms * 1000);
    }
    const blast = await received(0, stepMs);
    return {
      zeroLoss,
      blast: blast.got / blast.ms * 1000,
      sentBlast: blast.sent / blast.ms * 1000,
    };
  } finally {
    await sender.close();
    senderChild.kill("SIGKILL");
    receiver.kill("SIGKILL");
    await Promise.all([senderChild.status, receiver.status, counter.done]);
  }
}

/** The UDP receive-rate case. */
export const udpRateCase: BenchCase = {
  id: "udp-rate",
  item: 5,
  title: "UDP receive rate (100-byte datagrams)",
  async run(ctx) {
    const rounds = ctx.rounds(2, 1);
    const stepMs = ctx.quick ? 150 : 300;
    const steps = ctx.quick ? QUICK_STEPS : STEPS;
    ctx.log(`udp-rate: steps ${steps.join(", ")}/s of ${stepMs} ms, then blast; ${rounds} rounds`);
    const all = tools(ctx);
    const blastSamples = new Map(all.map((tool) => [tool, [] as number[]]));
    const results = await alternate(ctx, all, rounds, async (tool) => {
      const r = await round(ctx, tool, stepMs, steps);
      blastSamples.get(tool)!.push(r.blast);
      ctx.log(
        `  ${tool.name}: zero loss up to ${(r.zeroLoss / 1e3).toFixed(0)}k/s; blast ` +
          `${(r.blast / 1e3).toFixed(0)}k/s received of ${(r.sentBlast / 1e3).toFixed(0)}k/s sent`,
      );
      return r.zeroLoss;
    });
    const zero: Measurement = {
      caseId: "udp-rate",
      name: "highest rate with zero loss (100 B)",
      unit: "datagrams/s",
      better: "higher",
      tools: [...results.values()],
    };
    const blast: Measurement = {
      caseId: "udp-rate",
      name: "blast: received per second (100 B)",
      unit: "datagrams/s",
      better: "higher",
      tools: all.map((tool) => ({ ...results.get(tool)!, samples: blastSamples.get(tool)! })),
    };
    return [zero, blast];
  },
};
