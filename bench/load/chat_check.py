"""An independent chat fan-out load generator: the cross-check of the bench's own.

Written without any of the bench's Deno code, the way someone checking our numbers would:
one Python process, `selectors`, plain sockets. One client sends, every other client is a
receiver counting lines. The same program drives every chat server (sockchat's chat
mode, `ncat --chat`).

- Connect: CLIENTS clients, one at a time, each after its first bytes (the greeting);
  with `--stuck` the first one never reads a byte (it counts as one of the CLIENTS).
  What the servers say on joining is left to go quiet and is not counted.
- The sender is a forked process of its own, so how fast it writes does not depend on
  how busy the receivers keep this one (a paste or a bot writes at its own speed).
- `blast`: the sender writes LINES lines as fast as its socket takes them, WRITE_LINES
  lines per send. Rate: receivers' message lines per second, from the first send to the
  last delivery.
- `paced`: the sender writes one line every PACE_MS ms, LINES lines.
- Latency of a line at a receiver: when it was read minus when the send that completed it
  returned (one clock, one process); p50 and p99 over every delivery.

A message line is `the quick brown fox jumps over the lazy dog @SEQ`. Servers put a `<nick> ` prefix in front of what a client
sent (sockchat on every line, ncat once per chunk it read, so an ncat prefix can even
land inside a line): prefixes are stripped. Each receiver's message lines must be exactly
the message numbers in order; they are counted in bulk (`bytes.count`) so the generator
keeps up. Lines without `@` (joins, notices) are ignored.

Prints one JSON object per phase, one line: {"blast": {rate, ms, p50, p99, deliveries,
expected}, "paced": {...}, "stuck_open": bool (with --stuck)}; times in ms.

Usage: python3 bench/load/chat_check.py PORT [--phases blast,paced] [--clients 200]
       [--lines 10000] [--write-lines 1] [--paced-lines 2000] [--pace-ms 1] [--stuck]
"""

import argparse
import array
import json
import os
import re
import selectors
import socket
import sys
import time

PREFIX = re.compile(rb"<[A-Za-z0-9_.-]+> ")
READ = 65536
TEXT = b"the quick brown fox jumps over the lazy dog"
clock = time.perf_counter


class Receiver:
    def __init__(self, sock):
        self.sock = sock
        self.tail = b""
        self.next = 0  # the message number this receiver expects next
        self.reads = []  # (time, first message number, count)
        self.got_bytes = 0
        self.counting = False  # greetings and replayed history are not counted

    def on_data(self, data, now):
        self.got_bytes += len(data)
        if not self.counting:
            return
        data = self.tail + data
        end = data.rfind(b"\n") + 1
        self.tail = data[end:]
        lines = data[:end]
        count = lines.count(b"@")
        if count != lines.count(b"\n"):  # a greeting or notice among them
            count = sum(1 for line in PREFIX.sub(b"", lines).split(b"\n") if b" @" in line)
        if count == 0:
            return
        # The last message's number runs from its "@" to the end of its line (a notice,
        # such as "* 303 people joined", may follow it in the same read).
        last = lines[lines.rfind(b"@") + 1 :]
        seq = int(last[: last.find(b"\n")])
        if seq != self.next + count - 1:
            sys.exit(f"chat_check: expected message {self.next + count - 1}, got {seq}")
        self.reads.append((now, self.next, count))
        self.next += count


def read_one(key):
    """One read from a ready receiver; returns the bytes read."""
    try:
        data = key.fileobj.recv(READ)
    except BlockingIOError:
        return 0
    if not data:
        sys.exit("chat_check: the server closed a receiver")
    key.data.on_data(data, clock())
    return len(data)


def pump(sel, timeout):
    """Reads whatever is ready (one read per ready socket); returns bytes read."""
    return sum(read_one(key) for key, _ in sel.select(timeout))


def connect(port, clients, stuck, sel):
    socks, receivers = [], []
    for i in range(clients):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(sock)
        if stuck and i == 0:
            continue
        sock.setblocking(False)
        receiver = Receiver(sock)
        sel.register(sock, selectors.EVENT_READ, receiver)
        receivers.append(receiver)
        until = clock() + 5
        while receiver.got_bytes == 0:
            if clock() > until:
                sys.exit(f"chat_check: client {i} got no greeting within 5 s")
            pump(sel, 0.05)
    return socks, receivers


