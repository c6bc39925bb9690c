#!/usr/bin/env python3
"""The NAT lab matrix's verdicts and table (run-matrix.sh calls it once every cell is done).

  verdict.py OUT MODE ELAPSED_S "CELL..." [WITHIN_MS]

Reads OUT/cellN/{expected,result.json}, writes OUT/cellN/verdict ("ok", or what was wrong; read
by summary.py), prints the table and exits 1 unless every cell ended as expected.

A connected cell must show the expected path ("direct" or "relayed") in every view there is:
  - the client's own (PeerPort's connection-opened event, or the JS client's stream);
  - the far side's: the JS server's remote address (the relay's means relayed), or a PeerPort
    share's connection-opened event;
  - from outside, the routers' byte counts (lab.sh traffic): each site's router must have
    forwarded the data (twice the payload: it goes there and back) to and from the path's far
    address, the other site's or the relay's, and next to nothing to the other one (under a
    quarter of the payload: DHT queries and punch probes are a few kB).
A peer wrong about its own path therefore fails the cell whatever it claims. A cell expected to
fail must end with the expected error code.
"""
import json
import os
import sys

TITLES = {"js": "JS reference", "peerport": "PeerPort", "mixed": "Mixed PeerPort / JS"}
VARIANTS = {"pp-js": "pp->js", "js-pp": "js->pp"}


def outside_path(traffic, payload):
    """The path the routers' counters show: direct, relayed, idle (no data either way) or
    unclear (data both ways, or not enough), per router when they differ."""
    if not traffic or not payload:
        return "no counts"
    views = []
    for side in ("A", "B"):
        peer, relay = traffic[side]["peer"], traffic[side]["relay"]
        if peer >= 2 * payload and relay < payload // 4:
            views.append("direct")
        elif relay >= 2 * payload and peer < payload // 4:
            views.append("relayed")
        elif relay < payload // 4 and peer < payload // 4:
            views.append("idle")
        else:
            views.append("unclear")
    if views[0] == views[1]:
        return views[0]
    return "A %s, B %s" % tuple(views)


def mib(n):
    return "%.1f" % (n / 1048576)


def judge(r, expected, mode, a, b, within):
    """(ok, what the cell got, the routers' view)."""
    outside = outside_path(r.get("traffic"), r.get("payload"))
    if not r["connected"]:
        got = r["error"] or "failed"
        return got == expected, got, outside
    views = {"client": r["path"] or "path?", "far side": r.get("far") or "nothing",
             "routers": outside}
    wrong = ["%s %s" % (k, v) for k, v in views.items() if v != expected]
    ok = not wrong
    got = views["client"] if ok else ", ".join(wrong)
    if within and r.get("totalMs") is not None and r["totalMs"] > within:
        ok = False
        got += ", echo took %d ms (bound %d)" % (r["totalMs"], within)
    # The reference's view of each host must match the kind the lab built: this is what shows
    # the lab is right, not only that packets flow.
    want = {"open": " open", "hard": " firewalled random"}
    for side, kind in (("natA", a), ("natB", b)):
        view = r.get(side)
        if mode != "js" or not view or view == "?":
            continue
        if not view.endswith(want.get(kind, " firewalled")):
            ok = False
            got += " (%s seen as %s)" % (side[-1], view)
    return ok, got, outside


def main(argv):
    out, mode, elapsed, cells = argv[0], argv[1], argv[2], argv[3].split()
    within = int(argv[4]) if len(argv) > 4 and argv[4] else 0
    rows, failures = [], []
    for i, cell in enumerate(cells, 1):
        a, b, *variant = cell.split(":")
        variant = variant[0] if variant else ""
        cdir = os.path.join(out, "cell%d" % i)
        expected = open(os.path.join(cdir, "expected")).read().strip()
        try:
            r = json.load(open(os.path.join(cdir, "result.json")))
        except (OSError, ValueError):
            r = {"connected": False, "error": "CELL_TIMED_OUT", "ms": None, "bytes": 0,
                 "path": None, "detail": "no result within the cell's time limit"}
        ok, got, outside = judge(r, expected, mode, a, b, within)
        with open(os.path.join(cdir, "verdict"), "w") as f:
            f.write("ok\n" if ok else got + "\n")
        name = "%s x %s" % (a, b)
        if variant:
            name = "%s %s" % (VARIANTS[variant], name) if variant in VARIANTS \
                else "%s (%s)" % (name, variant)
        connected = "yes" if r["connected"] else "no: " + (r["error"] or "failed")
        t = r.get("traffic")
        counts = "-" if not t else "%s/%s" % (mib(t["A"]["peer"]), mib(t["A"]["relay"]))
        num = lambda v: "" if v is None else str(v)
        rows.append((name, expected, connected, r["path"] or "-", r.get("far") or "-",
                     outside, counts, num(r["ms"]), num(r.get("totalMs")), str(r["bytes"]),
                     "ok" if ok else "UNEXPECTED", r["detail"]))
        if not ok:
            failures.append("cell %s: expected %s, got %s (%s; logs in %s)"
                            % (name, expected, got, r["detail"], cdir))
    head = ("cell", "expected", "connected", "path", "far side", "routers", "MiB peer/relay",
            "ms to 1st byte", "ms total", "bytes", "verdict", "detail")
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(head[:-1])]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1]
    print("%s matrix (%ss):" % (TITLES[mode], elapsed))
    print(line(head))
    print(line(tuple("-" * w for w in widths) + ("-" * 9,)))
    for r in rows:
        print(line(r))
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print("%d cells as expected, %d not" % (len(rows) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
