/**
 * Delivery checks with real processes: a sockchat pipe server and client moving a file one
 * way while the test plays the receiving program on the receiver's stdout (reading slowly,
 * stopping the receiver with SIGSTOP, or killing it). Everything is bounded and every
 * process is killed at the end.
 * @module
 */

import { RELAY_BUFFER_BYTES } from "../../lib/relay/relay.ts";
import assert from "node:assert/strict";
import { randomBytes, sha256 } from "./bytes.ts";
import { concat, sockchatArgv } from "./cli.ts";
import { deadlineFor, within } from "./wait.ts";

/** How the two sides reach each other. */
export type Transport = "tcp" | "unix" | "tls";

/** Which way the data goes: client → server (`up`) or server → client (`down`). */
export type Way = "up" | "down";

/** What the receiving side's reader does. */
export type Receiver = "slow-reader" | "stopped" | "killed";

function quote(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A sockchat whose stdin is a file and whose stdout the test reads at its own pace. */
export class PipeProc implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  #stderr = "";
  readonly #stderrDone: Promise<void>;
  #exited = false;
  readonly status: Promise<Deno.CommandStatus>;

  constructor(args: string[], stdinPath: string) {
    const script = `exec ${sockchatArgv(args).map(quote).join(" ")} < ${quote(stdinPath)}`;
    const child = new Deno.Command("bash", {
      args: ["-c", script],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    this.child = child;
    this.status = child.status.then((status) => {
      this.#exited = true;
      return status;
    });
    this.#stderrDone = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of child.stderr) {
        this.#stderr += decoder.decode(chunk, { stream: true });
      }
    })();
  }

  /** stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** stderr without the readiness line and the `--insecure` warning. */
  get problems(): string {
    return this.#stderr.split("\n").filter((line) =>
      line !== "" && !line.startsWith("listening on ")
    ).join("\n");
  }

  /** Waits (bounded) for stderr to match `pattern`. */
  async waitForStderr(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    using timer = deadlineFor(ms);
    while (true) {
      const match = this.#stderr.match(pattern);
      if (match) return match;
      if (this.#exited) {
        await this.#stderrDone;
        const last = this.#stderr.match(pattern);
        if (last) return last;
        throw new Error(`exited before ${pattern}; stderr: ${this.#stderr}`);
      }
      const tick = new Promise((resolve) => setTimeout(resolve, 20));
      if (await timer.race(tick) === "timeout") {
        throw new Error(`timed out waiting for ${pattern}; stderr: ${this.#stderr}`);
      }
    }
  }

  /** Exit code (bounded), stderr fully collected. */
  async exit(ms = 20_000): Promise<number> {
    const status = await within(this.status, ms, `exit; stderr: ${this.#stderr}`);
    await within(this.#stderrDone, ms, "stderr");
    return status.code;
  }

  signal(signal: Deno.Signal): void {
    if (this.#exited) return;
    try {
      this.child.kill(signal);
    } catch {
      // exited meanwhile
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.signal("SIGCONT");
    this.signal("SIGKILL");
    await this.status;
    await this.child.stdout.cancel().catch(() => {});
    await this.#stderrDone.catch(() => {});
  }
}

/** Reads `stream` to its end, calling `onBytes` with the running total after each chunk. */
export async function readStream(
  stream: ReadableStream<Uint8Array>,
  onBytes: (total: number) => Promise<boolean | void> = async () => {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if ((await onBytes(total)) === false) break;
    }
  } finally {
    reader.releaseLock();
  }
  return concat(chunks);
}

/** A started pipe server and the client arguments that reach it. */
export interface StartedServer {
  server: PipeProc;
  clientArgs: string[];
}

/** Starts `server --mode pipe` over `transport` with `stdinPath` as its stdin. */
export async function startPipeServer(
  transport: Transport,
  dir: string,
  stdinPath: string,
  extra: string[] = [],
): Promise<StartedServer> {
  const where = transport === "unix"
    ? ["--unix", `${dir}/pipe.sock`]
    : ["--port", "0", ...(transport === "tls" ? ["--tls"] : [])];
  const server = new PipeProc(["server", "--mode", "pipe", ...where, ...extra], stdinPath);
  if (transport === "unix") {
    await server.waitForStderr(/listening on unix:/);
    return { server, clientArgs: ["--unix", `${dir}/pipe.sock`] };
  }
  const match = await server.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+)(?: \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\))?/,
  );
  const tls = transport === "tls" ? ["--fingerprint", match[2]!] : [];
  return { server, clientArgs: [...tls, "127.0.0.1", match[1]!] };
}

