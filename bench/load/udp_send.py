"""The UDP rate sender, the same for every receiver (sockchat udp recv, nc -u -l, socat).

One connected UDP socket (one source port, so `nc -u -l`, which connects to its first
sender, keeps receiving). Reads commands on stdin, one per line: `RATE MS` sends 100-byte
datagrams at RATE per second for MS milliseconds (RATE 0: as fast as it can), then prints
`SENT ELAPSED_MS` on stdout. End of stdin ends it.

Usage: python3 bench/load/udp_send.py PORT
"""

import socket
import sys
import time

SIZE = 100
BATCH = 50


def main() -> None:
    port = int(sys.argv[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    sock.connect(("127.0.0.1", port))
    payload = b"d" * (SIZE - 1) + b"."
    send = sock.send
    clock = time.perf_counter
    for line in sys.stdin:
        rate, ms = (float(x) for x in line.split())
        sent = 0
        start = clock()
        end = start + ms / 1000
        while True:
            now = clock()
            if now >= end:
                break
            due = BATCH if rate == 0 else min(BATCH, int((now - start) * rate) - sent)
            if due <= 0:
                time.sleep(0.0002)
                continue
            for _ in range(due):
                try:
                    send(payload)
                except (BlockingIOError, ConnectionRefusedError):
                    pass  # a full buffer or an ICMP error from a late receiver: not sent
                else:
                    sent += 1
        print(sent, round((clock() - start) * 1000, 3), flush=True)


if __name__ == "__main__":
    main()
