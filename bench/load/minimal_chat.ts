/**
 * The yardstick for the memory soak: the smallest honest Deno chat server. Greets each
 * client, reads lines and sends each to everyone else; no limits, no nicknames, no
 * output. Prints `listening on 127.0.0.1:PORT` on stderr once bound.
 *
 * Usage: deno run -A bench/load/minimal_chat.ts [PORT=0]
 * @module
 */

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(Deno.args[0] ?? 0) });
console.error(`listening on 127.0.0.1:${(listener.addr as Deno.NetAddr).port}`);
const clients = new Set<Deno.Conn>();
const encoder = new TextEncoder();

async function serve(conn: Deno.Conn): Promise<void> {
  clients.add(conn);
  const buf = new Uint8Array(4096);
  let pending = "";
  const decoder = new TextDecoder();
  try {
    await conn.write(encoder.encode("* welcome\n"));
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      pending += decoder.decode(buf.subarray(0, n), { stream: true });
      let end;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = encoder.encode(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
        for (const other of clients) if (other !== conn) other.write(line).catch(() => {});
      }
    }
  } catch {
    // reset
  } finally {
    clients.delete(conn);
    try {
      conn.close();
    } catch {
      // closed
    }
  }
}

while (true) {
  try {
    serve(await listener.accept());
  } catch {
    // a peer reset before we took it (Deno reports it as a failed accept)
  }
}
