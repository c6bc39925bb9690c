#!/usr/bin/env bash
# An idle tunnel outlives NAT mapping timeouts. In a lab whose routers forget a UDP mapping after
# --udp-timeout seconds without packets (8 here; Linux defaults to 30/120, many home routers
# 30-60), a share behind an easy NAT and a client behind a randomizing one (a lost mapping there
# comes back on another port, which the share would not know) hold one TCP connection through
# the tunnel: 32 KiB echoed, then three times the timeout of silence, three rounds. Keep-alives
# (5 s) must keep both routers' mappings; the connection must never be re-opened.
# Usage: idle-tunnel.sh [--pause S] [--udp-timeout S]. Root; every wait is bounded.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
UDP_TIMEOUT=8
PAUSE=24
while [ $# -gt 0 ]; do
  case $1 in
    --pause) PAUSE=${2:?}; shift 2 ;;
    --udp-timeout) UDP_TIMEOUT=${2:?}; shift 2 ;;
    *) echo "idle-tunnel.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
NAME=idle-tunnel
# shellcheck source=scenario.sh
. "$HERE/scenario.sh"

"$LAB" up easy hard --boot peerport --relay none --udp-timeout "$UDP_TIMEOUT" >"$OUT/up.log" 2>&1 ||
  fail "lab up: $(tail -1 "$OUT/up.log")"
boot=$(cat "${LAB_STATE_ROOT:-/run/peerport-lab}/$LAB_PREFIX/bootstrap")
limit=$((PAUSE * 3 + 120))
"$LAB" exec hA timeout "$limit" python3 "$HERE/tcp-echo.py" serve 7000 >"$OUT/echo.log" 2>&1 &
PIDS+=($!)
"$LAB" exec hA timeout "$limit" "$PEERPORT_CLI" share --port 7000 --seed "$(random_seed)" \
  --bootstrap "$boot" --key-file "$OUT/a.key" --json >"$OUT/share.log" 2>&1 &
PIDS+=($!)
wait_for 30 "$OUT/share.log" '"event":"listening"' || fail "the share did not listen"
key=$(grep '"event":"listening"' "$OUT/share.log" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["publicKey"])')
"$LAB" exec hB timeout "$limit" "$PEERPORT_CLI" connect "$key" --port 7001 --bootstrap "$boot" \
  --key-file "$OUT/b.key" --json >"$OUT/connect.log" 2>&1 &
PIDS+=($!)
wait_for 30 "$OUT/connect.log" '"event":"listening"' || fail "connect did not listen"
"$LAB" exec hB python3 "$HERE/tcp-echo.py" idle 7001 --rounds 3 --pause "$PAUSE" >"$OUT/idle.log" 2>&1 ||
  fail "$(cat "$OUT/idle.log")"
opened=$(grep -c '"event":"connection-opened"' "$OUT/connect.log" || true)
[ "$opened" = 1 ] || fail "the tunnel was opened $opened times, not once"
path=$(grep '"event":"connection-opened"' "$OUT/connect.log" | grep -o '"path":"[a-z]*"')
echo "idle-tunnel: ok: 3 rounds of 32 KiB with ${PAUSE} s pauses, router UDP timeout ${UDP_TIMEOUT} s, one tunnel ($path)"
