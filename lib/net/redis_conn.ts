/**
 * One connection to a Redis server, RESP2 over TCP: logs in (AUTH) and picks the
 * database (SELECT), then runs commands pipelined — everything sent in one tick goes out
 * in one write, replies come back in order. No reconnecting here: when the connection
 * ends, every waiting command is rejected and `closed` settles; the owner decides.
 * @module
 */

import { concatBytes } from "../bytes.ts";
import { writeAll } from "../output/writer.ts";
import { connect } from "./tcp.ts";
import { encodeCommand, RespDecoder, RespError, type RespValue } from "./resp.ts";
import type { RedisAddress } from "./redis_url.ts";

/** Most bytes waiting to be written before the connection counts as stuck. */
const MAX_UNSENT_BYTES = 16 << 20;

interface Waiter {
  resolve(value: RespValue): void;
  reject(error: Error): void;
  /** When the reply is overdue (`Date.now()` clock). */
  due: number;
}

/** The connection ended for a reason of its own (closed, hung, not reading); says which. */
export class RedisConnError extends Error {
  override name = "RedisConnError";
}

/** Options of `RedisConn.open`. */
export interface RedisConnOptions {
  /**
   * A reply later than this (plus a blocking command's own wait) means Redis is hung or
   * unreachable: the connection fails with a `RedisConnError`. Also the connect
   * deadline (a `TimeoutError`). Default 5 s.
   */
  replyTimeoutMs?: number;
}

/** An open Redis connection. */
export class RedisConn {
  readonly #conn: Deno.Conn;
  readonly #replyTimeoutMs: number;
  readonly #watchdog: ReturnType<typeof setInterval>;
  readonly #decoder = new RespDecoder();
  readonly #waiters: Waiter[] = [];
  #head = 0;
  #unsent: Uint8Array[] = [];
  #unsentBytes = 0;
  #writing = false;
  #error: Error | undefined;
  readonly closed: Promise<Error>;
  #markClosed!: (error: Error) => void;

  private constructor(conn: Deno.Conn, replyTimeoutMs: number) {
    this.#conn = conn;
    this.#replyTimeoutMs = replyTimeoutMs;
    this.#watchdog = setInterval(() => {
      const oldest = this.#waiters[this.#head];
      if (oldest !== undefined && Date.now() > oldest.due) {
        this.#fail(new RedisConnError(`Redis did not answer within ${replyTimeoutMs} ms`));
      }
    }, Math.max(10, Math.min(1000, replyTimeoutMs / 4)));
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
    this.#read();
  }

  /**
   * Connects, then AUTH and SELECT as `address` says. Rejects with the connect error or
   * the server's reply error (`RespError`, e.g. code `WRONGPASS`).
   */
  static async open(address: RedisAddress, options: RedisConnOptions = {}): Promise<RedisConn> {
    const replyTimeoutMs = options.replyTimeoutMs ?? 5000;
    const conn = await connect(
      { transport: "tcp", host: address.hostname, port: address.port },
      { timeoutMs: replyTimeoutMs },
    );
    const redis = new RedisConn(conn, replyTimeoutMs);
    try {
      if (address.password !== undefined) {
        await redis.command(
          address.username !== undefined
            ? ["AUTH", address.username, address.password]
            : ["AUTH", address.password],
        );
      }
      if (address.db !== 0) await redis.command(["SELECT", address.db]);
      return redis;
    } catch (error) {
      redis.close();
      throw error;
    }
  }

  /** True once the connection ended (by either side). */
  get isClosed(): boolean {
    return this.#error !== undefined;
  }

  /** Commands sent whose reply has not come yet. */
  get pending(): number {
    return this.#waiters.length - this.#head;
  }

  /**
   * Sends one command; resolves to its reply, rejects with a `RespError` reply.
   * `waitMs` is how long the command itself may block (e.g. `XREAD BLOCK`).
   */
  command(args: readonly (string | number)[], waitMs = 0): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      if (this.#error !== undefined) {
        reject(this.#error);
        return;
      }
      this.#waiters.push({ resolve, reject, due: Date.now() + waitMs + this.#replyTimeoutMs });
      const bytes = encodeCommand(args);
      this.#unsent.push(bytes);
      this.#unsentBytes += bytes.length;
      if (this.#unsentBytes > MAX_UNSENT_BYTES) {
        this.#fail(new RedisConnError("Redis is not reading: too many unsent commands"));
        return;
      }
      if (!this.#writing) {
        this.#writing = true;
        queueMicrotask(() => this.#write());
      }
    });
  }

  /** Closes the connection; waiting commands are rejected. Idempotent. */
  close(): void {
    this.#fail(new RedisConnError("Redis connection closed"));
  }

  async #write(): Promise<void> {
    try {
      while (this.#unsent.length > 0 && this.#error === undefined) {
        const chunks = this.#unsent;
        this.#unsent = [];
        const bytes = concatBytes(chunks);
        await writeAll(this.#conn, bytes);
        this.#unsentBytes -= bytes.length;
      }
    } catch (error) {
      this.#fail(error as Error);
    } finally {
      this.#writing = false;
    }
  }

  async #read(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        for (const value of this.#decoder.push(buffer.subarray(0, n))) this.#reply(value);
      }
      this.#fail(new RedisConnError("Redis closed the connection"));
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #reply(value: RespValue): void {
    const waiter = this.#waiters[this.#head];
    if (waiter === undefined) {
      throw new SyntaxError("Redis sent a reply nobody asked for");
    }
    this.#waiters[this.#head++] = undefined as unknown as Waiter;
    if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters.splice(0, this.#head);
      this.#head = 0;
    }
    if (value instanceof RespError) waiter.reject(value);
    else waiter.resolve(value);
  }

  #fail(error: Error): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    clearInterval(this.#watchdog);
    try {
      this.#conn.close();
    } catch {
      // closed already
    }
    const waiters = this.#waiters.splice(this.#head);
    this.#head = 0;
    this.#waiters.length = 0;
    for (const waiter of waiters) waiter.reject(error);
    this.#markClosed(error);
  }
}
