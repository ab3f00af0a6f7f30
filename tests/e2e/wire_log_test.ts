import assert from "node:assert/strict";
import { concatBytes } from "../../lib/bytes.ts";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { runInProcess, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { readToEnd, startServer } from "../_helpers/tcp_server.ts";
import { within } from "../_helpers/wait.ts";

/** One chunk of a transcript: its header fields and its body lines. */
interface Block {
  direction: ">" | "<";
  peer: string;
  offset: number;
  length: number;
  body: string;
}

const HEADER =
  /^([<>]) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) (?:offset=(\d+) length=(\d+)|end offset=(\d+))$/;

/** Parses a transcript; other lines (listening, closed) are skipped between blocks. */
function parseTranscript(text: string): { blocks: Block[]; ends: Map<string, number> } {
  const blocks: Block[] = [];
  const ends = new Map<string, number>();
  let current: Block | undefined;
  for (const line of text.split("\n")) {
    const header = line.match(HEADER);
    if (header) {
      current = undefined;
      if (header[6] !== undefined) {
        ends.set(header[1]!, Number(header[6]));
        continue;
      }
      current = {
        direction: header[1] as ">" | "<",
        peer: header[3]!,
        offset: Number(header[4]),
        length: Number(header[5]),
        body: "",
      };
      blocks.push(current);
    } else if (current && /^[0-9a-f]{8} /.test(line)) {
      current.body += line + "\n";
    } else {
      current = undefined;
    }
  }
  return { blocks, ends };
}

/**
 * Checks that the `direction` blocks cover `stream` in order without gaps and that each
 * body is what real `hexdump -C` prints for those bytes of the stream.
 */
