/**
 * A browser's WebSocket as a chat connection, so that the chat server treats a web
 * member exactly like a TCP one (same line reader, same bounded outbox).
 *
 * - In: every text frame is one line (`"\n"` is added); a frame longer than the line cap
 *   is refused (close 1009), a binary frame too (close 1003). WebSocket messages arrive as
 *   events, without the back-pressure a TCP socket has, so unread input is bounded too: a
 *   peer that sends faster than the room takes its lines is closed (1008).
 * - Out: each write (whole lines, as the outbox batches them) is one text frame. A write
 *   resolves once the socket's send buffer is below a high-water mark, so a browser that
 *   stops reading makes writes wait and the outbox fill up and drop it, as for TCP.
 * - `closeWrite` sends the close frame (a WebSocket has no half-close: the peer answers
 *   with its own close, which ends reading); `close` closes at once.
 * @module
 */

import type { Endpoint } from "../net/endpoint.ts";

/** Close codes (RFC 6455, section 7.4.1). */
export const CLOSE_NORMAL = 1000;
export const CLOSE_UNSUPPORTED = 1003;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;

/** Above this many unsent bytes in the socket, a write waits. */
const HIGH_WATER_BYTES = 64 * 1024;
/** How often a waiting write looks at the send buffer again. */
const DRAIN_POLL_MS = 10;

const encoder = new TextEncoder();

/** We closed a WebSocket member for what it sent (too long, binary, too fast). */
export class WebSocketRefused extends Error {
  override name = "WebSocketRefused";
  /** The close code we sent. */
  readonly code: number;
  constructor(code: number, reason: string) {
    super(`WebSocket closed (${code}: ${reason})`);
    this.code = code;
  }
}

/** Options of `WebSocketEndpoint`. */
export interface WebSocketEndpointOptions {
  /** Longest frame, in UTF-8 bytes (`--max-line`). */
  maxFrameBytes: number;
  /** Most received bytes not read yet; defaults to four frames or 1 MiB, the larger. */
  maxUnreadBytes?: number;
}

/** A server-side WebSocket as a byte channel of lines. */
export class WebSocketEndpoint implements Endpoint {
  readonly name: string;
  readonly #socket: WebSocket;
  readonly #maxFrameBytes: number;
  readonly #maxUnreadBytes: number;
  readonly #decoder = new TextDecoder();
  #chunks: Uint8Array[] = [];
  #unreadBytes = 0;
  /** Set once no more input will come: `null` for a clean end, or the error to throw. */
  #end: Error | null | undefined = undefined;
  #wake: (() => void) | null = null;
  #closed = false;

  /** Wraps an open (or opening) server-side `socket` from `Deno.upgradeWebSocket`. */
  constructor(socket: WebSocket, name: string, options: WebSocketEndpointOptions) {
    this.#socket = socket;
    this.name = name;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#maxUnreadBytes = options.maxUnreadBytes ??
      Math.max(1 << 20, 4 * (options.maxFrameBytes + 1));
    socket.addEventListener("message", (event) => this.#receive(event.data));
    socket.addEventListener("close", (event) => {
      // Without a close frame (1006) the peer vanished: a reset, as for TCP.
      const clean = event.wasClean && event.code !== 1006;
      this.#finish(
        clean ? null : new Deno.errors.ConnectionReset(`WebSocket lost (${event.code})`),
      );
    });
  }

  #receive(data: unknown): void {
    if (this.#end !== undefined) return;
    if (typeof data !== "string") {
      this.#refuse(CLOSE_UNSUPPORTED, "text frames only");
      return;
    }
    const bytes = encoder.encode(data + "\n");
    if (bytes.length - 1 > this.#maxFrameBytes) {
      this.#refuse(CLOSE_TOO_BIG, `line longer than ${this.#maxFrameBytes} bytes`);
      return;
    }
    if (this.#unreadBytes + bytes.length > this.#maxUnreadBytes) {
      this.#refuse(CLOSE_POLICY, "sending faster than the room reads");
      return;
    }
    this.#chunks.push(bytes);
    this.#unreadBytes += bytes.length;
    this.#wakeReader();
  }

  /** Closes with `code` and ends reading with an error that says why. */
  #refuse(code: number, reason: string): void {
    this.#finish(new WebSocketRefused(code, reason));
    this.#closeSocket(code, reason);
  }

  #finish(end: Error | null): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Reads received lines into `buf`; `null` after a clean close. */
  async read(buf: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#end !== undefined) {
        if (this.#end === null) return null;
        throw this.#end;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    const chunk = this.#chunks[0]!;
    const n = Math.min(buf.length, chunk.length);
    buf.set(chunk.subarray(0, n));
    if (n === chunk.length) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(n);
    this.#unreadBytes -= n;
    return n;
  }

  /**
   * Sends `data` (whole UTF-8 lines) as one text frame, then waits while the socket holds
   * more than the high-water mark. Rejects with `BrokenPipe` once the socket is closed.
   */
  async write(data: Uint8Array): Promise<void> {
    this.#checkOpen();
    this.#socket.send(this.#decoder.decode(data, { stream: true }));
    while (this.#socket.bufferedAmount > HIGH_WATER_BYTES) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      this.#checkOpen();
    }
  }

  #checkOpen(): void {
    if (this.#closed || this.#socket.readyState !== WebSocket.OPEN) {
      throw new Deno.errors.BrokenPipe("WebSocket is closed");
    }
  }

  /** Sends the close frame; reading ends when the peer answers. Idempotent. */
  closeWrite(): Promise<void> {
    this.#closeSocket(CLOSE_NORMAL, "");
    return Promise.resolve();
  }

  /** Closes at once; a pending read ends. Idempotent. */
  close(): void {
    this.#closeSocket(CLOSE_NORMAL, "");
    this.#closed = true;
    this.#finish(null);
  }

  #closeSocket(code: number, reason: string): void {
    const state = this.#socket.readyState;
    if (state === WebSocket.CLOSING || state === WebSocket.CLOSED) return;
    try {
      this.#socket.close(code, reason);
    } catch {
      // not open yet or already gone: nothing left to close
    }
  }
}
