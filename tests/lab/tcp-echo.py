#!/usr/bin/env python3
"""TCP echo service and pusher for the NAT lab's PeerPort matrix (standard library only).

  tcp-echo.py serve PORT                  echo every connection on 127.0.0.1:PORT until killed
  tcp-echo.py push PORT BYTES [--timeout S]
      connect to 127.0.0.1:PORT, send BYTES random bytes while reading the echo, and print one
      JSON line {ok, match, sent, received, ttfbMs, totalMs, error}: ttfbMs is from the TCP
      connect to the first echoed byte (through a tunnel: lookup, handshake, punch and the
      round trip). Exit 0 when all bytes came back with the same SHA-256.
"""
import argparse
import hashlib
import json
import os
import socket
import socketserver
import sys
import threading
import time


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            self.request.sendall(data)
        try:
            self.request.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: a burst of connections through a share would wait
    # on SYN retries here and look like a stalled tunnel (many-over-link.sh).
    request_queue_size = 4096


def serve(port):
    with Server(("127.0.0.1", port), Echo) as srv:
        print(json.dumps({"event": "listening", "port": port}), flush=True)
        srv.serve_forever()


def push(port, total, timeout):
    result = {"ok": False, "match": False, "sent": 0, "received": 0, "ttfbMs": None,
              "totalMs": None, "error": None}
    sent_hash = hashlib.sha256()
    got_hash = hashlib.sha256()
    t0 = time.monotonic()
    deadline = t0 + timeout
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=min(10, timeout))
    except OSError as e:
        result["error"] = "connect: " + str(e)
        return result
    t0 = time.monotonic()
    sock.settimeout(1.0)
    failure = []

    def writer():
        left = total
        try:
            while left > 0 and time.monotonic() < deadline:
                chunk = os.urandom(min(65536, left))
                sent_hash.update(chunk)
                view = memoryview(chunk)
                while view and time.monotonic() < deadline:
                    try:
                        n = sock.send(view)
                    except socket.timeout:
                        continue
                    view = view[n:]
                    result["sent"] += n
                left -= len(chunk)
        except OSError as e:
            failure.append("send: " + str(e))

    w = threading.Thread(target=writer, daemon=True)
    w.start()
    try:
        while result["received"] < total and time.monotonic() < deadline:
            try:
                data = sock.recv(262144)
            except socket.timeout:
                continue
            if not data:
                failure.append("closed after %d bytes" % result["received"])
                break
            if result["ttfbMs"] is None:
                result["ttfbMs"] = round((time.monotonic() - t0) * 1000)
            got_hash.update(data)
            result["received"] += len(data)
    except OSError as e:
        failure.append("recv: " + str(e))
    w.join(timeout=max(0.0, deadline - time.monotonic()) + 1)
    sock.close()
    result["totalMs"] = round((time.monotonic() - t0) * 1000)
    if result["received"] >= total and result["sent"] == total:
        result["match"] = sent_hash.digest() == got_hash.digest()
        result["ok"] = result["match"]
        if not result["match"]:
            result["error"] = "SHA-256 of the echo differs"
    elif failure:
        result["error"] = failure[0]
    else:
        result["error"] = "timed out after %d of %d bytes" % (result["received"], total)
    return result


def idle(port, size, rounds, pause, timeout):
    """One TCP connection: `size` bytes echoed, then `pause` seconds of silence, `rounds` times.
    The tunnel under it must outlive every pause (NAT mappings time out while nothing flows)."""
    result = {"ok": False, "rounds": 0, "error": None}
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.settimeout(timeout)
        for r in range(rounds):
            if r:
                time.sleep(pause)
            data = os.urandom(size)
            sock.sendall(data)
            got = b""
            while len(got) < size:
                chunk = sock.recv(size - len(got))
                if not chunk:
                    raise OSError("closed after %d bytes in round %d" % (len(got), r + 1))
                got += chunk
            if got != data:
                raise OSError("round %d: the echo differs" % (r + 1))
            result["rounds"] = r + 1
        sock.close()
        result["ok"] = True
    except OSError as e:
        result["error"] = str(e) or type(e).__name__
    return result


def main():
    ap = argparse.ArgumentParser(description="TCP echo service and pusher for the NAT lab")
    sub = ap.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("port", type=int)
    p = sub.add_parser("push")
    p.add_argument("port", type=int)
    p.add_argument("bytes", type=int)
    p.add_argument("--timeout", type=float, default=90)
    i = sub.add_parser("idle")
    i.add_argument("port", type=int)
    i.add_argument("--bytes", type=int, default=32768)
    i.add_argument("--rounds", type=int, default=3)
    i.add_argument("--pause", type=float, default=25)
    i.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    if args.mode == "serve":
        serve(args.port)
        return 0
    if args.mode == "idle":
        result = idle(args.port, args.bytes, args.rounds, args.pause, args.timeout)
        print(json.dumps(result), flush=True)
        return 0 if result["ok"] else 1
    result = push(args.port, args.bytes, args.timeout)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
