import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { concat, runCli, runInProcess, sockchatArgv, spawnCli } from "../_helpers/cli.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { within } from "../_helpers/wait.ts";
import { fromBase64, pythonSend, udpSend } from "../_helpers/udp_peer.ts";

const SIZES = [0, 1, 1024, 1025, 8192, 65507];

Deno.test("udp recv --raw receives datagrams of 0 to 65507 bytes whole and byte-exact", async () => {
  const payloads = SIZES.map((size) => randomBytes(size));
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--raw", "--count", "6"]);
  const { port } = await recv.listening();
  await pythonSend("127.0.0.1", port, payloads);
  assert.equal(await recv.exit(), 0, recv.stderr);
  assert.equal(recv.stdout.length, SIZES.reduce((a, b) => a + b, 0));
  assert.equal(sha256(recv.stdout), sha256(concat(payloads)));
});

Deno.test("udp recv --json gives one datagram event per datagram, sizes and payloads exact", async () => {
  const payloads = SIZES.map((size) => randomBytes(size));
  payloads[1] = utf8("é"); // valid UTF-8 → text
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--json", "--count", "6"]);
  const { port } = (await recv.event("listening")) as { port: number };
  assert.equal((await recv.event("listening")).transport, "udp");
  const from = await pythonSend("127.0.0.1", port, payloads);
  assert.equal(await recv.exit(), 0, recv.stderr);
  const lines = recv.stdoutText.trimEnd().split("\n");
  const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const datagrams = events.filter((e) => e.type === "datagram");
  assert.equal(datagrams.length, 6);
  datagrams.forEach((event, i) => {
    const expected = payloads[i]!;
    assert.equal(event.from, `127.0.0.1:${from}`);
    assert.equal(event.bytes, expected.length);
    assert.equal(typeof event.ts, "string");
    const got = typeof event.text === "string"
      ? utf8(event.text)
      : fromBase64(String(event.base64));
    assert.equal(sha256(got), sha256(expected), `datagram ${i}`);
  });
  assert.equal(datagrams[0]!.text, "", "an empty datagram is valid UTF-8 text");
  assert.equal(datagrams[1]!.text, "é");
});

Deno.test("udp recv piped prints each payload and a newline, labelled senders in --hex", async () => {
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--count", "3"]);
  const { port } = await recv.listening();
  await pythonSend("127.0.0.1", port, [utf8("one"), new Uint8Array(0), utf8("two words")]);
  assert.equal(await recv.exit(), 0, recv.stderr);
  assert.equal(recv.stdoutText, "one\n\ntwo words\n");

  await using hex = spawnCli(["udp", "recv", "--port", "0", "--hex", "--count", "1"]);
  const bound = await hex.listening();
  const from = await pythonSend("127.0.0.1", bound.port, [utf8("hi\n")]);
  assert.equal(await hex.exit(), 0, hex.stderr);
  assert.equal(
    hex.stdoutText,
    `127.0.0.1:${from} (3 bytes)\n00000000  68 69 0a${" ".repeat(42)}|hi.|\n`,
  );
});

Deno.test("udp recv takes datagrams from several senders and labels each", async () => {
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--json", "--count", "6"]);
  const { port } = (await recv.event("listening")) as { port: number };
  const ports = await Promise.all(
    [0, 1, 2].map((i) => pythonSend("127.0.0.1", port, [utf8(`a${i}`), utf8(`b${i}`)])),
  );
  assert.equal(await recv.exit(), 0, recv.stderr);
  const datagrams = recv.events().filter((e) => e.type === "datagram");
  const seen = datagrams.map((e) => `${e.from} ${e.text}`).sort();
  const expected = ports.flatMap((p, i) => [`127.0.0.1:${p} a${i}`, `127.0.0.1:${p} b${i}`]);
  assert.deepEqual(seen, expected.sort());
});

Deno.test("udp recv --timeout exits 124 when --count was not reached, 0 once any came", async () => {
  await using none = spawnCli(["udp", "recv", "--port", "0", "--timeout", "300ms"]);
  await using short = spawnCli(["udp", "recv", "--port", "0", "--count", "2", "--timeout", "3s"]);
  await using some = spawnCli(["udp", "recv", "--port", "0", "--timeout", "3s"]);
  await none.listening();
  const shortPort = (await short.listening()).port;
  const somePort = (await some.listening()).port;
  await Promise.all([
    udpSend("127.0.0.1", shortPort, [utf8("only one")]),
    udpSend("127.0.0.1", somePort, [utf8("x")]),
  ]);
  assert.equal(await none.exit(), 124);
  assert.match(
    none.stderr,
    /^sockchat: Timed out after 300 ms \(--timeout\): no datagram received$/m,
  );
  assert.equal(await short.exit(), 124);
  assert.match(
    short.stderr,
    /^sockchat: Timed out after 3\.00 s \(--timeout\): received 1 of 2 datagrams$/m,
  );
  assert.equal(short.stdoutText, "only one\n", "what came is still printed");
  assert.equal(await some.exit(), 0, some.stderr);
  assert.equal(some.stdoutText, "x\n");
});

Deno.test("udp recv --echo sends each datagram back to its sender, same bytes", async () => {
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--echo", "--count", "3"]);
  const { port } = await recv.listening();
  for (const payload of [randomBytes(1), randomBytes(65507), new Uint8Array(0)]) {
    const reply = await runCli(
      ["udp", "send", "--port", String(port), "--raw", "--wait-reply", "5s"],
      { input: payload },
    );
    assert.equal(reply.code, 0, reply.stderr);
    assert.equal(reply.stdout.length, payload.length);
    assert.equal(sha256(reply.stdout), sha256(payload));
  }
  assert.equal(await recv.exit(), 0, recv.stderr);
});

