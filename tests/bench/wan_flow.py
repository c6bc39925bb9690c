#!/usr/bin/env python3
"""Bulk TCP flows for the WAN benchmark (wan_bench.sh), one process per end.

  wan_flow.py sink PORT WARMUP_S MEASURE_S
      Accepts connections; for each, counts what arrives from WARMUP_S after its first byte for
      MEASURE_S, prints one JSON line {"bytes", "seconds", "mbyte_s"} and closes it. Measuring a
      window and closing from this end keeps the figures clear of start-up and of half-close
      (hypertele cuts data short when a client half-closes).
  wan_flow.py source HOST PORT MAX_S
      Connects and writes as fast as the tunnel takes it until the sink closes or MAX_S pass.
"""
import json
import socket
import sys
import threading
import time


def serve(conn, warmup, measure):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    buf = bytearray(1 << 18)
    view = memoryview(buf)
    first = None
    counted = 0
    start = end = None
    try:
        while True:
            n = conn.recv_into(view)
            if n == 0:
                break
            now = time.monotonic()
            if first is None:
                first = now
                start = first + warmup
                end = start + measure
            if now >= end:
                break
            if now >= start:
                counted += n
    except OSError:
        pass
    secs = min(time.monotonic(), end or 0) - (start or 0) if first else 0
    rec = {"bytes": counted, "seconds": round(secs, 3),
           "mbyte_s": round(counted / secs / 1e6, 3) if secs > 0 else 0}
    print(json.dumps(rec), flush=True)
    conn.close()


def sink(port, warmup, measure):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, warmup, measure), daemon=True).start()


def source(host, port, max_s):
    s = socket.create_connection((host, port), timeout=30)
    s.settimeout(5)
    chunk = bytes(range(256)) * 256  # 64 KiB
    deadline = time.monotonic() + max_s
    try:
        while time.monotonic() < deadline:
            s.sendall(chunk)
    except OSError:
        pass
    s.close()


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "sink":
        sink(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "source":
        source(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
