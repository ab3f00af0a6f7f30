/**
 * The floor of an echo server on Deno, a reference row of the bench's connection-rate
 * case: accept, echo every read back in full, close after the client's end of stream.
 * No options, no events, no limits: only the speed Deno itself allows per connection.
 *
 * Usage: deno run -A bench/load/min_echo.ts PORT
 * @module
 */

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(Deno.args[0]) });

async function echo(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(16 * 1024);
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      let offset = 0;
      while (offset < n) offset += await conn.write(buf.subarray(offset, n));
    }
  } catch {
    // reset
  }
  try {
    conn.close();
  } catch {
    // closed
  }
}

for await (const conn of listener) echo(conn);
