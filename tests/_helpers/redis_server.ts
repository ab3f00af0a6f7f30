/**
 * A real `redis-server` (Debian package `redis-server`) on loopback for the shared-room
 * tests: no persistence, its own port (picked by binding port 0 and releasing it), ready
 * once it says so. It can be killed and started again on the same port.
 * @module
 */

import { type CliProcess, spawnPeer } from "./cli.ts";
import { requirePeer } from "./peers.ts";

/** A running redis-server; dispose to stop it. */
export class RedisServer implements AsyncDisposable {
  readonly port: number;
  readonly password: string | undefined;
  #process: CliProcess | undefined;

  private constructor(port: number, password: string | undefined) {
    this.port = port;
    this.password = password;
  }

  /**
   * Starts redis-server on a free loopback port and waits until it accepts connections;
   * with `password`, clients must AUTH.
   */
  static async start(options: { password?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(freePort(), options.password);
    await server.restart();
    return server;
  }

  /** `redis://127.0.0.1:PORT`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills it at once (SIGKILL: no goodbye to its clients) and waits for the exit. */
  async kill(): Promise<void> {
    const process = this.#process;
    this.#process = undefined;
    if (process === undefined) return;
    process.kill("SIGKILL");
    await process.exit();
    await process[Symbol.asyncDispose]();
  }

  /** Sends `signal` (SIGSTOP: it hangs without closing anything; SIGCONT: it goes on). */
  signal(signal: Deno.Signal): void {
    this.#process?.kill(signal);
  }

  /** Starts it (again) on the same port, empty, and waits until it is ready. */
  async restart(): Promise<void> {
    await this.kill();
    this.#process = spawnPeer([
      requirePeer("redis-server", "redis-server"),
      ...redisServerArgs(this.port, this.password),
    ]);
    await this.#process.waitForStdout(/Ready to accept connections/, 10_000);
  }

  /** Runs `redis-cli` with `args` against it; resolves to its output. */
  async cli(...args: string[]): Promise<string> {
    const auth = this.password !== undefined ? ["--no-auth-warning", "-a", this.password] : [];
    const out = await new Deno.Command(requirePeer("redis-cli", "redis-tools"), {
      args: ["-p", String(this.port), ...auth, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).trim();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
  }
}

/**
 * redis-server's arguments for a throw-away instance on 127.0.0.1:`port`: no persistence,
 * protected mode, `requirepass` when a password is given.
 */
export function redisServerArgs(port: number, password?: string): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--protected-mode",
    "yes",
    "--loglevel",
    "notice",
    ...(password !== undefined ? ["--requirepass", password] : []),
  ];
}

/** A TCP port that was free a moment ago on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
