import assert from "node:assert/strict";
import { randomBytes, sha256, utf8 } from "../_helpers/bytes.ts";
import { runCli, runInProcess, spawnCli } from "../_helpers/cli.ts";
import { fromBase64, pythonReceiver } from "../_helpers/udp_peer.ts";

const text = (b64: string) => new TextDecoder().decode(fromBase64(b64));

Deno.test("udp send --raw sends 0 to 65507 bytes of stdin as one whole datagram", async () => {
  const sizes = [0, 1, 1024, 1025, 8192, 65507];
  await using peer = await pythonReceiver("127.0.0.1", sizes.length);
  for (const size of sizes) {
    const payload = randomBytes(size);
    const result = await runCli(["udp", "send", "--port", String(peer.port), "--raw"], {
      input: payload,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.length, 0);
    const got = await peer.received();
    assert.equal(got.bytes, size);
    assert.equal(got.sha256, sha256(payload));
  }
});

Deno.test("udp send: MESSAGE words are one datagram; else each stdin line is one", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 5);
  const words = await runCli(["udp", "send", "--port", String(peer.port), "hello", "big  world"]);
  assert.equal(words.code, 0, words.stderr);
  assert.equal(text((await peer.received()).base64), "hello big  world");
  const lines = await runCli(["udp", "send", "--port", String(peer.port)], {
    input: "one\r\n\nthree\nno newline",
  });
  assert.equal(lines.code, 0, lines.stderr);
  for (const expected of ["one", "", "three", "no newline"]) {
    assert.equal(text((await peer.received()).base64), expected);
  }
});

Deno.test("udp send --count and --interval repeat the datagrams, paced", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 7);
  const started = performance.now();
  const beat = await runCli([
    "udp",
    "send",
    "--port",
    String(peer.port),
    "--count",
    "3",
    "--interval",
    "150ms",
    "beat",
  ]);
  assert.equal(beat.code, 0, beat.stderr);
  assert.ok(performance.now() - started >= 300, "two pauses of 150 ms");
  for (let i = 0; i < 3; i++) assert.equal(text((await peer.received()).base64), "beat");
  const replay = await runCli(["udp", "send", "--port", String(peer.port), "--count", "2"], {
    input: "a\nb\n",
  });
  assert.equal(replay.code, 0, replay.stderr);
  for (const expected of ["a", "b", "a", "b"]) {
    assert.equal(text((await peer.received()).base64), expected);
  }
});

Deno.test("udp send --count 0 repeats until interrupted, then exits 0", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 3);
  await using send = spawnCli([
    "udp",
    "send",
    "--port",
    String(peer.port),
    "--count",
    "0",
    "--interval",
    "50ms",
    "tick",
  ]);
  for (let i = 0; i < 3; i++) assert.equal(text((await peer.received()).base64), "tick");
  send.kill("SIGINT");
  assert.equal(await send.exit(), 0, send.stderr);
});

Deno.test("udp send --json prints only sent events", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 2);
  const result = await runCli(["udp", "send", "--port", String(peer.port), "--json"], {
    input: "x\nyz\n",
  });
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdoutText.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(
    events.map(({ type, to, bytes }) => ({ type, to, bytes })),
    [
      { type: "sent", to: `127.0.0.1:${peer.port}`, bytes: 1 },
      { type: "sent", to: `127.0.0.1:${peer.port}`, bytes: 2 },
    ],
  );
  assert.ok(events.every((e) => typeof e.ts === "string"));
});

Deno.test("udp send refuses a too-large datagram with one line and exit 1", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 1);
  const to = `127.0.0.1:${peer.port}`;
  const cases: [string[], string | undefined, string][] = [
    [
      ["--raw"],
      "x".repeat(65508),
      `stdin holds more than 65507 bytes, too large for one datagram (IPv4)`,
    ],
    [
      ["x".repeat(65508)],
      undefined,
      `datagram of 65508 bytes is too large (at most 65507 bytes over IPv4)`,
    ],
    [
      [],
      "ok\n" + "x".repeat(70000) + "\n",
      `line of more than 65507 bytes is too large for one datagram (IPv4)`,
    ],
  ];
  for (const [args, input, reason] of cases) {
    const result = await runCli(["udp", "send", "--port", String(peer.port), ...args], {
      ...(input !== undefined ? { input } : {}),
    });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, `sockchat: Cannot send to "${to}": ${reason}\n`);
  }
  // Only the "ok" line before the long one went out.
  assert.equal(text((await peer.received()).base64), "ok");
});

