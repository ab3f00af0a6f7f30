/**
 * The real process I/O: stdin, an ordered stdout, line-wise stderr, and the interrupt
 * signal wired to SIGINT, SIGTERM and SIGHUP (see `SignalGate` for repeats). The only file
 * in `cli/` that touches `Deno.std*`.
 * @module
 */

import type { ByteSource, Stdin } from "../net/stdio.ts";
import { InterruptedError } from "../errors.ts";
import { cappedSource, stdinReadBytes } from "../net/stdin_source.ts";
import { OrderedWriter } from "../output/writer.ts";
import { SignalGate } from "./signal_gate.ts";

/** Process-level I/O handed to the CLI (tests may build their own). */
export interface ProcessIo {
  stdin: Stdin;
  stdout: OrderedWriter;
  stdoutIsTerminal: boolean;
  stderrIsTerminal: boolean;
  stderrLine(line: string): void;
  env(name: string): string | undefined;
  /**
   * Aborted on the first SIGINT, SIGTERM or SIGHUP; a second one exits at once with 130
   * (a repeat of the same signal within `SIGNAL_BURST_MS` is the same request).
   */
  signal: AbortSignal;
  /** Removes the signal handlers. */
  dispose(): void;
}

const encoder = new TextEncoder();

/** Writes a whole line to stderr synchronously (diagnostics must not be lost on exit). */
export function writeStderrLine(line: string): void {
  const data = encoder.encode(line + "\n");
  let offset = 0;
  try {
    while (offset < data.length) offset += Deno.stderr.writeSync(data.subarray(offset));
  } catch {
    // stderr is gone: nothing useful left to do.
  }
}

/** Builds the real process I/O. */
export function processIo(): ProcessIo {
  const controller = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM", "SIGHUP"];
  const gate = new SignalGate();
  const handlers = signals.map((signal) => {
    const handler = () => {
      const action = gate.decide(signal, performance.now());
      if (action === "exit") Deno.exit(130);
      if (action === "stop") controller.abort(new InterruptedError());
    };
    Deno.addSignalListener(signal, handler);
    return { signal, handler };
  });
  return {
    stdin: processStdin(),
    stdout: new OrderedWriter(Deno.stdout),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    stderrLine: writeStderrLine,
    env: (name) => {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined;
      }
    },
    signal: controller.signal,
    dispose() {
      for (const { signal, handler } of handlers) Deno.removeSignalListener(signal, handler);
    },
  };
}

/** stdin with each read capped (see `cappedSource`); a terminal keeps its raw mode. */
function processStdin(): Stdin {
  let capped: ByteSource | undefined; // what stdin is, asked once at the first read
  return {
    read: (buf) => (capped ??= cappedSource(Deno.stdin, stdinReadBytes())).read(buf),
    isTerminal: () => Deno.stdin.isTerminal(),
    setRaw: (mode) => Deno.stdin.setRaw(mode),
  };
}