async function assertHexMatches(blocks: Block[], direction: ">" | "<", stream: Uint8Array) {
  const mine = blocks.filter((b) => b.direction === direction);
  assert.ok(mine.length > 0, `no ${direction} blocks`);
  let expected = 0;
  for (const block of mine) {
    assert.equal(block.offset, expected, `${direction} offsets are contiguous`);
    expected += block.length;
  }
  assert.equal(expected, stream.length, `${direction} blocks cover the whole stream`);
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeFile(file, stream);
    for (const block of mine) {
      const out = await new Deno.Command("hexdump", {
        args: ["-C", "-v", "-s", String(block.offset), "-n", String(block.length), file],
        stdout: "piped",
      }).output();
      assert.equal(out.code, 0);
      // hexdump ends with a line holding the end offset; the transcript's header says it.
      const lines = new TextDecoder().decode(out.stdout).split("\n");
      const body = lines.slice(0, -2).join("\n") + "\n";
      assert.equal(block.body, body, `${direction} block at ${block.offset}`);
    }
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("client --hex: both directions on stderr match hexdump -C, stdout stays byte-exact", async () => {
  const input = randomBytes(150_000);
  const reply = randomBytes(70_000);
  let received: Uint8Array = new Uint8Array(0);
  await using server = startServer(async (conn) => {
    try {
      received = await readToEnd(conn);
      let offset = 0;
      while (offset < reply.length) offset += await conn.write(reply.subarray(offset));
    } finally {
      conn.close();
    }
  });
  await using client = spawnCli(["client", "--hex", "127.0.0.1", String(server.port)], {
    stdin: "piped",
  });
  const writing = client.write(input).then(() => client.closeStdin());
  assert.equal(await client.exit(20_000), 0, client.stderr);
  await writing;
  await server.close();
  assert.equal(sha256(received), sha256(input));
  assert.equal(sha256(client.stdout), sha256(reply));
  const { blocks, ends } = parseTranscript(client.stderr);
  assert.ok(blocks.every((b) => b.peer === `127.0.0.1:${server.port}`));
  await assertHexMatches(blocks, ">", input);
  await assertHexMatches(blocks, "<", reply);
  assert.deepEqual([ends.get(">"), ends.get("<")], [input.length, reply.length]);
});

Deno.test("server --mode pipe --hex --log FILE: the transcript goes to the file, stderr and stdout stay clean", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const upload = randomBytes(90_000);
    const download = randomBytes(40_000);
    await Deno.writeFile(`${dir}/up.bin`, upload);
    const log = `${dir}/wire.txt`;
    await using server = spawnCli(
      ["server", "--mode", "pipe", "--port", "0", "--hex", "--log", log],
      { stdin: "piped" },
    );
    const { port } = await server.listening();
    // A real nc sends the file, half-closes (-N) and keeps what comes back.
    await using nc = spawnPeer([
      "bash",
      "-c",
      `nc -N 127.0.0.1 ${port} < "${dir}/up.bin" > "${dir}/down.bin"`,
    ]);
    await server.write(download);
    await server.closeStdin();
    assert.equal(await server.exit(20_000), 0, server.stderr);
    assert.equal(await nc.exit(20_000), 0, nc.stderr);
    assert.equal(sha256(server.stdout), sha256(upload));
    assert.equal(sha256(await Deno.readFile(`${dir}/down.bin`)), sha256(download));
    assert.doesNotMatch(server.stderr, /offset=/);
    const { blocks } = parseTranscript(await Deno.readTextFile(log));
    await assertHexMatches(blocks, "<", upload);
    await assertHexMatches(blocks, ">", download);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server --mode echo --log FILE without --hex: text, sanitised, each client named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const log = `${dir}/echo.txt`;
    await using server = spawnCli([
      "server",
      "--mode",
      "echo",
      "--port",
      "0",
      "--log",
      log,
      "--json",
    ]);
    const { port } = (await server.event("listening")) as { port: number };
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const local = `127.0.0.1:${(conn.localAddr as Deno.NetAddr).port}`;
    const sent = utf8("hi\x1b[2K\r\nbye\n");
    await conn.write(sent);
    await conn.closeWrite();
    const back = await within(readToEnd(conn), 10_000, "the echo");
    conn.close();
    assert.deepEqual(back, sent);
    await server.event("closed");
    server.kill("SIGTERM");
    assert.equal(await server.exit(), 0, server.stderr);
    const text = await Deno.readTextFile(log);
    const stamp = "\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z";
    const peer = local.replace(/\./g, "\\.");
    assert.match(
      text,
      new RegExp(
        `^< ${stamp} ${peer} offset=0 length=12\\nhi\\^\\[\\[2K\\^M\\nbye\\n` +
          `> ${stamp} ${peer} offset=0 length=12\\nhi\\^\\[\\[2K\\^M\\nbye\\n`,
      ),
    );
    assert.match(text, new RegExp(`< ${stamp} ${peer} end offset=12\\n`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--hex and --log: chat mode refuses them, and an unwritable log fails before connecting", async () => {
  const chat = await runInProcess(["server", "--hex"]);
  assert.equal(chat.code, 2);
  assert.equal(
    chat.stderr,
    "sockchat: Option --hex only applies to --mode pipe or echo, or --exec\n",
  );
  const bad = await runInProcess(["client", "--log", "/nonexistent/dir/x.log", "127.0.0.1:9"]);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    'sockchat: Cannot open log file "/nonexistent/dir/x.log": no such file\n',
  );
  assert.equal(concatBytes([bad.stdout]).length, 0);
});

Deno.test("--hex over TLS and Unix sockets: the decrypted bytes, both ends, both directions", async () => {
  const input = randomBytes(60_000);
  await using tls = spawnCli(["server", "--mode", "echo", "--tls", "--port", "0", "--hex"]);
  const match = await tls.waitForStderr(
    /listening on 127\.0\.0\.1:(\d+) \(TLS, SHA-256 fingerprint ([0-9A-F:]+)\)/,
  );
  await using client = spawnCli(
    ["client", "--hex", "--fingerprint", match[2]!, "127.0.0.1", match[1]!],
    { stdin: "piped" },
  );
  const writing = client.write(input).then(() => client.closeStdin());
  assert.equal(await client.exit(20_000), 0, client.stderr);
  await writing;
  assert.equal(sha256(client.stdout), sha256(input));
  const mine = parseTranscript(client.stderr).blocks;
  await assertHexMatches(mine, ">", input);
  await assertHexMatches(mine, "<", input);
  await tls.waitFor(() => parseTranscript(tls.stderr).ends.get(">") === input.length, "echo end");
  const theirs = parseTranscript(tls.stderr).blocks;
  await assertHexMatches(theirs, "<", input);
  await assertHexMatches(theirs, ">", input);

  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/echo.sock`;
    await using unix = spawnCli(["server", "--mode", "echo", "--unix", path, "--hex"]);
    await unix.waitForStderr(/listening on /);
    await using viaUnix = spawnCli(["client", "--hex", "--unix", path], { stdin: "piped" });
    const sending = viaUnix.write(input).then(() => viaUnix.closeStdin());
    assert.equal(await viaUnix.exit(20_000), 0, viaUnix.stderr);
    await sending;
    assert.equal(sha256(viaUnix.stdout), sha256(input));
    const blocks = parseTranscript(viaUnix.stderr).blocks;
    assert.ok(blocks.every((b) => b.peer === `unix:${path}`), viaUnix.stderr.slice(0, 200));
    await assertHexMatches(blocks, ">", input);
    await assertHexMatches(blocks, "<", input);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
