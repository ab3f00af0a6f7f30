/**
 * The floor of a TCP pipe on Deno, a reference row of the bench's throughput case: the
 * least a Deno program does to move stdin to a TCP peer and a TCP peer to stdout. Reads
 * into one reused 1 MiB buffer, writes each chunk in full, half-closes at the end. No
 * options, no reporting, no second direction: only the speed Deno itself allows.
 *
 * Usage: deno run -A bench/load/min_pipe.ts client PORT < input
 *        deno run -A bench/load/min_pipe.ts server PORT > output
 * @module
 */

const [mode, portArg] = Deno.args;
const port = Number(portArg);
const buf = new Uint8Array(1 << 20);

async function copy(
  src: { read(b: Uint8Array): Promise<number | null> },
  dst: { write(b: Uint8Array): Promise<number> },
): Promise<void> {
  while (true) {
    const n = await src.read(buf);
    if (n === null) return;
    let offset = 0;
    while (offset < n) offset += await dst.write(buf.subarray(offset, n));
  }
}

if (mode === "client") {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await copy(Deno.stdin, conn);
  await conn.closeWrite();
  await conn.read(new Uint8Array(1)); // the server's end of stream
  conn.close();
} else {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const conn = await listener.accept();
  listener.close();
  await copy(conn, Deno.stdout);
  conn.close();
}
