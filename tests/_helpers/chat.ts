/**
 * Chat participants for end-to-end tests: a raw TCP socket that records what it
 * receives, and a Python client that behaves like the classic socket tutorial.
 * @module
 */

import { concat } from "./cli.ts";
import { requirePeer } from "./peers.ts";
import { deadlineFor } from "./wait.ts";

/** A raw socket in the chat that records everything it receives. */
export class ChatPeer implements AsyncDisposable {
  readonly conn: Deno.TcpConn;
  #chunks: Uint8Array[] = [];
  #decoder = new TextDecoder();
  #text = "";
  #waiters: (() => void)[] = [];
  #reading: Promise<void>;
  #ended = false;
  #closed = false;

  private constructor(conn: Deno.TcpConn, read: boolean) {
    this.conn = conn;
    this.#reading = read ? this.#read() : Promise.resolve();
  }

  /** Connects; with `read: false` it never reads (a client that stops reading). */
  static async connect(port: number, options: { host?: string; read?: boolean } = {}) {
    const conn = await Deno.connect({ hostname: options.host ?? "127.0.0.1", port });
    return new ChatPeer(conn, options.read ?? true);
  }

  async #read(): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.conn.read(buf);
        if (n === null) break;
        this.#chunks.push(buf.slice(0, n));
        this.#text += this.#decoder.decode(buf.subarray(0, n), { stream: true });
        this.#wake();
      }
    } catch {
      // reset or closed by us
    }
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Every byte received so far. */
  get bytes(): Uint8Array {
    if (this.#chunks.length > 1) this.#chunks = [concat(this.#chunks)];
    return this.#chunks[0] ?? new Uint8Array(0);
  }

  /** What was received, as (lossy) text. */
  get text(): string {
    return this.#text;
  }

  /** Complete received lines. */
  get lines(): string[] {
    const lines = this.text.split("\n");
    lines.pop();
    return lines;
  }

  /** True once the server closed the connection. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Sends text or bytes. */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
  }

  /** Waits until the received text matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return this.#until(() => this.text.match(pattern), `text matching ${pattern}`, timeoutMs);
  }

  /** Waits until the server closes the connection. */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    await this.#until(() => this.#ended, "the end of the connection", timeoutMs);
  }

  async #until<T>(check: () => T | null | false, what: string, timeoutMs: number): Promise<T> {
    using timer = deadlineFor(timeoutMs);
    while (true) {
      const value = check();
      if (value !== null && value !== false) return value;
      if (this.#ended) throw new Error(`Connection ended before ${what}. Got: ${this.text}`);
      const woke = new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (await timer.race(woke) === "timeout") {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Got: ${this.text}`);
      }
    }
  }

  /** Closes the socket (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // closed already
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.#reading;
  }
}

/** A running `python3 -c SCRIPT ARGS…` with its output collected. */
export class PythonPeer implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly output: Promise<Deno.CommandOutput>;

  constructor(script: string, args: string[]) {
    this.child = new Deno.Command(requirePeer("python3"), {
      args: ["-c", script, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.output = this.child.output();
  }

  /** Waits for exit (bounded) and returns stdout as text and the exit code. */
  async result(timeoutMs = 10_000): Promise<{ code: number; stdout: string; stderr: string }> {
    using timer = deadlineFor(timeoutMs);
    const out = await timer.race(this.output);
    if (out === "timeout") throw new Error(`python3 did not exit within ${timeoutMs} ms`);
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  }

  kill(signal: Deno.Signal = "SIGKILL"): void {
    try {
      this.child.kill(signal);
    } catch {
      // exited already
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.kill();
    await this.output;
  }
}

/**
 * The classic socket-tutorial client: connect, read the greeting, `send()` the message
 * WITHOUT a newline, then block in `recv()` until a reply comes; prints what it got.
 */
export const TUTORIAL_CLIENT = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(("127.0.0.1", int(sys.argv[1])))
greeting = b""
while b"welcome" not in greeting:
    greeting += s.recv(1024)
print("GREETING", greeting.decode().strip(), flush=True)
s.send(sys.argv[2].encode())
reply = s.recv(1024)
print("REPLY", reply.decode().strip(), flush=True)
s.close()
`;

/** Connects, then closes with SO_LINGER 0: the server sees a connection reset. */
export const RESET_CLIENT = `
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
data = b""
while b"welcome" not in data:
    data += s.recv(1024)
s.sendall(b"about to reset\\n")
time.sleep(0.2)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
print("RESET", flush=True)
`;

/** Connects from source address argv[2], reads until the server closes, prints the count. */
export const FROM_SOURCE_CLIENT = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.bind((sys.argv[2], 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk or b"welcome" in data + chunk:
        data += chunk
        break
    data += chunk
print("received", len(data), "bytes", flush=True)
s.close()
`;