def settle(sel, quiet):
    last = clock()
    while clock() - last < quiet:
        if pump(sel, quiet / 4):
            last = clock()


def start_sender(sock, lines, pace_ms, write_lines):
    """Forks the sender: its own process, so its speed does not depend on the receivers.

    It writes `lines` (as fast as the socket takes them, `write_lines` per send, or one
    every `pace_ms` ms) and then the send time of each line (perf_counter, the same
    monotonic clock in both processes) into the returned pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid > 0:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    sock.setblocking(True)
    sent_at = array.array("d")
    start = clock()
    step = 1 if pace_ms else write_lines
    for i in range(0, len(lines), step):
        if pace_ms:
            time.sleep(max(0.0, start + i * pace_ms / 1000 - clock()))
        sock.sendall(b"".join(lines[i : i + step]))
        sent_at.extend([clock()] * len(lines[i : i + step]))
    with os.fdopen(write_end, "wb") as out:
        out.write(sent_at.tobytes())
    os._exit(0)


def phase(sel, receivers, sender, payload, first, pace_ms, write_lines):
    """Runs one phase (messages first..len(payload)); returns its numbers."""
    marks = [len(r.reads) for r in receivers]
    t0 = clock()
    pid, times = start_sender(sender, payload[first:], pace_ms, write_lines)
    expected = (len(payload) - first) * len(receivers)
    delivered = lambda: sum(r.next for r in receivers) - first * len(receivers)
    until = clock() + 30 + len(payload) * (pace_ms or 0) / 1000
    while delivered() < expected and clock() < until:
        pump(sel, 0.1)
    with os.fdopen(times, "rb") as pipe:
        sent_at = [0.0] * first + array.array("d", pipe.read()).tolist()
    os.waitpid(pid, 0)
    reads = [read for r, mark in zip(receivers, marks) for read in r.reads[mark:]]
    last = max((now for now, _, _ in reads), default=t0)
    latencies = sorted(now - sent_at[seq] for now, a, n in reads for seq in range(a, a + n))
    pick = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
    return {
        "deliveries": delivered(),
        "expected": expected,
        "ms": (last - t0) * 1000,
        "rate": delivered() / (last - t0) if last > t0 else 0,
        "p50": pick(0.5) if latencies else None,
        "p99": pick(0.99) if latencies else None,
    }


def still_open(sock):
    """True while the server keeps the never-reading client's connection."""
    sock.setblocking(False)
    try:
        while sock.recv(READ):
            pass
        return False  # end of stream: it was closed
    except BlockingIOError:
        return True
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--phases", default="blast,paced")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--lines", type=int, default=10000, help="lines of a blast")
    ap.add_argument("--write-lines", type=int, default=1, help="lines per send in a blast")
    ap.add_argument("--paced-lines", type=int, default=2000)
    ap.add_argument("--pace-ms", type=float, default=1.0)
    ap.add_argument("--stuck", action="store_true")
    args = ap.parse_args()

    sel = selectors.DefaultSelector()
    socks, receivers = connect(args.port, args.clients, args.stuck, sel)
    sender = receivers.pop(0).sock  # the first reading client sends (and reads nothing)
    sel.unregister(sender)
    settle(sel, 0.2)
    for r in receivers:
        r.counting = True
    payload, result = [], {}
    for name in args.phases.split(","):
        first = len(payload)
        count = args.lines if name == "blast" else args.paced_lines
        payload += [b"%s @%d\n" % (TEXT, seq) for seq in range(first, first + count)]
        pace_ms = args.pace_ms if name == "paced" else None
        result[name] = phase(sel, receivers, sender, payload, first, pace_ms, args.write_lines)
        settle(sel, 0.1)
    if args.stuck:
        result["stuck_open"] = still_open(socks[0])
    print(json.dumps(result))
    for sock in socks:
        sock.close()


if __name__ == "__main__":
    main()
