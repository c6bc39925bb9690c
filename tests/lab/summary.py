#!/usr/bin/env python3
"""Figures over many matrix runs: for each cell, how many ended as expected (the verdict
verdict.py wrote), the time to the first echoed byte (median, p90, max) and to the whole echo
(median, max). Reads LAB_MATRIX_DIR directories of run-matrix.sh.
Usage: summary.py DIR... [--random-p90 MS --random-max MS]: with limits, exits 1 when the
cells with a randomizing NAT on one side (not both) miss them."""
import json
import os
import sys


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else None


def main(argv):
    dirs, limits = [], {}
    it = iter(argv)
    for a in it:
        if a.startswith("--"):
            limits[a[2:]] = int(next(it))
        else:
            dirs.append(a)
    cells = {}
    for d in dirs:
        for c in sorted(os.listdir(d)):
            p = os.path.join(d, c)
            try:
                name = open(os.path.join(p, "name")).read().strip()
                res = json.load(open(os.path.join(p, "result.json")))
                expected = open(os.path.join(p, "expected")).read().strip()
            except OSError:
                continue
            ok = res["connected"] if expected in ("direct", "relayed") else res["error"] == expected
            if ok and expected in ("direct", "relayed"):
                ok = res["path"] == expected
            try:  # every view of the path, judged by verdict.py
                ok = open(os.path.join(p, "verdict")).read().strip() == "ok"
            except OSError:
                pass
            e = cells.setdefault(name, {"n": 0, "ok": 0, "ms": [], "total": [],
                                        "expected": expected})
            e["n"] += 1
            e["ok"] += ok
            if ok and res["ms"] is not None:
                e["ms"].append(res["ms"])
            if ok and res.get("totalMs") is not None:
                e["total"].append(res["totalMs"])
    print("%-36s %-8s %6s %8s %8s %8s %12s %9s" % ("cell", "expected", "ok", "median", "p90",
                                                 "max", "total median", "total max"))
    random_ms = []
    for name in sorted(cells):
        e = cells[name]
        ms = e["ms"]
        tot = e["total"]
        print("%-36s %-8s %3d/%-3d %8s %8s %8s %12s %9s" % (
            name, e["expected"], e["ok"], e["n"], pct(ms, 50), pct(ms, 90), max(ms) if ms else None,
            pct(tot, 50), max(tot) if tot else None))
        sides = name.split()[-3::2]
        if sides.count("hard") == 1:
            random_ms += ms
    failed = sum(e["n"] - e["ok"] for e in cells.values())
    if random_ms:
        print("cells with one randomizing NAT: %d runs, median %d ms, p90 %d ms, max %d ms" %
              (len(random_ms), pct(random_ms, 50), pct(random_ms, 90), max(random_ms)))
    bad = failed > 0
    if "random-p90" in limits and random_ms and pct(random_ms, 90) > limits["random-p90"]:
        print("random-NAT p90 over %d ms" % limits["random-p90"])
        bad = True
    if "random-max" in limits and random_ms and max(random_ms) > limits["random-max"]:
        print("a random-NAT cell over %d ms" % limits["random-max"])
        bad = True
    print("%d runs not as expected" % failed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
