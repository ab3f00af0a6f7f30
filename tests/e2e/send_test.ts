import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { concat, runCli, spawnCli } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

/** A pipe server that records what one client sends (and sends nothing back). */
async function pipeServer() {
  const server = spawnCli(["server", "--mode", "pipe", "--port", "0"]);
  const { port } = await server.listening();
  return { server, port: String(port) };
}

Deno.test("client --send decodes every escape into the exact bytes the server receives", async () => {
  const { server, port } = await pipeServer();
  await using _ = server;
  const result = await runCli([
    "client",
    "--send",
    "a\\x00\\xff\\x7F\\r\\n\\t\\\\\\0é",
    "--send",
    "",
    "--send",
    "\\\\n",
    "127.0.0.1",
    port,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await server.exit(), 0, server.stderr);
  assert.deepEqual(
    server.stdout,
    Uint8Array.from([0x61, 0, 0xff, 0x7f, 0x0d, 0x0a, 0x09, 0x5c, 0, 0xc3, 0xa9, 0x5c, 0x6e]),
  );
});

Deno.test("client --send and --send-file go out in command-line order, byte-exact, then half-close", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const big = randomBytes(3 << 20);
    const small = randomBytes(1000);
    await Deno.writeFile(`${dir}/big.bin`, big);
    await Deno.writeFile(`${dir}/small.bin`, small);
    await Deno.writeFile(`${dir}/empty.bin`, new Uint8Array());
    const { server, port } = await pipeServer();
    await using _ = server;
    const result = await runCli([
      "client",
      "--send-file",
      `${dir}/small.bin`,
      "--send",
      "--\\n",
      "--send-file",
      `${dir}/big.bin`,
      "--send-file",
      `${dir}/empty.bin`,
      "--send",
      "end",
      "127.0.0.1",
      port,
    ], { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    // The server sees the end of the stream: the client half-closed after the last send.
    assert.equal(await server.exit(30_000), 0, server.stderr);
    const expected = concat([small, utf8("--\n"), big, utf8("end")]);
    assert.equal(server.stdout.length, expected.length);
    assert.equal(sha256(server.stdout), sha256(expected));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("client --send never reads stdin", async () => {
  const { server, port } = await pipeServer();
  await using _ = server;
  // stdin stays open and unread; the run ends once the send is done and the server closes.
  await using client = spawnCli(["client", "--send", "only this", "127.0.0.1", port], {
    stdin: "piped",
  });
  await client.write("not this");
  assert.equal(await server.exit(), 0, server.stderr);
  assert.equal(await client.exit(), 0, client.stderr);
  assert.equal(new TextDecoder().decode(server.stdout), "only this");
});

/** Accepts one connection on loopback and hands it to the test. */
async function withListener(
  body: (port: string, accepted: Promise<Deno.TcpConn>) => Promise<void>,
): Promise<void> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  let conn: Deno.TcpConn | undefined;
  try {
    await body(String(listener.addr.port), accepted.then((c) => (conn = c)));
  } finally {
    conn?.close();
  }
}

async function readExactly(conn: Deno.Conn, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let got = 0;
  while (got < size) {
    const n = await conn.read(out.subarray(got));
    if (n === null) throw new Error(`EOF after ${got} of ${size} bytes`);
    got += n;
  }
  return out;
}

/** Settles `read` within `ms`, or reports that it is still pending (a bounded negative check). */
async function settledWithin<T>(read: Promise<T>, ms: number): Promise<T | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<"pending">((resolve) => (timer = setTimeout(resolve, ms, "pending")));
  try {
    return await Promise.race([read, pending]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("client --keep-open sends without half-closing and ends once the peer has closed", async () => {
  await withListener(async (port, accepted) => {
    await using client = spawnCli(["client", "--send", "hello", "--keep-open", "127.0.0.1", port]);
    const conn = await within(accepted, 10_000, "the client to connect");
    assert.deepEqual(await readExactly(conn, 5), utf8("hello"));
    const next = conn.read(new Uint8Array(16));
    assert.equal(await settledWithin(next, 700), "pending", "--keep-open must not half-close");
    await conn.write(utf8("bye"));
    await conn.closeWrite();
    // Our half-close lets the client end: it then closes its side as well.
    assert.equal(await within(next, 10_000, "the client's FIN"), null);
    assert.equal(await client.exit(), 0, client.stderr);
    assert.equal(client.stdoutText, "bye");
  });
});

Deno.test("client --send without --keep-open half-closes right after the last send", async () => {
  await withListener(async (port, accepted) => {
    await using client = spawnCli(["client", "--send", "hello", "127.0.0.1", port]);
    const conn = await within(accepted, 10_000, "the client to connect");
    assert.deepEqual(await readExactly(conn, 5), utf8("hello"));
    assert.equal(await within(conn.read(new Uint8Array(16)), 10_000, "the client's FIN"), null);
    // Half-closed, not closed: the reply still reaches the client.
    await conn.write(utf8("reply"));
    await conn.closeWrite();
    assert.equal(await client.exit(), 0, client.stderr);
    assert.equal(client.stdoutText, "reply");
  });
});
