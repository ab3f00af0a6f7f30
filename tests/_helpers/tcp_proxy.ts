/**
 * A loopback TCP proxy that a test can cut and restore, to partition one process from a
 * service while others still reach it. `cut()` closes the listener and every proxied
 * connection (both sides see the connection end); `restore()` listens again on the same
 * port.
 * @module
 */

/** A running proxy; dispose to stop it. */
export class TcpProxy implements AsyncDisposable {
  readonly port: number;
  readonly #target: number;
  #listener: Deno.Listener | undefined;
  readonly #conns = new Set<Deno.Conn>();
  readonly #tasks = new Set<Promise<void>>();

  private constructor(port: number, target: number) {
    this.port = port;
    this.#target = target;
  }

  /** Proxies a fresh loopback port to 127.0.0.1:`target`. */
  static start(target: number): TcpProxy {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const proxy = new TcpProxy((listener.addr as Deno.NetAddr).port, target);
    proxy.#serve(listener);
    return proxy;
  }

  /** Drops every connection and stops listening. */
  async cut(): Promise<void> {
    this.#listener?.close();
    this.#listener = undefined;
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch {
        // closed already
      }
    }
    this.#conns.clear();
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  /** Listens again on the same port. */
  restore(): void {
    if (this.#listener !== undefined) return;
    this.#serve(Deno.listen({ hostname: "127.0.0.1", port: this.port }));
  }

  #serve(listener: Deno.Listener): void {
    this.#listener = listener;
    this.#track((async () => {
      for await (const client of listener) {
        this.#conns.add(client);
        this.#track(this.#pair(client));
      }
    })());
  }

  async #pair(client: Deno.Conn): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port: this.#target });
    } catch {
      client.close();
      return;
    }
    this.#conns.add(server);
    const pump = async (from: Deno.Conn, to: Deno.Conn) => {
      const buf = new Uint8Array(64 * 1024);
      try {
        while (true) {
          const n = await from.read(buf);
          if (n === null) break;
          let done = 0;
          while (done < n) done += await to.write(buf.subarray(done, n));
        }
      } catch {
        // cut, or the other side went away
      }
      for (const conn of [from, to]) {
        this.#conns.delete(conn);
        try {
          conn.close();
        } catch {
          // closed already
        }
      }
    };
    await Promise.all([pump(client, server), pump(server, client)]);
  }

  #track(task: Promise<void>): void {
    const tracked = task.catch(() => {}).finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cut();
  }
}