/** The one line a sender prints when its peer went away mid-transfer. */
export const SENDER_CUT_LINE =
  /^sockchat: Connection to "[^"]+": connection (?:reset|closed) by peer after ([\d,]+) bytes sent \(stdin not finished\)$/;

/**
 * Moves `size` random bytes one `way` over `transport` while the receiver's stdout is read
 * as `receiver` says, and checks what a user would: the bytes (sha256), both exit codes,
 * and the one line on stderr when the receiver was killed.
 */
export async function checkDelivery(
  transport: Transport,
  way: Way,
  receiver: Receiver,
  // A killed receiver needs more than the kernel's buffers hold (~10 MiB on loopback), or
  // the sender may rightly have finished before the kill.
  size = receiver === "killed" ? 32 << 20 : 8 << 20,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-delivery-" });
  try {
    const data = randomBytes(size);
    const file = `${dir}/data.bin`;
    await Deno.writeFile(file, data);
    const { server, clientArgs } = await startPipeServer(
      transport,
      dir,
      way === "up" ? "/dev/null" : file,
    );
    await using _server = server;
    await using client = new PipeProc(["client", ...clientArgs], way === "up" ? file : "/dev/null");
    const [sender, receiving] = way === "up" ? [client, server] : [server, client];
    const stepBytes = 1 << 20;
    let next = stepBytes;
    const received = await within(
      readStream(receiving.child.stdout, async (total) => {
        if (total < next) return;
        next += stepBytes * 2;
        if (receiver === "slow-reader") await new Promise((r) => setTimeout(r, 600));
        if (receiver === "stopped" && next === stepBytes * 3) {
          receiving.signal("SIGSTOP");
          await new Promise((r) => setTimeout(r, 2000));
          receiving.signal("SIGCONT");
        }
        if (receiver === "killed") {
          receiving.signal("SIGKILL");
          return false;
        }
      }),
      30_000,
      `the transfer (${transport} ${way} ${receiver}); sender: ${sender.stderr}; receiver: ${receiving.stderr}`,
    );
    const what = `${transport} ${way} ${receiver}`;
    if (receiver === "killed") {
      assert.equal(await sender.exit(), 1, `${what}: the sender must fail: ${sender.stderr}`);
      const lines = sender.problems.split("\n");
      assert.equal(lines.length, 1, `${what}: one line: ${sender.stderr}`);
      const match = lines[0]!.match(SENDER_CUT_LINE);
      assert.ok(match, `${what}: the line says what happened: ${sender.stderr}`);
      const sent = Number(match[1]!.replaceAll(",", ""));
      // Every byte that arrived was accepted by the sender's kernel first, and over TCP
      // and Unix sockets "sent" counts exactly what the kernel accepted (each part of a
      // partial write): it can never be less than what arrived. node:tls (the TLS rows)
      // cannot say how much of a chunk it was writing when the peer died went out, so
      // there the chunk in flight, at most one relay buffer, may have arrived uncounted.
      const slack = transport === "tls" ? RELAY_BUFFER_BYTES : 0;
      assert.ok(
        sent >= received.length - slack && sent < size,
        `${what}: ${sent} bytes sent, ${received.length} received`,
      );
      return;
    }
    assert.equal(received.length, size, `${what}: every byte arrived`);
    assert.equal(sha256(received), sha256(data), `${what}: byte-exact`);
    assert.equal(await receiving.exit(), 0, `${what}: receiver: ${receiving.stderr}`);
    assert.equal(await sender.exit(), 0, `${what}: sender: ${sender.stderr}`);
    assert.equal(sender.problems, "", `${what}: sender is quiet`);
    assert.equal(receiving.problems, "", `${what}: receiver is quiet`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Registers the delivery checks for one transport: a slow reader, a receiver stopped with
 * SIGSTOP for 2 s and a receiver killed mid-transfer, client → server and server → client.
 */
export function defineDeliveryTests(transport: Transport): void {
  const receivers: Receiver[] = ["slow-reader", "stopped", "killed"];
  for (const receiver of receivers) {
    for (const way of ["up", "down"] as Way[]) {
      const direction = way === "up" ? "client → server" : "server → client";
      const outcome = receiver === "killed"
        ? "the sender exits 1 with one line"
        : "every byte arrives, exit 0";
      Deno.test(`${transport.toUpperCase()} ${direction}, ${receiver}: ${outcome}`, async () => {
        await checkDelivery(transport, way, receiver);
      });
    }
  }
}
