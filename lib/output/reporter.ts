/**
 * The reporter: the one way commands tell the world what happened. With `--json` every
 * event is one NDJSON line on stdout; otherwise events become human lines on stderr,
 * filtered by verbosity. Network data never goes through here.
 * @module
 */

import type { Colors } from "./color.ts";
import { eventLine } from "./event_line.ts";
import type { SockchatEvent } from "./events.ts";
import { formatEventText, type Level } from "./text_format.ts";
import type { OrderedWriter } from "./writer.ts";

/** How chatty the human output is. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** What a reporter writes to. */
export interface ReporterOptions {
  json: boolean;
  verbosity: Verbosity;
  colors: Colors;
  /** stdout, shared with the data written by commands so that order is kept. */
  stdout: OrderedWriter;
  /** Writes one complete line (without newline) to stderr. */
  stderrLine: (line: string) => void;
  now?: () => Date;
}

const encoder = new TextEncoder();

/** Emits events and diagnostics. */
export class Reporter {
  readonly json: boolean;
  readonly verbosity: Verbosity;
  readonly colors: Colors;
  readonly stdout: OrderedWriter;
  #stderrLine: (line: string) => void;
  #diverted: ((line: string) => void) | undefined;
  #now: () => Date;

  constructor(options: ReporterOptions) {
    this.json = options.json;
    this.verbosity = options.verbosity;
    this.colors = options.colors;
    this.stdout = options.stdout;
    this.#stderrLine = options.stderrLine;
    this.#now = options.now ?? (() => new Date());
  }

  /** Reports an event: an NDJSON line in JSON mode, else its human line if it has one. */
  emit(event: SockchatEvent): void {
    if (this.json) {
      this.stdout.enqueue(encoder.encode(eventLine(event, this.#now())));
      return;
    }
    const text = formatEventText(event, this.colors);
    if (text !== null) this.#human(text.level, text.line);
  }

  /** A human line shown unless `--quiet`. Goes to stderr in every mode. */
  info(line: string): void {
    this.#human("normal", line);
  }

  /** A human line shown only with `--verbose`. */
  debug(line: string): void {
    this.#human("verbose", line);
  }

  /** A warning: on stderr always, and as a `warning` event in JSON mode. */
  warn(message: string): void {
    if (this.json) this.emit({ type: "warning", message });
    this.#human("warn", this.colors.yellow(`sockchat: warning: ${message}`));
  }

  /** The final error: one line on stderr, and an `error` event in JSON mode. */
  error(message: string, exitCode: number): void {
    if (this.json) this.emit({ type: "error", message, exitCode });
    this.#line(this.colors.red(`sockchat: ${message}`));
  }

  /**
   * While set, the lines meant for stderr go to `writer` instead (the chat server's
   * console prints them above its prompt, when stderr is that terminal); `undefined`
   * ends that.
   */
  divert(writer: ((line: string) => void) | undefined): void {
    this.#diverted = writer;
  }

  #human(level: Level, line: string): void {
    if (level === "verbose" && this.verbosity !== "verbose") return;
    if (level === "normal" && this.verbosity === "quiet") return;
    this.#line(line);
  }

  #line(line: string): void {
    (this.#diverted ?? this.#stderrLine)(line);
  }
}
