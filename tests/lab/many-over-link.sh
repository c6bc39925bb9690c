#!/usr/bin/env bash
# A burst of concurrent TCP connections through one share across an impaired link (issue 19):
# a share behind an easy NAT (router A) and a connect behind another (router B), linkem on both
# routers, then N local clients opened at once through the connect side, each echoing SIZE
# random bytes that must come back intact (tests/e2e/many_connections.py --drive). Prints the
# time until all are done and each side's peak RSS and CPU seconds; exit 1 on any connection
# that did not echo intact within the deadline.
# Usage: many-over-link.sh [--conns N] [--size BYTES] [--link "LINKEM ARGS"] [--deadline S]
# The link's arguments go to linkem on both routers, both directions ("--delay 10 --loss 1":
# 10 ms each way on each router, a 40 ms round trip, 1 % loss at each of the four hops).
# Root; every wait is bounded.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONNS=1000 SIZE=262144 DEADLINE=300
LINK="--delay 10 --loss 1"
while [ $# -gt 0 ]; do
  case $1 in
    --conns) CONNS=${2:?}; shift 2 ;;
    --size) SIZE=${2:?}; shift 2 ;;
    --link) LINK=${2:?}; shift 2 ;;
    --deadline) DEADLINE=${2:?}; shift 2 ;;
    *) echo "many-over-link.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
NAME=many-over-link
# shellcheck source=scenario.sh
. "$HERE/scenario.sh"

"$LAB" up easy easy --boot peerport --relay none --link-a "$LINK" --link-b "$LINK" \
  >"$OUT/up.log" 2>&1 || fail "lab up: $(tail -1 "$OUT/up.log")"
boot=$(cat "${LAB_STATE_ROOT:-/run/peerport-lab}/$LAB_PREFIX/bootstrap")
limit=$((DEADLINE + 120))
"$LAB" exec hA timeout "$limit" python3 "$HERE/tcp-echo.py" serve 7000 >"$OUT/echo.log" 2>&1 &
PIDS+=($!)
"$LAB" exec hA timeout "$limit" "$PEERPORT_CLI" share --port 7000 --seed "$(random_seed)" \
  --max-connections "$CONNS" --max-per-peer "$CONNS" --bootstrap "$boot" \
  --key-file "$OUT/a.key" --json >"$OUT/share.log" 2>&1 &
PIDS+=($!)
wait_for 30 "$OUT/share.log" '"event":"listening"' || fail "the share did not listen"
key=$(grep '"event":"listening"' "$OUT/share.log" | head -1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["publicKey"])')
"$LAB" exec hB timeout "$limit" "$PEERPORT_CLI" connect "$key" --port 7001 --bootstrap "$boot" \
  --key-file "$OUT/b.key" --json >"$OUT/connect.log" 2>&1 &
PIDS+=($!)
wait_for 30 "$OUT/connect.log" '"event":"listening"' || fail "connect did not listen"
rc=0
"$LAB" exec hB timeout "$limit" python3 "$ROOT/tests/e2e/many_connections.py" --drive 7001 \
  "$CONNS" "$SIZE" "$DEADLINE" >"$OUT/drive.log" 2>&1 || rc=$?
cat "$OUT/drive.log"
# The peerport-cli processes inside each site's host (PIDs are shared across namespaces).
figures() {  # node command
  local pid
  for pid in $(ip netns pids "$LAB_PREFIX-$1"); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^$PEERPORT_CLI $2 "; then
      awk -v what="$2" '/^VmHWM:/{rss=$2/1024} END{printf "  %-8s peak RSS %.1f MiB, ", what, rss}' \
        "/proc/$pid/status"
      awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "CPU %.2f s\n", ($12+$13)/hz}' \
        "/proc/$pid/stat"
    fi
  done
}
figures hA share
figures hB connect
echo "  link: linkem $LINK on both routers, both directions"
paths=$(grep -o '"path":"[a-z]*"' "$OUT/connect.log" | sort | uniq -c | tr -s ' \n' ' ')
echo "  tunnel paths: $paths"
[ $rc -eq 0 ] || fail "not every connection echoed intact"
