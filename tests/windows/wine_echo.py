#!/usr/bin/env python3
"""A share/connect echo across three peerport-cli.exe processes under Wine, on loopback.

A one-node DHT (`node --bootstrap none`), Alice sharing a TCP echo service that runs on the host,
Bob connecting to her key; bytes sent to Bob's local port must come back unchanged. Alice uses
the default identity (%APPDATA%\\PeerPort\\identity inside the Wine prefix), Bob a --key-file.

usage: wine_echo.py WINE_WRAPPER PEERPORT_CLI_EXE
"""
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time

DEADLINE_S = 60  # Wine start-up is slow the first time; the exchange itself takes ~1 s
PAYLOAD = os.urandom(256 * 1024)


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_server():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def serve(conn):
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)

    def accept():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


class Cli:
    def __init__(self, wine, exe, name, args):
        self.name = name
        self.proc = subprocess.Popen([wine, exe, *args, "--json"], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip())

    def wait_event(self, event, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if j.get("event") == event:
                return j
        raise RuntimeError(f"{self.name}: no '{event}' event; output so far:\n  " +
                           "\n  ".join(self.seen))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def main():
    wine, exe = sys.argv[1], sys.argv[2]
    procs = []
    t0 = time.monotonic()
    try:
        dht_port = free_port(socket.SOCK_DGRAM)
        bootstrap = f"127.0.0.1:{dht_port}"
        node = Cli(wine, exe, "node",
                   ["node", "--host", "127.0.0.1", "--port", str(dht_port), "--bootstrap", "none"])
        procs.append(node)
        node.wait_event("listening", DEADLINE_S)
        alice = Cli(wine, exe, "share",
                    ["share", "--port", str(echo_server()), "--bootstrap", bootstrap])
        procs.append(alice)
        key = alice.wait_event("listening", DEADLINE_S)["publicKey"]
        with tempfile.TemporaryDirectory() as tmp:
            local = free_port(socket.SOCK_STREAM)
            bob = Cli(wine, exe, "connect",
                      ["connect", key, "--port", str(local), "--bootstrap", bootstrap,
                       "--key-file", os.path.join(tmp, "bob.identity")])
            procs.append(bob)
            bob.wait_event("listening", DEADLINE_S)
            with socket.create_connection(("127.0.0.1", local), timeout=DEADLINE_S) as s:
                s.settimeout(DEADLINE_S)

                def send():
                    s.sendall(PAYLOAD)

                threading.Thread(target=send, daemon=True).start()
                got = bytearray()
                while len(got) < len(PAYLOAD):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            if bytes(got) != PAYLOAD:
                raise RuntimeError(f"echo: {len(got)} of {len(PAYLOAD)} bytes came back, "
                                   f"equal prefix: {bytes(got) == PAYLOAD[:len(got)]}")
            if not os.path.exists(os.path.join(tmp, "bob.identity")):
                raise RuntimeError("connect did not create its --key-file")
        # Alice had no --key-file: her identity went to %APPDATA%\PeerPort (core/platform).
        prefix = os.environ.get("WINEPREFIX")
        if prefix:
            users = os.path.join(prefix, "drive_c", "users")
            found = [u for u in os.listdir(users) if os.path.exists(
                os.path.join(users, u, "AppData", "Roaming", "PeerPort", "identity"))]
            if not found:
                raise RuntimeError("share made no identity in %APPDATA%\\PeerPort")
        print(f"wine_echo: {len(PAYLOAD)} bytes echoed through share/connect under Wine "
              f"in {time.monotonic() - t0:.1f} s (processes started included)")
        return 0
    except Exception as e:  # noqa: BLE001 - a test: report and fail
        print(f"wine_echo: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        for p in reversed(procs):
            p.stop()


if __name__ == "__main__":
    sys.exit(main())
