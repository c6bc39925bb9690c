#!/usr/bin/env bash
# The client's network changes under a running tunnel, as when a laptop leaves Wi-Fi for a phone's
# hotspot: router rB's public address moves from 11.0.0.20 to 11.0.0.25 in the middle of a
# transfer (the kernel drops every NAT mapping on the old address, so the share sees the client
# come from a new address and port). Share behind an easy NAT on hA, `connect` on hB, also easy.
# Checks, each bounded in time:
#  - the local TCP connection that was moving data when the address changed either carries on
#    intact or is closed (never left hanging), within MOVE_END_S seconds of the move;
#  - if it was closed, `connect --json` said so with a `connection-closed` event carrying a code;
#  - a new local connection echoes 64 KiB within NEW_WITHIN_S (10) seconds of the move.
# Usage: network-move.sh [--move-after S]. Root; every wait is bounded.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MOVE_AFTER=4
NEW_WITHIN_S=10
MOVE_END_S=30
OLD_WAN=11.0.0.20
NEW_WAN=11.0.0.25
while [ $# -gt 0 ]; do
  case $1 in
    --move-after) MOVE_AFTER=${2:?}; shift 2 ;;
    *) echo "network-move.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
NAME=network-move
# shellcheck source=scenario.sh
. "$HERE/scenario.sh"
now_ms() { date +%s%3N; }

"$LAB" up easy easy --boot peerport --relay none >"$OUT/up.log" 2>&1 ||
  fail "lab up: $(tail -1 "$OUT/up.log")"
[ "$("$LAB" addr rB)" = "$OLD_WAN" ] || fail "router rB is not at $OLD_WAN"
boot=$(cat "${LAB_STATE_ROOT:-/run/peerport-lab}/$LAB_PREFIX/bootstrap")
limit=$((MOVE_AFTER + MOVE_END_S + 120))
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

# The long-running connection: 64 KiB echoed every 0.25 s for longer than the whole test; it
# ends when the tunnel under it is closed (or after its rounds, if the tunnel carries on).
rounds=$(((MOVE_AFTER + MOVE_END_S) * 4 + 8))
"$LAB" exec hB timeout "$limit" python3 "$HERE/tcp-echo.py" idle 7001 --bytes 65536 --rounds "$rounds" \
  --pause 0.25 --timeout "$MOVE_END_S" >"$OUT/old.log" 2>&1 &
old_pid=$!
PIDS+=($old_pid)
wait_for 30 "$OUT/connect.log" '"event":"connection-opened"' || fail "the first tunnel did not open"
sleep "$MOVE_AFTER"
kill -0 "$old_pid" 2>/dev/null || fail "the first connection ended before the move: $(cat "$OUT/old.log")"

# The move. Deleting the address makes the kernel forget every masquerade mapping on it.
t_move=$(now_ms)
ip -n "$LAB_PREFIX-rB" addr del "$OLD_WAN/24" dev wan0
ip -n "$LAB_PREFIX-rB" addr add "$NEW_WAN/24" dev wan0
echo "moved rB from $OLD_WAN to $NEW_WAN"

# New connections: tried one after another until one echoes 64 KiB, for NEW_WITHIN_S seconds.
new_ms=""
attempts=0
while [ $(($(now_ms) - t_move)) -lt $((NEW_WITHIN_S * 1000)) ]; do
  attempts=$((attempts + 1))
  left=$(((NEW_WITHIN_S * 1000 - ($(now_ms) - t_move)) / 1000 + 1))
  if "$LAB" exec hB python3 "$HERE/tcp-echo.py" push 7001 65536 --timeout "$left" >"$OUT/new-$attempts.log" 2>&1; then
    new_ms=$(($(now_ms) - t_move))
    break
  fi
done

# The old connection: carried on or closed, within MOVE_END_S of the move.
old_end=""
for ((i = 0; i < (MOVE_END_S + 10) * 10; i++)); do
  if ! kill -0 "$old_pid" 2>/dev/null; then old_end=$(($(now_ms) - t_move)); break; fi
  sleep 0.1
done
wait "$old_pid" 2>/dev/null || true
old=$(cat "$OUT/old.log")
[ -n "$old_end" ] || fail "the connection open during the move neither carried on nor closed within $((MOVE_END_S + 10)) s"
[ -n "$new_ms" ] || fail "no new connection echoed 64 KiB within $NEW_WITHIN_S s of the move ($attempts tried; last: $(cat "$OUT/new-$attempts.log"))"
if python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["ok"] else 1)' "$old"; then
  outcome="carried on intact"
else
  case $old in
    *"closed after"* | *"reset"* | *"Broken pipe"*) ;;
    *) fail "the connection open during the move did not end by a close: $old" ;;
  esac
  code=$(grep '"event":"connection-closed"' "$OUT/connect.log" | grep -o '"code":"[A-Z_]*"' | head -1 || true)
  [ -n "$code" ] || fail "the connection was closed but connect --json gave no connection-closed event with a code"
  outcome="closed $((old_end / 1000)).$(((old_end % 1000) / 100)) s after the move ($code)"
fi
echo "network-move: ok: the open connection $outcome; a new one echoed 64 KiB ${new_ms} ms after the move ($attempts tried)"
