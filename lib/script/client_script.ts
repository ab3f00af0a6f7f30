/**
 * Scripting for `sockchat client`: `--send`/`--send-file` replace stdin, `--expect`
 * checks what comes back. It composes around the client's relay: a scripted local
 * endpoint, an expect-matching output, an abort signal that fires once every pattern has
 * matched, and the exit rules (0 matched, 3 peer closed first, 124 timed out).
 * @module
 */

import { ExpectError, TimeoutError, UsageError } from "../errors.ts";
import type { Endpoint } from "../net/endpoint.ts";
import { type FileSource, openFileSource } from "../net/file_source.ts";
import type { Reporter } from "../output/reporter.ts";
import { expectEndpoint } from "./expect_endpoint.ts";
import { ExpectMatcher } from "./expect_matcher.ts";
import { emitClosed, finishPeerRelay, type PeerRelay } from "../relay/relay_exit.ts";
import { scriptEndpoint, type ScriptPart } from "./script_endpoint.ts";

/** One `--send` (already decoded) or `--send-file`, in command-line order. */
export type SendItem = { kind: "bytes"; data: Uint8Array } | { kind: "file"; path: string };

/** The scripting options of `sockchat client`. */
export interface ScriptOptions {
  /** What to send instead of stdin; empty means stdin as usual. */
  sends: SendItem[];
  /** No half-close after the last send. */
  keepOpen: boolean;
  /** Patterns to see, in order. */
  expects: RegExp[];
}

/** Marks the end of a run because every pattern matched. */
class ExpectSatisfied extends Error {
  override name = "ExpectSatisfied";
}

/** A scripted client run: files opened, signal armed. Dispose to close the files. */
export class ClientScript implements Disposable {
  readonly #options: ScriptOptions;
  readonly #files: FileSource[];
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal;
  readonly #onParent = () => this.#controller.abort(this.#parent.reason);
  #matcher: ExpectMatcher;

  private constructor(options: ScriptOptions, files: FileSource[], parent: AbortSignal) {
    this.#options = options;
    this.#files = files;
    this.#parent = parent;
    this.#matcher = new ExpectMatcher(options.expects);
    if (parent.aborted) this.#onParent();
    else parent.addEventListener("abort", this.#onParent, { once: true });
  }

  /**
   * Opens every `--send-file` (before anything connects: an unreadable file is a usage
   * error). Resolves to `undefined` when there is nothing to script.
   */
  static async open(
    options: ScriptOptions | undefined,
    parent: AbortSignal,
  ): Promise<ClientScript | undefined> {
    if (options === undefined) return undefined;
    if (options.sends.length === 0 && options.expects.length === 0) return undefined;
    const files: FileSource[] = [];
    try {
      for (const item of options.sends) {
        if (item.kind !== "file") continue;
        try {
          files.push(await openFileSource(item.path));
        } catch (error) {
          throw new UsageError(
            `Cannot read --send-file "${item.path}": ${(error as Error).message}`,
          );
        }
      }
    } catch (error) {
      for (const file of files) file[Symbol.dispose]();
      throw error;
    }
    return new ClientScript(options, files, parent);
  }

  /** True when `--send`/`--send-file` replace stdin. */
  get sends(): boolean {
    return this.#options.sends.length > 0;
  }

  /** Aborts like the parent signal, and also once every `--expect` pattern has matched. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The local endpoint for the relay, built around the plain stdio one. */
  local(output: Endpoint, reporter: Reporter, peer: string): Endpoint {
    const matched = this.#options.expects.length === 0 ? output : expectEndpoint(
      output,
      this.#matcher,
      {
        onMatch: (match) => reporter.emit({ type: "matched", peer, ...match }),
        onDone: () => this.#controller.abort(new ExpectSatisfied("Every --expect matched")),
      },
    );
    if (this.#options.sends.length === 0) return matched;
    let file = 0;
    const parts: ScriptPart[] = this.#options.sends.map((item) =>
      item.kind === "bytes" ? item.data : this.#files[file++]!
    );
    return scriptEndpoint({ parts, keepOpen: this.#options.keepOpen, output: matched });
  }

  /** Reports `closed` and returns the exit code, or throws what the run ended with. */
  finish(reporter: Reporter, run: PeerRelay): number {
    const { result, peer } = run;
    if (result.reason === "aborted" && result.error instanceof ExpectSatisfied) {
      emitClosed(reporter, run, "matched");
      return 0;
    }
    const pending = this.#matcher.pending;
    let code: number;
    try {
      code = finishPeerRelay(reporter, run);
    } catch (error) {
      if (pending !== undefined && error instanceof TimeoutError) {
        throw new TimeoutError(`${error.message} waiting for ${this.#describe(pending)}`);
      }
      if (pending !== undefined && error instanceof Deno.errors.ConnectionReset) {
        // The peer hung up (abruptly): for a check, that is the same failure as a close.
        throw new ExpectError(
          `No match for ${this.#describe(pending)} from "${peer}": the connection was reset first`,
        );
      }
      throw error;
    }
    if (pending === undefined) return code;
    throw new ExpectError(
      `No match for ${this.#describe(pending)} from "${peer}": the connection closed first`,
    );
  }

  #describe(pending: { index: number; pattern: string }): string {
    const total = this.#options.expects.length;
    const which = total > 1 ? ` (${pending.index + 1} of ${total})` : "";
    return `--expect "${pending.pattern}"${which}`;
  }

  [Symbol.dispose](): void {
    this.#parent.removeEventListener("abort", this.#onParent);
    for (const file of this.#files) file[Symbol.dispose]();
  }
}
