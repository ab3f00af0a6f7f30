"""Connection churn against a chat server, for the memory soak (bench/soak/churn.ts).

Each cycle: connect, read the greeting, send "/nick cN" and a message, close. Mixed in:
RESETS connections reset by the client (SO_LINGER 0) and DENIED connections from
127.0.0.2 (the server denies that address). Up to PARALLEL cycles at once.
Prints one JSON line: {"cycles", "resets", "denied", "seconds", "errors"}.

Usage: python3 churn_load.py PORT CYCLES RESETS DENIED [PARALLEL=16]
"""
import json, socket, struct, sys, time
from concurrent.futures import ThreadPoolExecutor

port, cycles, resets, denied = (int(a) for a in sys.argv[1:5])
parallel = int(sys.argv[5]) if len(sys.argv) > 5 else 16


def cycle(i):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        got = b""
        while b"\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                return 1
            got += chunk
        s.sendall(b"/nick c%d\nhello from %d\n" % (i, i))
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
    return 0


def reset(_):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return 0


def deny(_):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10,
                                      source_address=("127.0.0.2", 0)) as s:
            s.recv(16)
    except OSError:
        pass
    return 0


def safe(pair):
    i, job = pair
    try:
        return job(i)
    except OSError:
        return 1


# Resets and denied peers arrive spread over the churn, not in one block.
jobs = [cycle] * cycles
for k, extra in enumerate([reset] * resets + [deny] * denied):
    jobs.insert((k * 7919) % (len(jobs) + 1), extra)
start = time.monotonic()
with ThreadPoolExecutor(parallel) as pool:
    errors = sum(pool.map(safe, enumerate(jobs)))
print(json.dumps({"cycles": cycles, "resets": resets, "denied": denied,
                  "seconds": round(time.monotonic() - start, 2), "errors": errors}), flush=True)
