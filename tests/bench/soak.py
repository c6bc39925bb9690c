#!/usr/bin/env python3
"""Endurance: a share, a client and a churning DHT for hours (issue 19; `./dev.sh soak HOURS`).

The churning DHT of churn_dht.py (NODES nodes on loopback, half `peerport-cli node`, half JS
hyperdht; 10 % leave and as many join every minute), one `peerport-cli share` on an echo
service, and one long-running `peerport-cli connect` to it, used as a user would: a new local
TCP connection every EVERY seconds, echoing 64 KiB that must come back intact. Once a minute a
fresh `peerport-cli connect` and a JS hyperdht client look the share up (its announcement
refreshes every 5 minutes and lives 20 minutes on the nodes that hold it, while those nodes
churn away), and the share's, the client's and a long-lived PeerPort node's RSS and open
descriptors are sampled. One row a minute goes to stdout and to --csv.

Judged at the end (exit 1 on a miss), over the samples after a WARMUP-minute warm-up:
  - RSS flat: the last quarter's median at most 0.5 MiB + 10 % above the warm-up's end;
  - descriptors flat: they never exceed the warm-up's end by more than FD_SLACK;
  - findable: >= 99 % of the fresh lookups find the share, and every echo >= 99 % intact.

usage: soak.py PEERPORT_CLI HOURS [--nodes 60] [--every 5] [--csv FILE]"""
import argparse
import os
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import churn_dht as churn  # noqa: E402  (the same processes, network and probes)

WARMUP_MIN = 10   # minutes before RSS and descriptors are held to their level
FD_SLACK = 8      # descriptors above the warm-up's level that count as in-flight work
ECHO_BYTES = 64 * 1024
MINUTE = 60.0


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def drain(proc):
    """The events a process printed since the last call."""
    out = []
    while True:
        try:
            _, ev = proc.lines.get_nowait()
        except churn.queue.Empty:
            return out
        if ev is not None:
            out.append(ev)


def echo_once(port):
    """One local connection through the tunnel: (intact, ms)."""
    data = os.urandom(ECHO_BYTES)
    t0 = time.time()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            s.settimeout(20)
            s.sendall(data)
            got = bytearray()
            while len(got) < len(data):
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        return bytes(got) == data, (time.time() - t0) * 1000
    except OSError:
        return False, None


class Echoes:
    """The long-running client's traffic: a connection every `every` seconds."""

    def __init__(self, port, every):
        self.port, self.every = port, every
        self.lock = threading.Lock()
        self.ok = self.failed = 0
        self.ms = []
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not churn.STOP.wait(self.every):
            ok, ms = echo_once(self.port)
            with self.lock:
                if ok:
                    self.ok += 1
                    self.ms.append(ms)
                else:
                    self.failed += 1

    def take(self):
        with self.lock:
            r = (self.ok, self.failed, self.ms)
            self.ok = self.failed = 0
            self.ms = []
            return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cli")
    ap.add_argument("hours", type=float)
    ap.add_argument("--nodes", type=int, default=60)
    ap.add_argument("--every", type=float, default=5.0,
                    help="seconds between the client's local connections")
    ap.add_argument("--csv", default="soak.csv")
    ap.add_argument("--warmup", type=int, default=WARMUP_MIN,
                    help="minutes before RSS and descriptors are held to their level")
    args = ap.parse_args()
    if args.nodes < 12:
        ap.error("--nodes must be at least 12")
    if args.hours * 60 < 2 * args.warmup + 4:
        ap.error(f"HOURS must cover at least {2 * args.warmup + 4} minutes")
    if not churn.reference_present():
        return 1
    signal.signal(signal.SIGINT, churn.kill_all)
    signal.signal(signal.SIGTERM, churn.kill_all)
    with tempfile.TemporaryDirectory(prefix="peerport-soak.") as tmp:
        try:
            return run(args, tmp)
        finally:
            churn.kill_all()


