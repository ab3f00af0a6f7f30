import assert from "node:assert/strict";
import { ChatPeer, PythonPeer, TUTORIAL_CLIENT } from "../_helpers/chat.ts";
import { runCli, runInProcess, spawnCli, spawnPeer } from "../_helpers/cli.ts";
import { freePort } from "../_helpers/ports.ts";
import { requirePeer } from "../_helpers/peers.ts";

Deno.test("chat: nc, a raw socket and the classic Python tutorial client talk in one room", async () => {
  await using server = spawnCli(["server", "--port", "0"], { stdin: "piped" });
  const { port } = await server.listening();
  await using raw = await ChatPeer.connect(port);
  await raw.waitFor(/\* welcome, you are guest1 \(1 here\)\. \/nick NAME renames you/);
  await raw.send("/nick alice\n");
  await raw.waitFor(/\* guest1 is now known as alice\n/);

  const nc = new Deno.Command(requirePeer("nc"), {
    args: ["127.0.0.1", String(port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const ncOut = nc.output();
  const ncIn = nc.stdin.getWriter();
  await raw.waitFor(/\* guest2 joined\n/);
  await ncIn.write(new TextEncoder().encode("hello from nc\n"));
  await raw.waitFor(/<guest2> hello from nc\n/);

  await using python = new PythonPeer(TUTORIAL_CLIENT, [String(port), "hello"]);
  await raw.waitFor(/\* guest3 joined\n/);
  // The tutorial client sent "hello" without a newline: the quiet flush delivers it.
  await raw.waitFor(/<guest3> hello\n/, 5_000);
  await raw.send("hi python\n");
  const result = await python.result();
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^GREETING -- history --\n<guest2> hello from nc\n-- now --\n\* welcome, you are guest3/,
  );
  assert.match(result.stdout, /REPLY <alice> hi python/);

  await ncIn.close();
  nc.kill("SIGTERM");
  const ncText = new TextDecoder().decode((await ncOut).stdout);
  assert.match(ncText, /\* welcome, you are guest2 \(2 here\)/);
  assert.match(ncText, /<guest3> hello\n<alice> hi python\n/);
  assert.doesNotMatch(ncText, /<guest2> hello from nc/); // no echo of one's own lines

  await raw.waitFor(/\* guest3 left\n/);
  await server.waitForStdout(/<alice> hi python\n\* guest3 left \(closed the connection\)\n/);
  // --name's /nick as the first line: announced once, as alice, never as guest1.
  assert.match(server.stdoutText, /^\* alice joined from 127\.0\.0\.1:\d+ \(tcp\)\n/);
  assert.doesNotMatch(server.stdoutText, /guest1/);
  assert.match(server.stdoutText, /<guest2> hello from nc\n/);
});

Deno.test("chat: forged lines, escape sequences, bidi and bad bytes reach others neutralised", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using mallory = await ChatPeer.connect(port);
  await mallory.waitFor(/welcome/);
  await using bob = await ChatPeer.connect(port);
  await bob.waitFor(/welcome/);
  await mallory.send("hi\r<bob> fake\n");
  await mallory.send("\x1b[2K\x1b[1G<bob> I owe mallory money\n");
  await mallory.send("x\x08\x08\x08<bob>\x1b]0;pwned\x07\n");
  await mallory.send("\u202Etxt.exe\u2028next\x85\n");
  await mallory.send(new Uint8Array([0x61, 0xff, 0xc0, 0x62, 0x0a]));
  // A character split across two TCP reads stays whole.
  await mallory.send(new Uint8Array([0x63, 0xe2, 0x82]));
  await new Promise((resolve) => setTimeout(resolve, 150)); // force a second TCP read
  await mallory.send(new Uint8Array([0xac, 0x0a]));
  await mallory.send("/nick \x1b[31mbob\n");
  await mallory.waitFor(/cannot change your nickname to "\^\[\[31mbob": use only letters/);
  await bob.waitFor(/<guest1> c€\n/);
  assert.deepEqual(bob.lines.slice(-6), [
    "<guest1> hi^M<bob> fake",
    "<guest1> ^[[2K^[[1G<bob> I owe mallory money",
    "<guest1> x^H^H^H<bob>^[]0;pwned^G",
    "<guest1> \\u202Etxt.exe\\u2028next\\u0085",
    "<guest1> a\ufffd\ufffdb",
    "<guest1> c€",
  ]);
  assert.ok(!bob.bytes.some((b) => b < 0x20 && b !== 0x0a), "no control bytes reach bob");
  await server.waitForStdout(/<guest1> c€\n/);
  assert.match(server.stdoutText, /<guest1> hi\^M<bob> fake\n/);
  for (const char of ["\x1b", "\r", "\u202E"]) assert.ok(!server.stdoutText.includes(char));
});

Deno.test("chat: --json emits joined, renamed, message and left events", async () => {
  await using server = spawnCli(["server", "--port", "0", "--json"]);
  const listening = await server.event("listening");
  await using a = await ChatPeer.connect(Number(listening.port));
  await a.waitFor(/welcome/);
  await a.send("/nick alice\nhello \x1b[31mthere\n/me waves\n");
  await server.waitFor(() => server.events().some((e) => e.action === true), "action event");
  a.close();
  const left = await server.event("left");
  const events = server.events().filter((e) => e.type !== "listening");
  const peer = events[0]!.peer as string;
  assert.match(peer, /^127\.0\.0\.1:\d+$/);
  assert.deepEqual(events.map(({ ts: _ts, ...rest }) => rest), [
    { type: "joined", nick: "alice", peer, transport: "tcp" }, // /nick first: joined once
    { type: "message", nick: "alice", peer, text: "hello ^[[31mthere" },
    { type: "message", nick: "alice", peer, text: "waves", action: true },
    { type: "left", nick: "alice", peer, reason: left.reason },
  ]);
  assert.ok(["eof", "reset"].includes(left.reason as string));
  for (const event of server.events()) assert.equal(typeof event.ts, "string");
});

Deno.test("chat: the operator talks from stdin as --name; EOF on stdin keeps it serving", async () => {
  await using server = spawnCli(["server", "--port", "0", "--name", "boss", "--history", "2"], {
    stdin: "piped",
  });
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await a.waitFor(/welcome/);
  await server.waitForStdout(/\* guest1 joined/); // listed by /who once announced
  await server.write("hello all\n/who\n");
  await a.waitFor(/<boss> hello all\n/);
  await server.waitForStdout(/\* 1 here: guest1; operator: boss\n/);
  await server.write("bye from stdin");
  await server.closeStdin();
  await a.waitFor(/<boss> bye from stdin\n/);
  await a.send("/msg boss psst\none\ntwo\n");
  await server.waitForStdout(/\*guest1 -> boss\* psst\n/);
  await server.waitForStdout(/<guest1> two\n/);
  // Still serving after stdin's EOF: a newcomer joins and sees the last 2 messages.
  await using b = await ChatPeer.connect(port);
  await b.waitFor(/\* welcome, you are guest2/);
  assert.deepEqual(b.lines.slice(0, 4), [
    "-- history --",
    "<guest1> one",
    "<guest1> two",
    "-- now --",
  ]);
  await b.send("still here\n");
  await a.waitFor(/<guest2> still here\n/);
});

Deno.test("chat: SIGTERM tells everyone the server is shutting down and exits 0 within 2 s", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await using b = await ChatPeer.connect(port);
  await a.waitFor(/guest2 joined/);
  await b.waitFor(/welcome/);
  server.kill("SIGTERM");
  assert.equal(await server.exit(5_000), 0, server.stderr);
  await a.waitForEnd(2_000);
  await b.waitForEnd(2_000);
  assert.match(a.text, /\* server shutting down\n$/);
  assert.match(b.text, /\* server shutting down\n$/);
  assert.match(server.stdoutText, /\* guest1 left \(server shutting down\)\n/);
});

Deno.test("chat: text without a newline goes out after the quiet moment (500 ms)", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await using b = await ChatPeer.connect(port);
  await a.waitFor(/guest2 joined/);
  await b.waitFor(/welcome/);
  const sent = performance.now();
  await a.send("no newline");
  await b.waitFor(/<guest1> no newline\n/, 3_000);
  const took = performance.now() - sent;
  assert.ok(took >= 250 && took < 1_500, `delivered after ${took} ms`);
  await a.send(" more\n");
  await b.waitFor(/<guest1> {2}more\n/);
});

