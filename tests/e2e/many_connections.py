#!/usr/bin/env python3
"""One share carries a burst of concurrent TCP connections (issue: scale), as processes:
a `peerport-cli node`, an echo service, `peerport-cli share` and `peerport-cli connect` under
the 1024-descriptor soft limit most desktops start programs with, and N local clients opened
at once through the connect side, each echoing SIZE random bytes that must come back intact.
Prints the time until all are done and each side's peak RSS and CPU seconds; exits 1 on any
connection that did not echo intact within the deadline.

usage: many_connections.py PEERPORT_CLI [N=1000] [SIZE=262144] [DEADLINE_S=120]
       many_connections.py --drive PORT [N] [SIZE] [DEADLINE_S]
The second form only opens the N clients against a tunnel's local PORT that is already up (the
NAT lab's burst across an impaired link, tests/lab/many-over-link.sh) and prints one line."""
import asyncio
import json
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

ARGS = sys.argv[1:]
CLI = ARGS.pop(0)
N_ARG = ARGS.pop(0) if CLI == "--drive" else None  # the local port, in the --drive form
N = int(ARGS[0]) if len(ARGS) > 0 else 1000
SIZE = int(ARGS[1]) if len(ARGS) > 1 else 256 * 1024
DEADLINE = float(ARGS[2]) if len(ARGS) > 2 else 120.0
USER_SOFT_LIMIT = 1024  # what a desktop session gives a program by default

# This script holds N client sockets and the echo service N more.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < 2 * N + 64 <= hard or hard == resource.RLIM_INFINITY:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4 * N + 256), hard))


def user_limits():
    s, h = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(USER_SOFT_LIMIT, h), h))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_service(ready, port_box):
    async def handle(r, w):
        try:
            while True:
                d = await r.read(65536)
                if not d:
                    break
                w.write(d)
                await w.drain()
        except OSError:
            pass
        w.close()

    async def main():
        srv = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
        port_box.append(srv.sockets[0].getsockname()[1])
        ready.set()
        async with srv:
            await srv.serve_forever()

    asyncio.run(main())


def next_event(proc, name, timeout):
    end = time.time() + timeout
    while time.time() < end:
        line = proc.stdout.readline()
        if not line:
            return None
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == name:
            return ev
    return None


def proc_figures(pid):
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1])
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss / 1024.0, cpu


def drive(port):
    """N clients at once; returns how many echoed SIZE bytes intact."""
    payload = os.urandom(SIZE)
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(N):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        st = {"s": s, "sent": 0, "got": bytearray(), "err": None}
        conns.append(st)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, st)
    left = N
    end = time.time() + DEADLINE
    while left and time.time() < end:
        for key, ev in sel.select(1):
            st = key.data
            s = st["s"]
            try:
                if ev & selectors.EVENT_WRITE and st["sent"] < SIZE:
                    st["sent"] += s.send(payload[st["sent"]:st["sent"] + 65536])
                    if st["sent"] >= SIZE:
                        s.shutdown(socket.SHUT_WR)
                        sel.modify(s, selectors.EVENT_READ, st)
                if ev & selectors.EVENT_READ:
                    d = s.recv(262144)
                    if d:
                        st["got"] += d
                        continue
                    sel.unregister(s)
                    s.close()
                    left -= 1
            except OSError as e:
                st["err"] = e.strerror or repr(e)
                sel.unregister(s)
                s.close()
                left -= 1
    failures = {}
    for st in conns:
        if st["got"] != payload:
            why = st["err"] or f"{len(st['got'])} of {SIZE} bytes back"
            failures[why] = failures.get(why, 0) + 1
    return N - sum(failures.values()), failures


def main():
    started = []
    try:
        ready, box = threading.Event(), []
        threading.Thread(target=echo_service, args=(ready, box), daemon=True).start()
        ready.wait(10)
        service = box[0]
        dht = free_port()
        node = subprocess.Popen([CLI, "node", "--host", "127.0.0.1", "--port", str(dht),
                                 "--bootstrap", "none", "--json"], stdout=subprocess.PIPE,
                                text=True, preexec_fn=user_limits)
        started.append(node)
        node.stdout.readline()  # its first line: listening
        boot = f"127.0.0.1:{dht}"
        seed = os.urandom(32).hex()
        share = subprocess.Popen([CLI, "share", str(service), "--bootstrap", boot, "--seed", seed,
                                  "--max-connections", str(N), "--max-per-peer", str(N),
                                  "--json"], stdout=subprocess.PIPE, text=True,
                                 preexec_fn=user_limits)
        started.append(share)
        listening = next_event(share, "listening", 20)
        if not listening:
            print("many_connections: the share never listened")
            return 1
        connect = subprocess.Popen([CLI, "connect", listening["z32"], "--bootstrap", boot,
                                    "--json"], stdout=subprocess.PIPE, text=True,
                                   preexec_fn=user_limits)
        started.append(connect)
        local = next_event(connect, "listening", 20)
        if not local:
            print("many_connections: the connect side never listened")
            return 1
        # Keep reading their output so a full pipe never blocks them, and count what each
        # side said about connections that ended with a code.
        codes = {}

        logs = os.environ.get("MANY_CONNECTIONS_LOGS")

        def read(p, side):
            out = open(os.path.join(logs, side + ".log"), "w") if logs else None
            for line in p.stdout:
                if out:
                    out.write(line)
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                if ev.get("code") and ev.get("event") in ("connection-closed", "error", "retrying"):
                    k = f"{side} {ev['event']} {ev['code']}"
                    codes[k] = codes.get(k, 0) + 1

        for p, side in ((share, "share"), (connect, "connect"), (node, "node")):
            threading.Thread(target=read, args=(p, side), daemon=True).start()
        t0 = time.time()
        ok, failures = drive(local["port"])
        took = time.time() - t0
        share_rss, share_cpu = proc_figures(share.pid)
        conn_rss, conn_cpu = proc_figures(connect.pid)
        print(f"many_connections: {ok} of {N} connections echoed {SIZE} bytes intact "
              f"in {took:.1f} s (deadline {DEADLINE:.0f} s)")
        print(f"  share:   peak RSS {share_rss:.1f} MiB, CPU {share_cpu:.2f} s")
        print(f"  connect: peak RSS {conn_rss:.1f} MiB, CPU {conn_cpu:.2f} s")
        if failures:
            print(f"  failures: {failures}")
        if codes:
            print(f"  events with codes: {codes}")
        return 0 if ok == N else 1
    finally:
        for p in started:
            p.send_signal(signal.SIGINT)
        for p in started:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    if CLI == "--drive":
        t0 = time.time()
        good, bad = drive(int(N_ARG))
        print(f"many_connections: {good} of {N} connections echoed {SIZE} bytes intact in "
              f"{time.time() - t0:.1f} s (deadline {DEADLINE:.0f} s)")
        if bad:
            print(f"  failures: {bad}")
        sys.exit(0 if good == N else 1)
    sys.exit(main())
