/**
 * Python 3 as the other end of UDP tests (the classic `socket` module, as a user's own
 * script would do it): a sender of given payloads and a receiver/responder that reports
 * what it got as JSON lines.
 * @module
 */

import { requirePeer } from "./peers.ts";
import { deadlineFor } from "./wait.ts";

const SEND = `
import socket, sys, base64
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
for item in sys.stdin.read().split():
    s.sendto(base64.b64decode(item if item != "-" else ""), (sys.argv[1], int(sys.argv[2])))
print(s.getsockname()[1], flush=True)
`;

const RECV = `
import socket, sys, json, hashlib, base64
host, count, reply = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((host, 0))
print(json.dumps({"port": s.getsockname()[1]}), flush=True)
for _ in range(count):
    data, addr = s.recvfrom(70000)
    print(json.dumps({"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        "base64": base64.b64encode(data).decode(), "port": addr[1]}), flush=True)
    if reply == "echo":
        s.sendto(data, addr)
    elif reply == "stranger-then-echo":
        other = socket.socket(family, socket.SOCK_DGRAM)
        other.sendto(b"not from the target", addr)
        other.close()
        s.sendto(b"pong " + data, addr)
`;

/**
 * Sends each payload as one datagram from an in-process socket; resolves to the source
 * port. For tests where the sender's kind does not matter and a process start would
 * cost time that a short `--timeout` counts.
 */
export async function udpSend(host: string, port: number, payloads: Uint8Array[]) {
  const socket = Deno.listenDatagram({ hostname: host, port: 0, transport: "udp" });
  try {
    for (const payload of payloads) {
      await socket.send(payload, { hostname: host, port, transport: "udp" });
    }
    return (socket.addr as Deno.NetAddr).port;
  } finally {
    socket.close();
  }
}

/** Sends each payload as one datagram from one socket; resolves to the source port. */
export async function pythonSend(
  host: string,
  port: number,
  payloads: Uint8Array[],
): Promise<number> {
  const python = requirePeer("python3");
  const child = new Deno.Command(python, {
    args: ["-c", SEND, host, String(port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(payloads.map((p) => p.length === 0 ? "-" : toBase64(p)).join("\n")),
  );
  await writer.close();
  const out = await child.output();
  if (out.code !== 0) {
    throw new Error(`python sender failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return Number(new TextDecoder().decode(out.stdout).trim());
}

/** One datagram as the Python receiver saw it. */
export interface Received {
  bytes: number;
  sha256: string;
  base64: string;
  port: number;
}

/** A running Python receiver. */
export class PythonReceiver implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #lines: AsyncIterator<string>;
  port = 0;

  constructor(host: string, count: number, reply: "none" | "echo" | "stranger-then-echo") {
    this.#child = new Deno.Command(requirePeer("python3"), {
      args: ["-c", RECV, host, String(count), reply],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#lines = this.#child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineStream(),
    )[Symbol.asyncIterator]();
  }

  async #next(timeoutMs: number): Promise<string> {
    using timer = deadlineFor(timeoutMs);
    const result = await timer.race(this.#lines.next());
    if (result === "timeout") throw new Error(`python receiver: nothing after ${timeoutMs} ms`);
    if (result.done) throw new Error("python receiver exited");
    return result.value;
  }

  /** Waits until it is bound; returns its port. */
  async ready(): Promise<number> {
    this.port = (JSON.parse(await this.#next(10_000)) as { port: number }).port;
    return this.port;
  }

  /** The next datagram it received. */
  async received(timeoutMs = 10_000): Promise<Received> {
    return JSON.parse(await this.#next(timeoutMs)) as Received;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // exited already
    }
    await this.#child.status;
    while (!(await this.#lines.next()).done) { /* drain */ }
  }
}

/** Spawns a Python UDP receiver bound to `host` port 0. */
export async function pythonReceiver(
  host: string,
  count: number,
  reply: "none" | "echo" | "stranger-then-echo" = "none",
): Promise<PythonReceiver> {
  const receiver = new PythonReceiver(host, count, reply);
  await receiver.ready();
  return receiver;
}

class LineStream extends TransformStream<string, string> {
  constructor() {
    let rest = "";
    super({
      transform(chunk, controller) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop() ?? "";
        for (const line of parts) controller.enqueue(line);
      },
      flush(controller) {
        if (rest !== "") controller.enqueue(rest);
      },
    });
  }
}

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of base64. */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
