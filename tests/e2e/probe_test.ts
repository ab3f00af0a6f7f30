import assert from "node:assert/strict";
import { freePort } from "../_helpers/ports.ts";
import { requirePeer } from "../_helpers/peers.ts";
import { runCli, runInProcess, spawnPeer } from "../_helpers/cli.ts";
import { within } from "../_helpers/wait.ts";

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("probe prints one line per port in the order listed and exits 0 when all are open", async () => {
  using a = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using b = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = [a.accept(), b.accept()];
  const result = await runCli(["probe", "127.0.0.1", `${b.addr.port},${a.addr.port}`]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  assert.equal(
    result.stdoutText,
    `127.0.0.1 ${b.addr.port} open\n127.0.0.1 ${a.addr.port} open\n`,
  );
  for (const conn of await within(Promise.all(accepted), 5_000, "the probes")) {
    assert.equal(await conn.read(new Uint8Array(8)), null, "probe must send nothing");
    conn.close();
  }
});

Deno.test("probe exits 1 when some ports are closed, and names the count on stderr", async () => {
  using open = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = open.accept();
  const closed = freePort();
  const result = await runCli([
    "probe",
    "localhost",
    `${open.addr.port},${closed}`,
    "-4",
    "--json",
  ]);
  assert.equal(result.code, 1, result.stderr);
  const events = jsonLines(result.stdoutText);
  const probes = events.filter((e) => e.type === "probe");
  assert.deepEqual(probes.map((e) => [e.host, e.address, e.port, e.state, e.error]), [
    ["localhost", "127.0.0.1", open.addr.port, "open", undefined],
    ["localhost", "127.0.0.1", closed, "closed", "connection refused"],
  ]);
  assert.equal(events.at(-1)?.type, "error");
  assert.equal(events.at(-1)?.exitCode, 1);
  assert.equal(result.stderr, 'sockchat: 1 of 2 ports open on "localhost": 1 closed\n');
  (await accepted).close();
});

Deno.test("probe covers a range with a bound on concurrency (nc -z agrees on which are open)", async () => {
  const nc = requirePeer("nc");
  using l1 = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using l2 = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = [l1, l2].map(async (l) => {
    for await (const conn of l) conn.close();
  });
  const low = Math.min(l1.addr.port, l2.addr.port);
  const high = Math.max(l1.addr.port, l2.addr.port);
  const from = Math.max(1, low - 3);
  const to = Math.min(high + 3, from + 199);
  const result = await runCli(["probe", "127.0.0.1", `${from}-${to}`, "--concurrency", "4"]);
  const lines = result.stdoutText.trim().split("\n");
  assert.equal(lines.length, to - from + 1);
  assert.deepEqual(
    lines.map((line) => Number(line.split(" ")[1])),
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );
  const openPorts = lines.filter((line) => line.endsWith(" open")).map((l) =>
    Number(l.split(" ")[1])
  );
  const ours = [l1.addr.port, l2.addr.port].filter((p) => p <= to);
  for (const port of ours) {
    assert.ok(openPorts.includes(port), `listener on ${port} reported open`);
    const check = await new Deno.Command(nc, { args: ["-z", "127.0.0.1", String(port)] }).output();
    assert.equal(check.code, 0, `nc -z agrees that ${port} is open`);
  }
  assert.equal(result.code, openPorts.length === lines.length ? 0 : 1, result.stderr);
  l1.close();
  l2.close();
  await Promise.allSettled(accepting);
});

Deno.test("probe reports timeout and exits 124 for a port whose accept queue is full", async () => {
  requirePeer("python3");
  // A listener with a full accept queue drops new SYNs: the connect never completes.
  const script = `
import socket, sys, select
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(0)
port = srv.getsockname()[1]
held = []
for _ in range(64):
    c = socket.socket(); c.setblocking(False); c.connect_ex(("127.0.0.1", port)); held.append(c)
    _, w, _ = select.select([], [c], [], 0.3)
    if not w: break
else:
    sys.exit("the accept queue never filled")
print(port, flush=True)
sys.stdin.read()
`;
  await using peer = spawnPeer(["python3", "-c", script], { stdin: "piped" });
  const port = await peer.waitFor(() => /^(\d+)\n/.exec(peer.stdoutText)?.[1], "the full listener");
  const closed = freePort();
  const result = await runCli(["probe", "127.0.0.1", `${port},${closed}`, "-w", "300ms"]);
  assert.equal(
    result.stdoutText,
    `127.0.0.1 ${port} timeout (timed out)\n127.0.0.1 ${closed} closed (connection refused)\n`,
  );
  assert.equal(result.code, 1, "a closed port beats a timeout: exit 1");
  const only = await runCli(["probe", "127.0.0.1", port, "-w", "300ms"]);
  assert.equal(only.code, 124, only.stderr);
  assert.equal(
    only.stderr,
    'sockchat: 0 of 1 port open on "127.0.0.1": 1 timed out after 300 ms\n',
  );
  await peer.closeStdin();
});

Deno.test("probe usage errors exit 2 before any socket opens", async () => {
  const cases: [string[], RegExp][] = [
    [["probe", "127.0.0.1", "80,x"], /^sockchat: Invalid port list "80,x": "x" is not a port/],
    [["probe", "127.0.0.1"], /^sockchat: Missing PORTS/],
    [["probe", "127.0.0.1", "80", "81"], /^sockchat: Too many arguments: "81"/],
    [["probe", "a b", "80"], /^sockchat: Invalid host "a b"/],
    [["probe", "127.0.0.1", "80", "--concurrency", "0"], /^sockchat: Invalid --concurrency "0"/],
    [["probe", "127.0.0.1", "80", "-w", "0"], /^sockchat: Invalid --timeout "0"/],
    [["probe", "::1", "80", "-4"], /^sockchat: Option -4 needs an IPv4 address/],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(args);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdoutText, "");
  }
});

Deno.test("nc's -z points to probe", async () => {
  const result = await runInProcess(["client", "-z", "127.0.0.1", "80"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /use "sockchat probe HOST PORTS"/);
});
