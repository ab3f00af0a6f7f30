/**
 * The connection-rate load generator, the same client for every server: COUNT cycles of
 * connect, send a payload, half-close, read to end of stream, close; CONCURRENCY cycles in
 * flight at once. With `echo` the payload is read back in full before the half-close
 * (`ncat -e` closes the whole connection on the client's FIN, so echo-then-FIN is the
 * order every echo peer handles) and nothing may follow it; with `sink` the server only
 * has to close after the FIN. Prints one JSON line: `{"cycles","failed","ms","rate"}`.
 *
 * Usage: deno run --allow-net bench/load/echo_load.ts PORT COUNT CONCURRENCY echo|sink
 * @module
 */

const [portArg, countArg, concurrencyArg, mode = "echo"] = Deno.args;
const port = Number(portArg);
const count = Number(countArg ?? 2000);
const concurrency = Number(concurrencyArg ?? 1);
const payload = new TextEncoder().encode("sockchat bench: connect, send, half-close, read\n");

let started = 0;
let failed = 0;
let firstError = "";

async function cycle(buf: Uint8Array): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    let offset = 0;
    while (offset < payload.length) offset += await conn.write(payload.subarray(offset));
    let got = 0;
    const readUntil = async (want: number) => {
      while (got < want) {
        const n = await conn.read(buf.subarray(got));
        if (n === null) return;
        got += n;
        if (got === buf.length) throw new Error("reply too long");
      }
    };
    if (mode === "echo") await readUntil(payload.length);
    await conn.closeWrite();
    await readUntil(buf.length);
    const want = mode === "echo" ? payload.length : 0;
    if (got !== want) throw new Error(`got ${got} bytes back, want ${want}`);
    if (mode === "echo" && !buf.subarray(0, got).every((b, i) => b === payload[i])) {
      throw new Error("reply differs from payload");
    }
  } finally {
    conn.close();
  }
}

async function worker(): Promise<void> {
  const buf = new Uint8Array(4096);
  while (started < count) {
    started++;
    try {
      await cycle(buf);
    } catch (error) {
      failed++;
      firstError ||= error instanceof Error ? error.message : String(error);
    }
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const ms = performance.now() - t0;
console.log(JSON.stringify({ cycles: count, failed, ms, rate: count / ms * 1000, firstError }));
