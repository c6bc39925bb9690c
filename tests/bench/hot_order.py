#!/usr/bin/env python3
"""Profile which functions `peerport-cli` runs, for the linker's hot-code order (issue 19).

An idle process's resident code is every 64 KiB window of the binary it has touched (the
kernel maps file pages around each fault), so the CLI is linked with the functions it runs
laid out together at the start of its text (docs/architecture.md, "Footprint"). This script
finds those functions: it runs the CLI under valgrind's callgrind on a loopback DHT, as users
run it, and writes the mangled names of every function of the binary that ran, in groups, the
group that matters most first (within a group, the busiest functions of the data path first):
  1. an idle share (start, DHT join, announce, ticks, service checks, Ctrl+C);
  2. a share carrying connections, then a connect carrying them (the data path);
  3. a DHT node.
Names already listed are not repeated. Run by `./dev.sh hot-order`, which rebuilds the CLI and
writes app/cli/hot-functions.txt; commit that file with the change that moved the code.

usage: hot_order.py PEERPORT_CLI OUTPUT [--idle SECONDS]"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import churn_dht as churn  # noqa: E402  (its echo service)

HEADER = """\
# peerport-cli's functions in the order its text is laid out (cmake/PeerPortFootprint.cmake):
# those an idle share runs first, then a busy share's and connect's, then a node's. Written by
# `./dev.sh hot-order` (tests/bench/hot_order.py) from callgrind runs; not edited by hand.
"""
ECHO_BYTES = 4 * 1024 * 1024  # enough that the data path, not the handshakes, is the busy part
CONNECTIONS = 3


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A child whose stdout lines are collected; ended by SIGINT as a user's Ctrl+C."""

    def __init__(self, args):
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, start_new_session=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in list(self.lines):
                m = re.search(pattern, line)
                if m:
                    return m
            if self.p.poll() is not None:
                break
            time.sleep(0.2)
        sys.exit(f"hot_order: no '{pattern}' within {seconds} s; output:\n" +
                 "\n".join(self.lines[-20:]))

    def stop(self, seconds=60):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            try:
                self.p.wait(seconds)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def echo_through(port, seconds=120):
    """CONNECTIONS local connections through a connect's port, each echoing ECHO_BYTES intact."""
    deadline = time.monotonic() + seconds
    payload = os.urandom(ECHO_BYTES)
    done = 0
    while done < CONNECTIONS and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
                c.sendall(payload)
                c.shutdown(socket.SHUT_WR)
                got = bytearray()
                while len(got) < ECHO_BYTES:
                    b = c.recv(65536)
                    if not b:
                        break
                    got += b
                if bytes(got) == payload:
                    done += 1
        except OSError:
            time.sleep(0.5)
    if done < CONNECTIONS:
        sys.exit(f"hot_order: {done} of {CONNECTIONS} echoes came back intact")


def callgrind(out):
    return ["valgrind", "--tool=callgrind", "--demangle=no", "--dump-instr=no",
            f"--callgrind-out-file={out}"]


