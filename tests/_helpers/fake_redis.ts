/**
 * A tiny Redis-like TCP service for recipe tests: inline commands, one per CRLF line
 * (`PING`, `SET k v`, `GET k`, `INFO`), answered in RESP. It listens on 127.0.0.1 port 0.
 * `mode: "error"` answers every command with `-ERR` and closes; `mode: "silent"` never answers and never closes.
 * @module
 */

/** How the fake behaves. */
export type FakeRedisMode = "normal" | "error" | "silent";

/** A running fake service; dispose to stop it and close every connection. */
export interface FakeRedis extends AsyncDisposable {
  port: number;
  /** Every command line received, in order. */
  commands: string[];
}

const encoder = new TextEncoder();

/** Starts the fake service. */
export function fakeRedis(mode: FakeRedisMode = "normal"): FakeRedis {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const sessions = new Set<Promise<void>>();
  const commands: string[] = [];
  const store = new Map<string, string>();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const session = serve(conn, mode, commands, store, stopped).catch(() => {}).finally(() => {
        conns.delete(conn);
        sessions.delete(session);
        try {
          conn.close();
        } catch {
          // closed already
        }
      });
      sessions.add(session);
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    commands,
    async [Symbol.asyncDispose]() {
      stop();
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // closed already
        }
      }
      await accepting;
      await Promise.allSettled([...sessions]);
    },
  };
}

async function serve(
  conn: Deno.Conn,
  mode: FakeRedisMode,
  commands: string[],
  store: Map<string, string>,
  stopped: Promise<void>,
): Promise<void> {
  const decoder = new TextDecoder();
  const buf = new Uint8Array(4096);
  let pending = "";
  while (true) {
    const n = await conn.read(buf);
    if (n === null) {
      // A hung service: it neither answers nor closes, even after the client's FIN.
      if (mode === "silent") await stopped;
      return;
    }
    pending += decoder.decode(buf.subarray(0, n), { stream: true });
    let end: number;
    while ((end = pending.indexOf("\r\n")) !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      commands.push(line);
      if (mode === "silent") continue;
      if (mode === "error") {
        await conn.write(encoder.encode("-ERR unknown command\r\n"));
        return;
      }
      await conn.write(encoder.encode(answer(line, store)));
    }
  }
}

function answer(line: string, store: Map<string, string>): string {
  const [command = "", ...args] = line.split(" ");
  switch (command.toUpperCase()) {
    case "PING":
      return "+PONG\r\n";
    case "SET":
      store.set(args[0] ?? "", args.slice(1).join(" "));
      return "+OK\r\n";
    case "GET": {
      const value = store.get(args[0] ?? "");
      return value === undefined ? "$-1\r\n" : bulk(value);
    }
    case "INFO":
      return bulk("# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n");
    default:
      return `-ERR unknown command '${command}'\r\n`;
  }
}

function bulk(text: string): string {
  return `$${encoder.encode(text).length}\r\n${text}\r\n`;
}
