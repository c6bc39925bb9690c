#!/usr/bin/env python3
"""Bulk TCP transfers for the WAN benchmark (wan_bench.sh), one process per end.

  wan_flow.py sink PORT
      Accepts connections. Each starts with an 8-byte big-endian length N, then N bytes. The rate
      is counted between two moments: one between the first eighth and the first quarter of N
      (start-up is not measured) and one between three quarters and seven eighths. Data a tunnel
      has received but holds behind a lost packet reaches the sink late, in a burst, so bytes
      counted at a moment understate what had crossed the link by then by what was held. Timed
      to the last byte (nothing held) from a moment when much was held, the held data counts as
      crossing afterwards: hypertele, which keeps a deep queue full, always holds some behind a
      loss, and read up to 1.1x a lossy 10 Mbit/s link that way. So each moment is the one of
      its span right after such a burst (the most delivered against the transfer's mean rate),
      and where a tool holds as much at both moments, that cancels. It lowers the bias, not
      removes it: a tool whose queue is deeper early in a transfer (hypertele after its
      start-up) holds more at the first moment, and still reads up to 7 % over a lossy
      10 Mbit/s link. The sink prints one JSON line {"bytes", "seconds",
      "mbyte_s", "to_last_mbyte_s", "samples"} (to_last: timed to the last byte, for
      comparison), answers one byte and closes. "samples" are [monotonic s, bytes so far]
      about every 0.1 s, on one clock for all connections, so flows that overlap can be
      compared over the time they share (a flow that ends first leaves the link to the other,
      which a whole-transfer average would count as that one's share). A transfer still short
      of N after MAX_S s (the source's limit) is reported on what arrived. Everything sent is read: the sink never resets a connection.
  wan_flow.py source HOST PORT BYTES MAX_S
      Connects, sends the length and BYTES bytes (or as many as MAX_S s allow), then waits for
      the sink's answer before closing. No half-close: hypertele cuts data short on one.

A fixed amount rather than a fixed time, because hypertele has no backpressure: fed without
limit, it reads the source into memory at local speed and the link starves meanwhile.
"""
import json
import socket
import struct
import sys
import threading
import time


def serve(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    head = b""
    while len(head) < 8:
        part = conn.recv(8 - len(head))
        if not part:
            conn.close()
            return
        head += part
    want = struct.unpack("!Q", head)[0]
    warm, settled = want // 8, want // 4
    late, last = want * 3 // 4, want * 7 // 8
    buf = bytearray(1 << 18)
    view = memoryview(buf)
    got = 0
    starts = []  # (monotonic s, bytes so far) after each read between warm and settled
    ends = []  # the same between late and last
    samples = [[round(time.monotonic(), 4), 0]]
    try:
        while got < want:
            n = conn.recv_into(view)
            if n == 0:
                break
            got += n
            now = time.monotonic()
            if now - samples[-1][0] >= 0.1:
                samples.append([round(now, 4), got])
            if warm <= got and (got <= settled or not starts):
                starts.append((now, got))
            if late <= got and (got <= last or not ends):
                ends.append((now, got))
    except OSError:
        pass
    t_end = time.monotonic()
    samples.append([round(t_end, 4), got])
    # From the start span to the last byte, the moment giving the lowest rate (the sink before
    # the two spans; kept in the output as "to_last_mbyte_s" for comparison).
    last_secs = last_counted = 0
    for t, at in starts:
        if t < t_end and at < got and (
                last_secs == 0 or (got - at) / (t_end - t) < last_counted / last_secs):
            last_secs, last_counted = t_end - t, got - at
    secs, counted = last_secs, last_counted  # a short transfer, or one cut short
    if starts and ends and ends[0][0] > starts[-1][0]:
        mean = (ends[-1][1] - starts[0][1]) / max(ends[-1][0] - starts[0][0], 1e-6)
        t1, a1 = max(starts, key=lambda m: m[1] - mean * m[0])
        t2, a2 = max(ends, key=lambda m: m[1] - mean * m[0])
        secs, counted = t2 - t1, a2 - a1
    print(json.dumps({"bytes": got, "complete": got >= want, "seconds": round(secs, 3),
                      "mbyte_s": round(counted / secs / 1e6, 3) if secs > 0 else 0,
                      "to_last_mbyte_s":
                          round(last_counted / last_secs / 1e6, 3) if last_secs > 0 else 0,
                      "samples": samples}), flush=True)
    try:
        conn.sendall(b"k")
        # Whatever the source still sends (a transfer cut short) is read, not reset.
        conn.settimeout(30)
        while conn.recv_into(view) > 0:
            pass
    except OSError:
        pass
    conn.close()


def sink(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def source(host, port, total, max_s):
    s = socket.create_connection((host, port), timeout=60)
    s.settimeout(10)
    chunk = bytes(range(256)) * 256  # 64 KiB
    deadline = time.monotonic() + max_s
    s.sendall(struct.pack("!Q", total))
    left = total
    try:
        while left > 0 and time.monotonic() < deadline:
            n = min(left, len(chunk))
            s.sendall(chunk[:n])
            left -= n
        s.settimeout(max(1.0, deadline - time.monotonic()))
        s.recv(1)
    except OSError:
        pass
    s.close()


def main():
    a = sys.argv
    if len(a) == 3 and a[1] == "sink":
        sink(int(a[2]))
    elif len(a) == 6 and a[1] == "source":
        source(a[2], int(a[3]), int(float(a[4])), float(a[5]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