def functions(profile, binary):
    """{mangled name: instructions run in it} for the functions of `binary` that ran, in the
    profile's order (dicts keep it)."""
    names, objects, current, cost = {}, {}, None, {}
    fn, skip_next = None, False
    pat = re.compile(r"^(c?)(ob|fn)=\((\d+)\)(?: (.*))?$")
    with open(profile, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line[:1] in "0123456789+-*":
                # A cost line: the function's own, unless it follows calls= (the call's total).
                if fn is not None and not skip_next:
                    parts = line.split()
                    if len(parts) > 1 and parts[1].isdigit():
                        cost[fn] += int(parts[1])
                skip_next = False
                continue
            if line.startswith("calls="):
                skip_next = True
                continue
            m = pat.match(line)
            if not m:
                continue
            called, kind, ident, name = m.groups()
            table = objects if kind == "ob" else names
            if name:
                table[ident] = name
            if called:
                continue
            if kind == "ob":
                current = objects[ident]
                continue
            fn = None
            if current and os.path.realpath(current) == binary:
                # callgrind marks recursion depths with 'N; nameless code and its
                # "(below main)" are not symbols the linker knows.
                name = re.sub(r"'\d+$", "", names[ident])
                if re.fullmatch(r"[A-Za-z0-9_.$]+", name) and not name.startswith("0x"):
                    fn = name
                    cost.setdefault(fn, 0)
    return cost


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cli")
    ap.add_argument("output")
    ap.add_argument("--idle", type=float, default=35.0)
    a = ap.parse_args()
    cli = os.path.realpath(a.cli)
    if not shutil.which("valgrind"):
        sys.exit("hot_order: valgrind is missing (./dev.sh setup installs it)")
    work = tempfile.mkdtemp(prefix="peerport-hot-order-")
    dht_port = free_port(socket.SOCK_DGRAM)
    boot = f"127.0.0.1:{dht_port}"
    service = churn.echo_service()
    node = Proc([cli, "node", "--host", "127.0.0.1", "--port", str(dht_port), "--bootstrap", "none"])
    node.wait_for(r"\S", 30)
    time.sleep(1)
    key_file = os.path.join(work, "share.key")
    share_args = [cli, "share", str(service), "--bootstrap", boot, "--key-file", key_file]
    lists = []

    # 1. the idle share
    prof = os.path.join(work, "share-idle.out")
    share = Proc(callgrind(prof) + share_args)
    share.wait_for(r"key \(hex\)", 120)
    time.sleep(a.idle)
    share.stop()
    lists.append(("idle share", functions(prof, cli)))

    # 2. a share carrying connections (profiled), through a plain connect
    prof = os.path.join(work, "share-busy.out")
    share = Proc(callgrind(prof) + share_args)
    key = share.wait_for(r"key \(hex\)\s+([0-9a-f]{64})", 120).group(1)
    local = free_port(socket.SOCK_STREAM)
    connect = Proc([cli, "connect", key, "--port", str(local), "--bootstrap", boot,
                    "--key-file", os.path.join(work, "client.key")])
    echo_through(local)
    connect.stop()
    share.stop()
    lists.append(("share with connections", functions(prof, cli)))

    #    then a connect carrying them (profiled), to a plain share
    share = Proc(share_args)
    key = share.wait_for(r"key \(hex\)\s+([0-9a-f]{64})", 60).group(1)
    prof = os.path.join(work, "connect-busy.out")
    connect = Proc(callgrind(prof) + [cli, "connect", key, "--port", str(local), "--bootstrap",
                                      boot, "--key-file", os.path.join(work, "client.key")])
    echo_through(local)
    connect.stop()
    share.stop()
    lists.append(("connect with connections", functions(prof, cli)))

    # 3. a second DHT node, joined to the first, idle for a while
    prof = os.path.join(work, "node.out")
    second = Proc(callgrind(prof) + [cli, "node", "--host", "127.0.0.1", "--port",
                                     str(free_port(socket.SOCK_DGRAM)), "--bootstrap", boot])
    second.wait_for(r"\S", 120)
    time.sleep(a.idle / 2)
    second.stop()
    lists.append(("node", functions(prof, cli)))
    node.stop()

    # Within each group the functions the busy runs spent most instructions in come first, so
    # the data path's hottest code shares cache lines and pages; the rest keep their order.
    busy = {}
    for what, costs in lists[1:3]:
        for n, c in costs.items():
            busy[n] = busy.get(n, 0) + c
    # The entry point runs before callgrind starts counting, and sits in the C runtime's
    # object, which nothing else pulls next to the listed code.
    lists[0] = (lists[0][0], {"_start": 0, **lists[0][1]})
    seen, text, count = set(), HEADER, 0
    for what, names in lists:
        fresh = [n for n in names if n not in seen]
        fresh.sort(key=lambda n: -busy.get(n, 0))
        seen.update(fresh)
        count += len(fresh)
        # The group lines are comments to the linker; check_hot_order.py reads them.
        text += f"#group {what}\n" + "".join(n + "\n" for n in fresh)
        print(f"hot_order: {what}: {len(names)} functions ran, {len(fresh)} new")
    with open(a.output, "w") as f:
        f.write(text)
    print(f"hot_order: {count} functions written to {a.output}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
