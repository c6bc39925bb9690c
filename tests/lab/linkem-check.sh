#!/usr/bin/env bash
# Checks linkem against a plain TCP flow: three namespaces (client - router - server), linkem on
# the router in both directions, then ping (idle RTT) and iperf3 (TCP rate, RTT under load).
#
#   linkem-check.sh [--rtt MS] [--rate MBIT] [--loss PCT] [--limit KB] [--time S]
# Prints the configured and measured figures; exits 1 if the idle RTT is off by more than
# 1 ms + 10 %, or, with a rate, TCP gets less than 80 % or more than 105 % of it.
# Needs root, iperf3 and a built linkem (LINKEM, default build/tests/lab/linkem).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LINKEM=${LINKEM:-$HERE/../../build/tests/lab/linkem}
RTT=40 RATE=0 LOSS=0 LIMIT=1500 TIME=8
while [ $# -gt 0 ]; do
  case $1 in
    --rtt) RTT=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --loss) LOSS=$2; shift 2 ;;
    --limit) LIMIT=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$LINKEM" ] || { echo "no linkem at $LINKEM (build the linkem target)" >&2; exit 2; }
command -v iperf3 >/dev/null || { echo "iperf3 missing (./dev.sh setup)" >&2; exit 2; }

P=lkc$$
STATE=$(mktemp -d)
cleanup() {
  for n in c r s; do
    pids=$(ip netns pids "$P-$n" 2>/dev/null || true)
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
  done
  sleep 0.3
  for n in c r s; do ip netns del "$P-$n" 2>/dev/null || true; done
  rm -rf "$STATE"
}
trap cleanup EXIT
for n in c r s; do ip netns add "$P-$n"; ip -n "$P-$n" link set lo up; done
ip -n "$P-c" link add eth0 type veth peer name lan0 netns "$P-r"
ip -n "$P-s" link add eth0 type veth peer name wan0 netns "$P-r"
ip -n "$P-c" addr add 10.9.1.2/24 dev eth0
ip -n "$P-r" addr add 10.9.1.1/24 dev lan0
ip -n "$P-r" addr add 10.9.2.1/24 dev wan0
ip -n "$P-s" addr add 10.9.2.2/24 dev eth0
for l in "c eth0" "r lan0" "r wan0" "s eth0"; do set -- $l; ip -n "$P-$1" link set "$2" up; done
ip -n "$P-c" route add default via 10.9.1.1
ip -n "$P-s" route add default via 10.9.2.1
ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1
half=$(awk "BEGIN{print $RTT/2}")
ip netns exec "$P-r" iptables -A FORWARD -i lan0 -j NFQUEUE --queue-num 0
ip netns exec "$P-r" iptables -A FORWARD -i wan0 -j NFQUEUE --queue-num 1
# The rate limits the client's direction (the bulk one); acks come back unshaped.
ip netns exec "$P-r" "$LINKEM" --queue 0 --delay "$half" --rate "$RATE" --loss "$LOSS" \
  --limit "$LIMIT" --ready "$STATE/q0" 2>"$STATE/q0.log" &
ip netns exec "$P-r" "$LINKEM" --queue 1 --delay "$half" --ready "$STATE/q1" 2>"$STATE/q1.log" &
for q in q0 q1; do
  for _ in $(seq 50); do [ -s "$STATE/$q" ] && break; sleep 0.1; done
  [ -s "$STATE/$q" ] || { echo "linkem did not start: $(cat "$STATE/$q.log")" >&2; exit 1; }
done

idle=$(ip netns exec "$P-c" ping -c 5 -i 0.2 -q 10.9.2.2 | awk -F/ '/rtt/{print $5}')
ip netns exec "$P-s" iperf3 -s -1 -D -p 5201 >/dev/null
sleep 0.3
ip netns exec "$P-c" ping -i 0.2 -c $((TIME * 5)) -q 10.9.2.2 >"$STATE/ping-load" &
ping_pid=$!
ip netns exec "$P-c" iperf3 -c 10.9.2.2 -p 5201 -t "$TIME" -O 2 -J >"$STATE/iperf.json"
wait "$ping_pid" || true
loaded=$(awk -F/ '/rtt/{print $5}' "$STATE/ping-load")
mbit=$(python3 -c "import json,sys; d=json.load(open('$STATE/iperf.json')); print(round(d['end']['sum_received']['bits_per_second']/1e6,2))")
tcp_rtt=$(python3 -c "import json; d=json.load(open('$STATE/iperf.json')); print(round(d['end']['streams'][0]['sender'].get('mean_rtt',0)/1000,1))")
printf 'linkem check: rtt %s ms rate %s Mbit/s loss %s%% queue %s kB\n' "$RTT" "$RATE" "$LOSS" "$LIMIT"
printf '  idle ping rtt %s ms; under load ping %s ms, tcp mean rtt %s ms; tcp %s Mbit/s\n' \
  "$idle" "$loaded" "$tcp_rtt" "$mbit"
ok=1
awk "BEGIN{exit !($idle >= $RTT - 0.5 && $idle <= $RTT * 1.1 + 1)}" || { echo "  FAIL: idle RTT"; ok=0; }
if [ "$RATE" != 0 ]; then
  awk "BEGIN{exit !($mbit >= 0.8 * $RATE && $mbit <= 1.05 * $RATE)}" || { echo "  FAIL: TCP rate"; ok=0; }
fi
[ $ok = 1 ] && echo "  ok"
[ $ok = 1 ]
