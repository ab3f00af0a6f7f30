/**
 * A TLS peer that says exactly how the other side ended: Python's ssl (OpenSSL) over a
 * memory BIO, so the TLS close_notify and the TCP FIN are seen apart. It prints one line
 * per event on stdout, `SECONDS EVENT BYTES` (BYTES = application bytes received so far):
 * `listening PORT` (server role), `secure`, `data`, `close_notify`, then `fin` (FIN after
 * close_notify), `unclean-eof` (FIN without close_notify) or `reset`. It never sends data
 * and never closes first: once the other side's FIN came, it waits for its stdin to end,
 * then answers with its own close_notify and closes.
 * @module
 */

import { type CliProcess, spawnPeer } from "./cli.ts";
import { requirePeer } from "./peers.ts";

const WATCH = `
import socket, ssl, sys, time
T0 = time.time()
def say(*words):
    # One write per line: with PYTHONUNBUFFERED, print() writes each word on its own.
    sys.stdout.write("%.3f %s\\n" % (time.time() - T0, " ".join(map(str, words))))
    sys.stdout.flush()
if sys.argv[1] == "client":
    raw = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    server_side = False
else:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    say("listening", listener.getsockname()[1])
    raw, _ = listener.accept()
    listener.close()
    server_side = True
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(incoming, outgoing, server_side=server_side)
def flush():
    data = outgoing.read()
    if data:
        raw.sendall(data)
def pull():
    try:
        chunk = raw.recv(65536)
    except ConnectionResetError:
        say("reset", total)
        sys.exit(0)
    if chunk:
        incoming.write(chunk)
    else:
        incoming.write_eof()
    return chunk
total = 0
while True:
    try:
        tls.do_handshake()
        flush()
        break
    except ssl.SSLWantReadError:
        flush()
        if not pull():
            say("eof-in-handshake", total)
            sys.exit(1)
say("secure", total)
notified = False
while True:
    try:
        data = tls.read(65536)
        if data:
            total += len(data)
            say("data", total)
            continue
        if not notified:
            notified = True
            say("close_notify", total)
    except ssl.SSLWantReadError:
        pass
    except ssl.SSLZeroReturnError:
        if not notified:
            notified = True
            say("close_notify", total)
    except ssl.SSLEOFError:
        say("unclean-eof", total)
        sys.exit(0)
    flush()
    if not pull():
        say("fin" if notified else "unclean-eof", total)
        break
sys.stdin.read()
try:
    tls.unwrap()
except ssl.SSLError:
    pass
try:
    flush()
except OSError:
    pass
raw.close()
`;

/** One line of the watcher's report. */
export interface WatchEvent {
  event: string;
  /** Application bytes received when it happened. */
  bytes: number;
}

/** A running watcher (a CliProcess: stdout holds its report, `closeStdin()` lets it close). */
export type TlsWatcher = CliProcess;

/** Connects to a TLS server on 127.0.0.1:`port` (no verification) and watches it. */
export function watchTlsServer(port: number | string): TlsWatcher {
  return spawnPeer([requirePeer("python3"), "-c", WATCH, "client", String(port)], {
    stdin: "piped",
  });
}

/** Listens on 127.0.0.1 with `cert`/`key` for one TLS client; resolves with its port. */
export async function watchTlsClient(
  cert: string,
  key: string,
): Promise<{ watcher: TlsWatcher; port: string }> {
  const watcher = spawnPeer([requirePeer("python3"), "-c", WATCH, "server", cert, key], {
    stdin: "piped",
  });
  const port = (await watcher.waitForStdout(/listening (\d+)/, 15_000))[1]!;
  return { watcher, port };
}

/** The events reported so far, in order. */
export function watchEvents(watcher: TlsWatcher): WatchEvent[] {
  return watcher.stdoutText.split("\n").flatMap((line) => {
    const [, event, bytes] = line.split(" ");
    return event === undefined || event === "listening"
      ? []
      : [{ event, bytes: Number(bytes ?? 0) }];
  });
}

/** Waits (bounded) until the watcher saw how the other side ended; returns every event. */
export async function watchEnd(watcher: TlsWatcher, timeoutMs = 15_000): Promise<WatchEvent[]> {
  await watcher.waitForStdout(/ (fin|unclean-eof|reset|eof-in-handshake) \d+\n/, timeoutMs);
  return watchEvents(watcher);
}