Deno.test("udp send over IPv6: 65527 bytes fit, 65528 do not", async () => {
  await using peer = await pythonReceiver("::1", 1);
  const payload = randomBytes(65527);
  const ok = await runCli(["udp", "send", "--host", "::1", "--port", String(peer.port), "--raw"], {
    input: payload,
  });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((await peer.received()).sha256, sha256(payload));
  const big = await runCli([
    "udp",
    "send",
    "--host",
    "[::1]",
    "--port",
    String(peer.port),
    "x".repeat(65528),
  ]);
  assert.equal(big.code, 1);
  assert.equal(
    big.stderr,
    `sockchat: Cannot send to "[::1]:${peer.port}": datagram of 65528 bytes is too large (at most 65527 bytes over IPv6)\n`,
  );
});

Deno.test("udp send --wait-reply prints the target's reply (exit 0) or times out (exit 124)", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 2, "stranger-then-echo");
  const reply = await runCli([
    "udp",
    "send",
    "--port",
    String(peer.port),
    "--wait-reply",
    "5s",
    "hi",
  ]);
  assert.equal(reply.code, 0, reply.stderr);
  assert.equal(reply.stdoutText, "pong hi\n", "a datagram from another sender is ignored");
  const json = await runCli([
    "udp",
    "send",
    "--port",
    String(peer.port),
    "--wait-reply",
    "5s",
    "--json",
    "x",
  ]);
  assert.equal(json.code, 0, json.stderr);
  const events = json.stdoutText.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(events.map((e) => e.type), ["sent", "datagram"]);
  assert.equal(events[1].from, `127.0.0.1:${peer.port}`);
  assert.equal(events[1].text, "pong x");

  await using silent = await pythonReceiver("127.0.0.1", 1);
  const none = await runCli([
    "udp",
    "send",
    "--port",
    String(silent.port),
    "--wait-reply",
    "300ms",
    "hi",
  ]);
  assert.equal(none.code, 124);
  assert.equal(
    none.stderr,
    `sockchat: No reply from "127.0.0.1:${silent.port}" within 300 ms (--wait-reply)\n`,
  );
  assert.equal(none.stdout.length, 0);
});

Deno.test("udp send resolves host names; a failed lookup is one line, exit 1", async () => {
  await using peer = await pythonReceiver("127.0.0.1", 1);
  const ok = await runCli([
    "udp",
    "send",
    "--host",
    "localhost",
    "--port",
    String(peer.port),
    "hi",
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(text((await peer.received()).base64), "hi");
  const bad = await runCli(["udp", "send", "--host", "no-such-host.invalid", "hi"]);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    `sockchat: Cannot resolve "no-such-host.invalid": host not found (DNS lookup failed)\n`,
  );
});

Deno.test("udp send asks for --broadcast before sending to a broadcast address", async () => {
  const refused = await runCli(["udp", "send", "--host", "255.255.255.255", "--port", "9", "hi"]);
  assert.equal(refused.code, 2);
  assert.equal(
    refused.stderr,
    `sockchat: Address "255.255.255.255" is a broadcast address: add --broadcast to send to it\n`,
  );
  await using peer = await pythonReceiver("0.0.0.0", 1);
  const sent = await runCli([
    "udp",
    "send",
    "--broadcast",
    "--host",
    "127.255.255.255",
    "--port",
    String(peer.port),
    "hey",
  ]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(text((await peer.received()).base64), "hey");
});

Deno.test("udp send rejects bad options before sending (exit 2, one line)", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--port", "0", "x"],
      /^sockchat: Invalid port "0": port 0 is only allowed when listening \(--port\)$/,
    ],
    [["--port", "99999", "x"], /^sockchat: Invalid port "99999"/],
    [["--count", "-1", "x"], /^sockchat: Invalid --count "-1"/],
    [["--interval", "fast", "x"], /^sockchat: Invalid --interval "fast"/],
    [["--wait-reply", "1x", "x"], /^sockchat: Invalid --wait-reply "1x"/],
    [["--raw", "x"], /^sockchat: Option --raw reads stdin: give either MESSAGE or --raw$/],
    [
      ["--count", "0", "--wait-reply", "1s", "x"],
      /^sockchat: Option --wait-reply needs a finite --count/,
    ],
    [["--tls", "x"], /^sockchat: Option --tls does not apply to UDP/],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(["udp", "send", ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr.trimEnd(), message);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1);
  }
});

Deno.test("udp send --help says UDP gives no delivery signal", async () => {
  const help = await runInProcess(["udp", "send", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdoutText.replace(/\s+/g, " "), /UDP gives no delivery signal/);
  assert.doesNotMatch(help.stdoutText, /--tls/);
  assert.ok(utf8(help.stdoutText).length > 0);
});
