/**
 * The idle-scale load generator: one Deno process opening many idle connections to a
 * chat server, in steps. For each COUNT it connects clients until COUNT are open (8 at a
 * time, each waiting for its first bytes — the greeting — before the next, so a server
 * with a short listen backlog drops no SYNs), keeps reading and discarding what the
 * server sends (joins of later clients), waits until nothing arrived for 300 ms, then
 * prints `{"connected":N,"ms":…}` (N: connections still open: one the server closed, e.g.
 * turned away, does not count) and waits for a line on stdin before the next step.
 * After the last step it waits for end of stdin, then closes everything.
 *
 * Run it with a raised file-descriptor limit (`ulimit -n`).
 *
 * With `web`, the clients are browser-like members instead: WebSockets to
 * `ws://127.0.0.1:PORT/chat` (PORT is then the `--web` port).
 *
 * Usage: deno run -A bench/load/idle_load.ts PORT COUNT[,COUNT…] [tcp|web]
 * @module
 */

const [portArg, countsArg = "1000", kind = "tcp"] = Deno.args;
const port = Number(portArg);
const counts = countsArg.split(",").map(Number);
if (!(port > 0) || counts.some((n) => !(n >= 0)) || (kind !== "tcp" && kind !== "web")) {
  console.error("usage: idle_load.ts PORT COUNT[,COUNT…] [tcp|web]");
  Deno.exit(2);
}

const WORKERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const conns: { close(): void }[] = [];
const readers: Promise<void>[] = [];
let received = 0;
let opening = 0;
/** Connections the server closed (turned away, dropped): not counted as connected. */
let ended = 0;

/** Reads and discards until the connection ends; `greeted` resolves on the first bytes. */
function drain(conn: Deno.TcpConn, greeted: () => void): Promise<void> {
  return (async () => {
    const buf = new Uint8Array(16 * 1024);
    let first = true;
    try {
      while (true) {
        const n = await conn.read(buf);
        if (n === null) break;
        received += n;
        if (first) {
          first = false;
          greeted();
        }
      }
    } catch {
      // closed at the end
    }
    ended++;
    if (first) greeted();
  })();
}

/** A WebSocket member that counts what it receives; `greeted` on the first frame. */
function webMember(greeted: () => void): WebSocket {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`);
  socket.onmessage = (event) => {
    received += String(event.data).length;
    greeted();
  };
  socket.onerror = () => greeted();
  socket.onclose = () => ended++;
  return socket;
}

async function connectUpTo(count: number): Promise<void> {
  const worker = async () => {
    while (opening < count) {
      opening++;
      let greeted!: () => void;
      const greeting = new Promise<void>((resolve) => (greeted = resolve));
      if (kind === "web") {
        conns.push(webMember(greeted));
      } else {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        conns.push(conn);
        readers.push(drain(conn, greeted));
      }
      await Promise.race([greeting, sleep(5000)]);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

/** Waits until nothing arrived for `quietMs` (at most `maxMs`). */
async function settle(quietMs: number, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  let last = -1;
  let since = performance.now();
  while (performance.now() < until) {
    if (received !== last) {
      last = received;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return;
    await sleep(25);
  }
}

const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
async function nextLine(): Promise<boolean> {
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await stdin.read();
    if (done) return false;
    text += value;
  }
  return true;
}

for (const count of counts) {
  const t0 = performance.now();
  await connectUpTo(count);
  await settle(300, 60_000);
  const connected = conns.length - ended;
  console.log(JSON.stringify({ connected, received, ms: performance.now() - t0 }));
  if (!await nextLine()) break;
}
for (const conn of conns) {
  try {
    conn.close();
  } catch {
    // closed
  }
}
Deno.exit(0);