Deno.test("udp recv never answers without --echo", async () => {
  await using recv = spawnCli(["udp", "recv", "--port", "0", "--count", "1"]);
  const { port } = await recv.listening();
  const result = await runCli([
    "udp",
    "send",
    "--port",
    String(port),
    "--wait-reply",
    "300ms",
    "hi",
  ]);
  assert.equal(result.code, 124);
  assert.equal(await recv.exit(), 0, recv.stderr);
});

Deno.test("udp recv works over IPv6 (::1)", async () => {
  await using recv = spawnCli([
    "udp",
    "recv",
    "--host",
    "::1",
    "--port",
    "0",
    "--json",
    "--count",
    "1",
  ]);
  const { port, host } = (await recv.event("listening")) as { port: number; host: string };
  assert.equal(host, "::1");
  const payload = randomBytes(65527);
  const from = await pythonSend("::1", port, [payload]);
  assert.equal(await recv.exit(), 0, recv.stderr);
  const event = recv.events().find((e) => e.type === "datagram")!;
  assert.equal(event.from, `[::1]:${from}`);
  assert.equal(event.bytes, 65527);
});

Deno.test("udp recv --join receives multicast on the loopback interface", async () => {
  // Everything stays on this machine: the group is joined on lo, and the sender sends
  // through lo with TTL 0.
  const python = requirePeer("python3");
  await using recv = spawnCli([
    "udp",
    "recv",
    "--join",
    "239.255.77.1",
    "--join-interface",
    "127.0.0.1",
    "--port",
    "0",
    "--count",
    "1",
  ]);
  const { host, port } = await recv.listening();
  assert.equal(host, "239.255.77.1");
  const script = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)
s.sendto(b"hi", ("239.255.77.1", ${port}))
`;
  const sent = await new Deno.Command(python, { args: ["-c", script] }).output();
  assert.equal(sent.code, 0, new TextDecoder().decode(sent.stderr));
  assert.equal(await recv.exit(), 0, recv.stderr);
  assert.equal(recv.stdoutText, "hi\n");
});

Deno.test("udp recv rejects bad options before binding (exit 2, one line)", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--port", "65536"],
      /^sockchat: Invalid port "65536": expected a whole number from 0 to 65535 \(--port\)$/,
    ],
    [["--port", "x"], /^sockchat: Invalid port "x"/],
    [["--count", "0"], /^sockchat: Invalid --count "0": expected a whole number from 1$/],
    [["--timeout", "soon"], /^sockchat: Invalid --timeout "soon"/],
    [["--raw", "--hex"], /^sockchat: Options --raw and --hex cannot be used together$/],
    [
      ["--join", "10.0.0.1"],
      /^sockchat: Invalid --join "10.0.0.1": expected an IPv4 multicast address/,
    ],
    [["--tls"], /^sockchat: Option --tls does not apply to UDP/],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(["udp", "recv", ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr.trimEnd(), message);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1);
  }
});

Deno.test("udp recv reports a port in use in one line (exit 1)", async () => {
  await using first = spawnCli(["udp", "recv", "--port", "0"]);
  const { port } = await first.listening();
  const result = await runCli(["udp", "recv", "--port", String(port)]);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `sockchat: Cannot listen on "127.0.0.1:${port}": address already in use\n`,
  );
});

Deno.test("udp recv stops on SIGINT with exit 0 after printing what came", async () => {
  await using recv = spawnCli(["udp", "recv", "--port", "0"]);
  const { port } = await recv.listening();
  await pythonSend("127.0.0.1", port, [utf8("first"), utf8("second")]);
  await recv.waitForStdout(/second\n/);
  recv.kill("SIGINT");
  assert.equal(await recv.exit(), 0, recv.stderr);
  assert.equal(recv.stdoutText, "first\nsecond\n");
});

Deno.test("udp recv --help names the formats and that it never answers unless --echo", async () => {
  const help = await runCli(["udp", "recv", "--help"]);
  assert.equal(help.code, 0);
  const text = help.stdoutText.replace(/\s+/g, " ");
  assert.match(text, /never answers unless --echo/);
  assert.match(text, /--hex/);
  assert.doesNotMatch(text, /--tls/);
});

Deno.test("udp recv on a terminal labels the sender and escapes control characters", async () => {
  const script = requirePeer("script", "util-linux");
  const argv = sockchatArgv(["udp", "recv", "--port", "0", "--count", "1"]);
  const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const child = new Deno.Command(script, {
    args: ["-qec", quoted, "/dev/null"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  // Under script, stderr and stdout share the pseudo-terminal: read both from its output.
  let text = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const readUntil = async (pattern: RegExp) => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`script ended before ${pattern}: ${text}`);
      text += value.replaceAll("\r", "");
    }
    return text.match(pattern)!;
  };
  try {
    const ready = await within(readUntil(/listening on 127\.0\.0\.1:(\d+)\n/), 15_000, "ready");
    const from = await pythonSend("127.0.0.1", Number(ready[1]), [utf8("hi \x1b[2J\n")]);
    const line = new RegExp(
      `^\\d\\d:\\d\\d:\\d\\d 127\\.0\\.0\\.1:${from}  hi \\^\\[\\[2J\n`,
      "m",
    );
    await within(readUntil(line), 10_000, "the labelled line");
    assert.equal((await within(child.status, 10_000, "exit")).code, 0, text);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // exited already
    }
    await child.status;
    await reader.cancel();
  }
});
