#!/usr/bin/env python3
"""The CLI's text is laid out by its hot-function list (docs/architecture.md, "Footprint").

usage: check_hot_order.py PEERPORT_CLI HOT_FUNCTIONS_TXT

Fails when the list has gone stale (under 90 % of its names are functions of the binary any
more: renamed or removed code; `./dev.sh hot-order` rewrites it), or when the link did not
follow it: the functions an idle share runs (the list's first group) must sit together at the
start of the text, within their own size plus what the libraries' whole-file sections bring
along (HOT_SLACK), not spread over the binary as the default layout leaves them."""
import subprocess
import sys

MIN_PRESENT = 0.90
HOT_SLACK = 160 * 1024


def main():
    binary, order = sys.argv[1], sys.argv[2]
    groups, current = {}, None
    for line in open(order):
        line = line.strip()
        if line.startswith("#group "):
            current = line[len("#group "):]
            groups[current] = []
        elif line and not line.startswith("#") and current:
            groups[current].append(line)
    if "idle share" not in groups:
        sys.exit(f"check_hot_order: {order} has no '#group idle share'")
    nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True,
                        check=True).stdout
    where = {}
    for line in nm.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tTwW":
            where[f[3]] = (int(f[0], 16), int(f[1], 16))
    names = [n for g in groups.values() for n in g]
    present = [n for n in names if n in where]
    share = len(present) / len(names)
    print(f"check_hot_order: {len(present)} of {len(names)} listed functions are in the binary")
    ok = True
    if share < MIN_PRESENT:
        print(f"check_hot_order: FAIL: under {MIN_PRESENT:.0%}: the list is stale; "
              "run ./dev.sh hot-order and commit app/cli/hot-functions.txt")
        ok = False
    idle = [where[n] for n in groups["idle share"] if n in where]
    low = min(a for a, _ in idle)
    high = max(a + s for a, s in idle)
    size = sum(s for _, s in idle)
    print(f"check_hot_order: the idle share's {len(idle)} functions, {size // 1024} KiB, "
          f"span {(high - low) // 1024} KiB of text (bound {(size + HOT_SLACK) // 1024} KiB)")
    if high - low > size + HOT_SLACK:
        print("check_hot_order: FAIL: the link did not lay the text out by the list "
              "(is lld installed? CMake warns when it is not)")
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
