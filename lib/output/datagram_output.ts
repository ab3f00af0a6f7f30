/**
 * Printing received datagrams in the chosen format without waiting on stdout per
 * datagram: payloads and formatted lines are batched into large writes; with `--json`
 * each datagram is a `datagram` event.
 * @module
 */

import { formatHostPort } from "../net/address.ts";
import type { Datagram } from "../net/udp.ts";
import { BatchWriter, DEFAULT_HIGH_WATER } from "./batch_writer.ts";
import { type DatagramFormat, hexBlock, terminalLine } from "./datagram_format.ts";
import { payloadFields } from "./events.ts";
import type { OutputIo } from "./output_io.ts";

/** Where received datagrams go. */
export interface DatagramOutput {
  /** Prints one datagram (its bytes are copied at once). */
  print(datagram: Datagram): void;
  /** True when output lags far behind: call `drain()` before receiving more. */
  readonly backlogged: boolean;
  drain(): Promise<void>;
  /** Writes everything printed so far. */
  flush(): Promise<void>;
  /** True once stdout's reader has gone away (e.g. `| head`). */
  readonly closed: boolean;
}

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/**
 * Builds the output for `format`. `onClosed` is called when a write fails (the reader of
 * stdout went away), so the caller can stop waiting for more datagrams.
 */
export function datagramOutput(
  ctx: OutputIo,
  format: DatagramFormat,
  onClosed?: () => void,
): DatagramOutput {
  const batch = new BatchWriter(ctx.stdout, DEFAULT_HIGH_WATER, onClosed);
  const print = printer(ctx, format, batch);
  return {
    print,
    get backlogged() {
      return batch.backlogged || ctx.stdout.queuedBytes > DEFAULT_HIGH_WATER;
    },
    async drain() {
      await batch.drain();
      if (ctx.stdout.queuedBytes > DEFAULT_HIGH_WATER) await ctx.stdout.flush();
    },
    async flush() {
      await batch.flush();
      await ctx.stdout.flush();
      if (batch.error !== null && !ctx.stdout.broken) throw batch.error;
    },
    get closed() {
      return ctx.stdout.broken;
    },
  };
}

function printer(
  ctx: OutputIo,
  format: DatagramFormat,
  batch: BatchWriter,
): (datagram: Datagram) => void {
  const label = (d: Datagram) => formatHostPort(d.from.host, d.from.port);
  switch (format) {
    case "raw":
      return (d) => batch.append(d.data);
    case "lines":
      return (d) => {
        batch.append(d.data);
        batch.appendByte(NEWLINE);
      };
    case "hex":
      return (d) => batch.append(encoder.encode(hexBlock(label(d), d.data)));
    case "terminal":
      return (d) =>
        batch.append(encoder.encode(terminalLine(label(d), d.data, ctx.stdoutColors, new Date())));
    case "json":
      return (d) =>
        ctx.reporter.emit({
          type: "datagram",
          from: label(d),
          bytes: d.data.length,
          ...payloadFields(d.data),
        });
  }
}
