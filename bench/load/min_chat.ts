/**
 * The floor of a chat server on Deno, a reference row of the bench's chat fan-out case:
 * the least a Deno program does to relay a room. Each read from a client becomes one
 * buffer, every line prefixed `<userN> ` (as sockchat does), written once to every other
 * client. No limits, no sanitising, no bounded queues (a client that never reads grows its
 * queue without end), no greeting beyond one line: not a server anyone should run, only
 * the speed Deno itself allows.
 *
 * Usage: deno run -A bench/load/min_chat.ts PORT
 * @module
 */

const port = Number(Deno.args[0]);
const listener = Deno.listen({ hostname: "127.0.0.1", port });
const encoder = new TextEncoder();
const NEWLINE = 10;

interface Peer {
  conn: Deno.Conn;
  /** The write chain: each write starts when the one before it finished (never rejects). */
  tail: Promise<unknown>;
}

const peers = new Set<Peer>();
let next = 0;

/** `chunk` (complete lines) with `prefix` in front of every line. */
function prefixLines(prefix: Uint8Array, chunk: Uint8Array): Uint8Array {
  let lines = 0;
  for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
  const out = new Uint8Array(chunk.length + lines * prefix.length);
  let start = 0;
  let at = 0;
  while (start < chunk.length) {
    const nl = chunk.indexOf(NEWLINE, start);
    const end = nl < 0 ? chunk.length : nl + 1;
    out.set(prefix, at);
    out.set(chunk.subarray(start, end), at + prefix.length);
    at += prefix.length + end - start;
    start = end;
  }
  return out.subarray(0, at);
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await conn.write(data.subarray(offset));
}

async function serve(peer: Peer, prefix: Uint8Array): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  let carry = new Uint8Array(0);
  try {
    while (true) {
      const n = await peer.conn.read(buf);
      if (n === null) break;
      const data = carry.length > 0 ? concat(carry, buf.subarray(0, n)) : buf.subarray(0, n);
      const last = data.lastIndexOf(NEWLINE);
      carry = data.slice(last + 1);
      if (last < 0) continue;
      const out = prefixLines(prefix, data.subarray(0, last + 1));
      for (const other of peers) {
        if (other !== peer) {
          other.tail = other.tail.then(() => writeAll(other.conn, out)).catch(() => {});
        }
      }
    }
  } catch {
    // reset
  }
  peers.delete(peer);
  await peer.tail.catch(() => {});
  try {
    peer.conn.close();
  } catch {
    // closed
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

while (true) {
  let conn: Deno.Conn;
  try {
    conn = await listener.accept();
  } catch {
    continue; // a peer reset before we took it (Deno reports it as a failed accept)
  }
  const id = ++next;
  const peer: Peer = { conn, tail: Promise.resolve() };
  peers.add(peer);
  peer.tail = writeAll(conn, encoder.encode(`* you are user${id}\n`)).catch(() => {});
  serve(peer, encoder.encode(`<user${id}> `));
}