def run(args, tmp):
    t0 = time.time()
    net = churn.Net(args.cli, tmp)
    net.start(args.nodes)
    echo_port = churn.echo_service()
    share = churn.Proc("pp-share", [args.cli, "share", str(echo_port), "--json", "--bootstrap",
                                    net.boot(), "--key-file", os.path.join(tmp, "share.key")])
    ev = share.expect(lambda ev: ev.get("event") == "listening" and "publicKey" in ev, 40)[1]
    if not ev:
        raise RuntimeError("peerport-cli share did not start")
    key = ev["publicKey"]
    client = churn.Proc("pp-connect", [args.cli, "connect", key, "--json", "--bootstrap",
                                       net.boot(), "--key-file", os.path.join(tmp, "client.key")])
    ev = client.expect(lambda ev: ev.get("event") == "listening", 40)[1]
    if not ev:
        raise RuntimeError("peerport-cli connect did not open its local port")
    echoes = Echoes(ev["port"], args.every)
    js = churn.Proc("js-client", ["node", churn.JS, "client", net.boot()], net.env)
    node = net.seeds[0]  # a PeerPort node that stays for the whole run
    print(f"soak: {len(net.pp_nodes)} PeerPort + {churn.GROUP * len(net.js_groups)} JS nodes, "
          f"share {key[:8]}, a connection every {args.every:g} s, {args.hours:g} h", flush=True)
    head = ("min", "share_rss", "share_fds", "client_rss", "client_fds", "node_rss", "node_fds",
            "echo_ok", "echo_fail", "echo_p90_ms", "pp_found", "pp_lookup_ms", "js_found",
            "js_lookup_ms", "peer_offline")
    print(" ".join(f"{h:>12}" for h in head), flush=True)
    rows, lookups = [], []
    end = t0 + args.hours * 3600
    minute = 0
    with open(args.csv, "w") as csv:
        csv.write(",".join(head) + "\n")
        next_tick = time.time() + MINUTE
        while time.time() < end and not churn.STOP.is_set():
            # The fresh lookups run during the minute, before the churn round that ends it.
            pp = churn.pp_probe(args.cli, net.boot(), key, os.path.join(tmp, "probe.key"))
            r = js.request({"op": "probe", "key": key}, 70) or {}
            lookups += [("peerport", pp[0]), ("js", bool(r.get("found")))]
            churn.STOP.wait(max(0.0, next_tick - time.time()))
            next_tick += MINUTE
            minute += 1
            try:
                net.churn(args.nodes)
            except RuntimeError as e:
                # A joining node that does not come up in time (the machine busy) costs this
                # round its joiners, not the run: the next round replaces more.
                print(f"soak: churn round incomplete: {e}", flush=True)
            offline = sum(1 for e in drain(client)
                          if e.get("event") == "peer-state" and e.get("state") != "online")
            drain(share)
            ok, failed, ms = echoes.take()
            row = (minute, share.rss_mib(), fds(share.p.pid), client.rss_mib(),
                   fds(client.p.pid), node.rss_mib(), fds(node.p.pid), ok, failed,
                   churn.pct(ms, .9), int(pp[0]), pp[1] or -1, int(bool(r.get("found"))),
                   r.get("lookupMs") or -1, offline)
            rows.append(row)
            cells = [f"{v:>12.2f}" if isinstance(v, float) else f"{v if v is not None else '-':>12}"
                     for v in row]
            print(" ".join(cells), flush=True)
            csv.write(",".join("" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
                               for v in row) + "\n")
            csv.flush()
            if share.p.poll() is not None or client.p.poll() is not None:
                print("soak: the share or the client exited", flush=True)
                break
    return judge(rows, lookups, t0, args.warmup)


def judge(rows, lookups, t0, warmup):
    misses = 0

    def line(what, value, op, bound, ok):
        nonlocal misses
        print(f"target soak {what} {value:.3g} {op} {bound:.3g} {'met' if ok else 'MISSED'}")
        misses += 0 if ok else 1

    settled = [r for r in rows if r[0] >= warmup]
    if len(settled) < 4:
        print("soak: too few samples after the warm-up to judge")
        return 1
    tail = settled[-max(1, len(settled) // 4):]
    for name, rss_i, fd_i in (("share", 1, 2), ("client", 3, 4), ("node", 5, 6)):
        base = settled[0][rss_i]
        last = statistics.median(r[rss_i] for r in tail)
        bound = base + 0.5 + 0.1 * base
        line(f"{name}_rss_last_quarter_mib", last, "<=", bound, last <= bound)
        fd_base, fd_max = settled[0][fd_i], max(r[fd_i] for r in settled)
        line(f"{name}_fds_max", fd_max, "<=", fd_base + FD_SLACK, fd_max <= fd_base + FD_SLACK)
    for who in ("peerport", "js"):
        got = [f for w, f in lookups if w == who]
        pct = 100.0 * sum(got) / max(1, len(got))
        line(f"{who}_lookups_found_pct", pct, ">=", 99, bool(got) and pct >= 99)
    ok, failed = sum(r[7] for r in rows), sum(r[8] for r in rows)
    pct = 100.0 * ok / max(1, ok + failed)
    line("echoes_intact_pct", pct, ">=", 99, ok > 0 and pct >= 99)
    print(f"soak: {len(rows)} minutes, {ok + failed} local connections, "
          f"{len(lookups)} fresh lookups, done in {time.time() - t0:.0f} s, {misses} targets missed")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