Deno.test("chat: usage errors are reported before binding", async () => {
  const cases: [string[], RegExp][] = [
    [["--max-clients", "0"], /Invalid --max-clients "0": expected a whole number from 1/],
    [["--max-line", "abc"], /Invalid --max-line "abc"/],
    [["--history", "-1"], /Invalid --history "-1"|error: option/i],
    [["--allow", "10.0.0.0/33"], /Invalid network "10\.0\.0\.0\/33": prefix length .* \(--allow\)/],
    [["--deny", "example.com"], /Invalid network "example\.com".*\(--deny\)/],
    [["--name", "a b"], /Invalid --name "a b": use only letters/],
    [["--name", "guest3"], /Invalid --name "guest3": names like guestN are reserved/],
    [["--mode", "echo", "--max-clients", "3"], /Option --max-clients only applies to --mode chat/],
    [["--unix", "/tmp/x.sock", "--allow", "127.0.0.1"], /--allow and --deny need TCP/],
  ];
  for (const [args, message] of cases) {
    const port = args.includes("--unix") ? [] : ["--port", "0"];
    const result = await runInProcess(["server", ...port, ...args]);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /listening/);
  }
});

Deno.test("chat: works over a Unix socket (socat as a participant)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/chat.sock`;
  try {
    await using server = spawnCli(["server", "--unix", path]);
    await server.waitForStderr(/listening on unix:/);
    const socat = () =>
      new Deno.Command(requirePeer("socat"), {
        args: ["-t", "2", "-", `UNIX-CONNECT:${path}`],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    const first = socat();
    const firstIn = first.stdin.getWriter();
    await server.waitForStdout(/\* guest1 joined from unix client 1 \(unix\)\n/);
    const second = socat();
    const secondIn = second.stdin.getWriter();
    await server.waitForStdout(/\* guest2 joined from unix client 2 \(unix\)\n/);
    await secondIn.write(new TextEncoder().encode("over unix\n/quit\n"));
    await server.waitForStdout(/<guest2> over unix\n/);
    const secondOut = await second.output();
    assert.match(new TextDecoder().decode(secondOut.stdout), /\* bye\n$/);
    await firstIn.close();
    const firstOut = new TextDecoder().decode((await first.output()).stdout);
    assert.match(firstOut, /<guest2> over unix\n/);
    await secondIn.close().catch(() => {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("chat: --timeout ends the room like a shutdown, with exit 124", async () => {
  await using server = spawnCli(["server", "--port", "0", "--timeout", "1500ms"]);
  const { port } = await server.listening();
  await using a = await ChatPeer.connect(port);
  await a.waitFor(/welcome/);
  assert.equal(await server.exit(5_000), 124);
  assert.match(server.stderr, /sockchat: Timed out after 1\.50 s \(--timeout\)/);
  await a.waitForEnd(2_000);
  assert.match(a.text, /\* server shutting down\n$/);
});

Deno.test("chat: telnet's Ctrl-C and option negotiation reach no one", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using bob = await ChatPeer.connect(port);
  await bob.waitFor(/welcome/);
  await using telnet = await ChatPeer.connect(port);
  await telnet.waitFor(/welcome/);
  // What a telnet client sends: negotiation, a terminal type, Ctrl-C mid-line (IAC IP,
  // IAC DO TIMING-MARK), then the rest of the line with CRLF; one command split in two reads.
  await telnet.send(new Uint8Array([0xff, 0xfb, 0x18, 0xff, 0xfd, 0x03]));
  await telnet.send(new Uint8Array([0xff, 0xfa, 0x18, 0x00, 0x78, 0x74, 0xff, 0xf0]));
  await telnet.send(new Uint8Array([0x68, 0x65, 0x6c, 0xff, 0xf4, 0xff]));
  await new Promise((resolve) => setTimeout(resolve, 150)); // force a second TCP read
  await telnet.send(new Uint8Array([0xfd, 0x06, 0x6c, 0x6f, 0x0d, 0x0a]));
  await telnet.send(new Uint8Array([0xff, 0xf4, 0xff, 0xfd, 0x06])); // Ctrl-C alone
  await telnet.send("after\r\n");
  await bob.waitFor(/<guest2> after\n/);
  assert.deepEqual(bob.lines.filter((line) => line.startsWith("<")), [
    "<guest2> hello",
    "<guest2> after",
  ]);
  assert.ok(!bob.text.includes("\ufffd"), bob.text);
  await server.waitForStdout(/<guest2> after\n/);
  assert.match(server.stdoutText, /<guest2> hello\n<guest2> after\n/);
  assert.ok(!server.stdoutText.includes("\ufffd"), server.stdoutText);
});

Deno.test("chat: probes (sockchat wait, nc -z) that connect and leave without a byte are no visit", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using alice = await ChatPeer.connect(port);
  await alice.waitFor(/welcome/);
  await alice.send("/nick alice\n");
  await server.waitForStdout(/\* alice joined from/);
  const waited = await runCli(["wait", `127.0.0.1:${port}`, "--timeout", "5s"]);
  assert.equal(waited.code, 0, waited.stderr);
  const nc = await new Deno.Command(requirePeer("nc"), {
    args: ["-z", "127.0.0.1", String(port)],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(nc.code, 0, new TextDecoder().decode(nc.stderr));
  // Someone who stays is announced (guest2 and guest3 were the probes).
  await using bob = await ChatPeer.connect(port);
  await alice.waitFor(/\* guest4 joined\n/);
  await bob.send("hi\n");
  await alice.waitFor(/<guest4> hi\n/);
  await server.waitForStdout(/<guest4> hi\n/);
  assert.doesNotMatch(alice.text, /guest[23]/);
  assert.doesNotMatch(server.stdoutText, /guest[23]/);
});

Deno.test("chat: client --name joins a sockchat room once as that name", async () => {
  await using server = spawnCli(["server", "--port", "0"]);
  const { port } = await server.listening();
  await using alice = await ChatPeer.connect(port);
  await alice.waitFor(/welcome/);
  await alice.send("/nick alice\n");
  await server.waitForStdout(/\* alice joined/);
  const carol = await runCli(["client", "--name", "carol", "127.0.0.1", String(port)], {
    input: "hi\n",
  });
  assert.equal(carol.code, 0, carol.stderr);
  assert.equal(carol.stderr, "");
  assert.match(
    carol.stdoutText,
    /^\* welcome, you are guest2 .*\n\* guest2 is now known as carol\n/,
  );
  await alice.waitFor(/\* carol left\n/);
  assert.deepEqual(alice.lines.slice(2), ["* carol joined", "<carol> hi", "* carol left"]);
});

Deno.test("chat: client --name sends no /nick to ncat --chat (not a sockchat server)", async () => {
  const port = freePort();
  await using ncat = spawnPeer([
    requirePeer("ncat"),
    "-v",
    "--chat",
    "-l",
    "127.0.0.1",
    String(port),
  ]);
  await ncat.waitForStderr(/Listening on/);
  await using observer = await ChatPeer.connect(port);
  await ncat.waitForStderr(/Connection from/);
  const carol = await runCli(["client", "--name", "carol", "127.0.0.1", String(port)], {
    input: "hi from carol\n",
  });
  assert.equal(carol.code, 0, carol.stderr);
  assert.match(
    carol.stderr,
    /warning: --name not sent: .* did not greet as a sockchat chat server/,
  );
  await observer.waitFor(/> hi from carol\n/);
  assert.doesNotMatch(observer.text, /\/nick/);
});
