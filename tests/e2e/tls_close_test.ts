/**
 * When sockchat ends a TLS connection itself (end of stdin, `--timeout`, `--idle-timeout`,
 * Ctrl-C, SIGTERM), the peer gets close_notify and then the FIN, in every TLS mode: Deno's
 * TLS (`--ca`), node:tls over our connection (`--fingerprint`, `--insecure`) and the
 * server's accept. A half-close sends both at once, not only at the full close.
 */

import assert from "node:assert/strict";
import { spawnCli } from "../_helpers/cli.ts";
import { makePki, openssl, opensslServer, type Pki } from "../_helpers/pki.ts";
import {
  type TlsWatcher,
  watchEnd,
  watchEvents,
  watchTlsClient,
  watchTlsServer,
} from "../_helpers/tls_watch.ts";

/** The server certificate's SHA-256 fingerprint, as `--fingerprint` takes it. */
async function fingerprintOf(pki: Pki): Promise<string> {
  await openssl(
    ["x509", "-in", pki.serverCert, "-noout", "-fingerprint", "-sha256", "-out", "fp.txt"],
    pki.dir,
  );
  return (await Deno.readTextFile(`${pki.dir}/fp.txt`)).trim().split("=")[1]!;
}

/** The watcher saw close_notify after all of `bytes`, then the FIN, and nothing else. */
function assertCleanEnd(watcher: TlsWatcher, bytes: number, what: string): void {
  const events = watchEvents(watcher).filter((e) => e.event !== "data");
  assert.deepEqual(events, [
    { event: "secure", bytes: 0 },
    { event: "close_notify", bytes },
    { event: "fin", bytes },
  ], `${what}: ${watcher.stdoutText}`);
}

type Ending = "--timeout" | "--idle-timeout" | "SIGINT" | "SIGTERM";

const EXIT: Record<Ending, number> = {
  "--timeout": 124,
  "--idle-timeout": 124,
  SIGINT: 130,
  SIGTERM: 130,
};

/** `client MODE` sends `hi` with stdin still open, then `ending` ends it. */
async function clientEnds(mode: "--ca" | "--fingerprint" | "--insecure", ending: Ending) {
  await using pki = await makePki();
  const { watcher, port } = await watchTlsClient(pki.serverCert, pki.serverKey);
  await using _watcher = watcher;
  const tls = mode === "--ca"
    ? ["--ca", pki.caCert]
    : mode === "--fingerprint"
    ? ["--fingerprint", await fingerprintOf(pki)]
    : ["--insecure"];
  const limit = ending === "--timeout"
    ? ["--timeout", "3s"]
    : ending === "--idle-timeout"
    ? ["--idle-timeout", "1s"]
    : [];
  await using client = spawnCli(["client", ...tls, ...limit, "127.0.0.1", port], {
    stdin: "piped",
  });
  await client.write("hi");
  await watcher.waitForStdout(/ data 2\n/, 15_000);
  if (ending === "SIGINT" || ending === "SIGTERM") client.kill(ending);
  assert.equal(await client.exit(15_000), EXIT[ending], client.stderr);
  await watchEnd(watcher);
  assertCleanEnd(watcher, 2, `client ${mode} ended by ${ending}`);
}

for (
  const [mode, ending] of [
    ["--ca", "--timeout"],
    ["--ca", "--idle-timeout"],
    ["--ca", "SIGINT"],
    ["--fingerprint", "--timeout"],
    ["--insecure", "SIGTERM"],
  ] as const
) {
  Deno.test(`client ${mode} ended by ${ending}: close_notify, then FIN`, async () => {
    await clientEnds(mode, ending);
  });
}

Deno.test("client --ca ended by --timeout: openssl s_server sees a clean close, no unexpected eof", async () => {
  await using pki = await makePki();
  const { server, port } = await opensslServer(pki);
  await using _server = server;
  await using client = spawnCli([
    "client",
    "--ca",
    pki.caCert,
    "--timeout",
    "2s",
    "127.0.0.1",
    port,
  ], {
    stdin: "piped",
  });
  await client.write("hi");
  assert.equal(await client.exit(15_000), 124, client.stderr);
  const [outcome] = await server.waitForStdout(/DONE|ERROR/, 15_000);
  assert.equal(outcome, "DONE", `s_server: ${server.stdoutText}${server.stderr}`);
  assert.doesNotMatch(server.stdoutText + server.stderr, /unexpected eof/);
});

for (const mode of ["--ca", "--fingerprint"] as const) {
  Deno.test(`client ${mode}: end of stdin sends close_notify and FIN at once, while the server's side stays open`, async () => {
    await using pki = await makePki();
    const { watcher, port } = await watchTlsClient(pki.serverCert, pki.serverKey);
    await using _watcher = watcher;
    const tls = mode === "--ca"
      ? ["--ca", pki.caCert]
      : ["--fingerprint", await fingerprintOf(pki)];
    await using client = spawnCli(["client", ...tls, "127.0.0.1", port], { stdin: "piped" });
    await client.write("hi");
    await client.closeStdin();
    // The watcher never closes first: the FIN can only be the client's half-close.
    await watchEnd(watcher);
    assertCleanEnd(watcher, 2, `client ${mode} half-close`);
    await watcher.closeStdin(); // the watcher answers with its close_notify and closes
    assert.equal(await client.exit(15_000), 0, client.stderr);
  });
}

Deno.test("server --tls --mode pipe: end of stdin sends close_notify and FIN at once, while the client's side stays open", async () => {
  await using server = spawnCli(["server", "--mode", "pipe", "--tls", "--port", "0"], {
    stdin: "piped",
  });
  const { port } = await server.listening(20_000);
  await using watcher = watchTlsServer(port);
  await watcher.waitForStdout(/ secure /, 15_000);
  await server.write("hi");
  await server.closeStdin();
  // The watcher never closes first: the FIN can only be the server's half-close.
  await watchEnd(watcher);
  assertCleanEnd(watcher, 2, "server half-close");
  await watcher.closeStdin();
  assert.equal(await server.exit(15_000), 0, server.stderr);
});

for (
  const [mode, ending] of [["pipe", "--timeout"], ["echo", "SIGTERM"]] as const
) {
  Deno.test(`server --tls --mode ${mode} ended by ${ending}: close_notify, then FIN`, async () => {
    const limit = ending === "--timeout" ? ["--timeout", "3s"] : [];
    await using server = spawnCli(
      ["server", "--mode", mode, "--tls", "--port", "0", ...limit],
      { stdin: "piped" },
    );
    const { port } = await server.listening(20_000);
    await using watcher = watchTlsServer(port);
    await watcher.waitForStdout(/ secure /, 15_000);
    if (ending === "SIGTERM") server.kill("SIGTERM");
    const code = await server.exit(15_000);
    assert.equal(code, ending === "--timeout" ? 124 : 0, server.stderr);
    await watchEnd(watcher);
    assertCleanEnd(watcher, 0, `server ${mode} ended by ${ending}`);
  });
}
