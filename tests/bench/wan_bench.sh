#!/usr/bin/env bash
# WAN benchmark: PeerPort (peerport-cli share/connect) and hypertele 1.1.4 taking turns through
# the same emulated WAN link, in one NAT lab, in one run. A benchmark, not a timed test: it prints
# figures and ratios (./dev.sh wan runs it).
#
#   wan_bench.sh [--quick | --smoke | --profiles "RTT:LOSS:RATE[:EXTRA] ..."] [--fairness]
#                [--measure S] [--unlimited-mb MB]
#
# A profile is RTT ms : random loss % : rate Mbit/s (0 = unlimited) [: reorder5 | jitter10].
# Default: RTT {10,40,100,250} x loss {0,0.1,1,3} x rate {10,100,unlimited}, plus 40:0:100 with
# 5 % reordering and with 10 ms of jitter. --quick: six representative profiles. --smoke: the
# two CI candidates, exit 1 unless both pass (40 ms + 1 % loss: PeerPort >= 80 % of hypertele;
# 10 Mbit/s with a deep queue: PeerPort >= 80 % of the link). --fairness adds two PeerPort flows
# through one 20 Mbit/s bottleneck, and a PeerPort flow against an iperf3 TCP flow there.
#
# The lab: two open hosts (hA shares, hB connects), one peerport-cli bootstrap node. linkem
# (tests/lab/linkem.c) on both routers, each direction: rA and rB each add a quarter of the RTT
# per direction; rA also carries the loss (each direction), the rate (each direction) with a
# 1.5 MB queue (deep: 1.2 s at 10 Mbit/s), reordering and jitter. Profiles change by rewriting
# linkem's config and sending it SIGHUP; the tunnels stay up, and each flow is a new TCP
# connection (a new UDX stream) through them. A flow is one transfer of about MEASURE s at the
# link rate (UNLIMITED_MB on an unlimited link), longer at long RTTs (size_for), timed at the
# sink between a moment in its first eighth to quarter and one in its third quarter to seventh
# eighth (wan_flow.py says which moments, and why a fixed amount); RTT under load is the
# median ping from hB to hA over the transfer.
#
# Needs root, node, the pinned npm packages (./dev.sh setup), and built peerport-cli and
# linkem (PEERPORT_CLI, LAB_LINKEM override their paths).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$ROOT/tests/lab/lab.sh
CLI=${PEERPORT_CLI:-$ROOT/build/app/peerport-cli}
export LAB_LINKEM=${LAB_LINKEM:-$ROOT/build/tests/lab/linkem}
HT=$ROOT/tests/interop/node_modules/hypertele
FLOW=$HERE/wan_flow.py

PROFILES="" MODE=full FAIR=0 MEASURE=8 UNLIMITED_MB=48 MAX_S=90
while [ $# -gt 0 ]; do
  case $1 in
    --quick) MODE=quick; shift ;;
    --smoke) MODE=smoke; shift ;;
    --profiles) PROFILES=${2:?}; MODE=custom; shift 2 ;;
    --fairness) FAIR=1; shift ;;
    --measure) MEASURE=${2:?}; shift 2 ;;
    --unlimited-mb) UNLIMITED_MB=${2:?}; shift 2 ;;
    *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
case $MODE in
  full)
    for rtt in 10 40 100 250; do
      for loss in 0 0.1 1 3; do
        for rate in 10 100 0; do PROFILES+="$rtt:$loss:$rate "; done
      done
    done
    PROFILES+="40:0:100:reorder5 40:0:100:jitter10" ;;
  quick) PROFILES="40:0:0 40:1:0 40:3:100 100:1:100 40:0:10 40:0:100:reorder5 40:0:100:jitter10" ;;
  smoke) PROFILES="40:1:0 40:0:10" ;;
esac
[ -x "$CLI" ] || { echo "wan_bench: no peerport-cli at $CLI (build it)" >&2; exit 2; }
[ -x "$LAB_LINKEM" ] || { echo "wan_bench: no linkem at $LAB_LINKEM (build the linkem target)" >&2; exit 2; }
[ -r "$HT/server.js" ] || { echo "wan_bench: hypertele missing (./dev.sh setup)" >&2; exit 2; }

export LAB_PREFIX=wan$$
DIR=$(mktemp -d /tmp/wan-bench.XXXXXX)
STATE=${LAB_STATE_ROOT:-/run/peerport-lab}/$LAB_PREFIX
echo "--delay 2" >"$DIR/rA.conf"
echo "--delay 2" >"$DIR/rB.conf"
cleanup() {
  LAB_QUIET=1 "$LAB" down "$LAB_PREFIX" >/dev/null 2>&1 || true
  [ "${KEEP_LOGS:-0}" = 1 ] && echo "logs in $DIR" >&2 || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LAB_QUIET=1 "$LAB" up open open --boot peerport --link-a "--config $DIR/rA.conf" \
  --link-b "--config $DIR/rB.conf" >/dev/null
BOOT=$(cat "$STATE/bootstrap")
HA=$(cat "$STATE/addr-hA")

wait_line() {  # seconds file pattern
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    grep -q -- "$3" "$2" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "wan_bench: timed out waiting for '$3' in $2: $(tail -3 "$2")" >&2
  return 1
}

# The sink behind both shares, and the two tunnels, up for the whole run.
"$LAB" exec hA python3 "$FLOW" sink 9000 >"$DIR/sink.log" 2>&1 &
"$LAB" exec hA "$CLI" share --port 9000 --bootstrap "$BOOT" --seed "$(printf '7%.0s' {1..64})" \
  --key-file "$DIR/share.key" --json >"$DIR/share.log" 2>&1 &
wait_line 30 "$DIR/share.log" '"listening"'
Z32=$(python3 -c "import json,sys
for l in open(sys.argv[1]):
    try: e=json.loads(l)
    except ValueError: continue
    if 'z32' in e: print(e['z32']); break" "$DIR/share.log")
"$LAB" exec hB "$CLI" connect "$Z32" --port 9100 --bootstrap "$BOOT" --key-file "$DIR/connect.key" \
  --json >"$DIR/connect.log" 2>&1 &
wait_line 30 "$DIR/connect.log" '"listening"'
"$LAB" exec hA env HYPERTELE_BOOTSTRAP="$BOOT" node --require "$HERE/hypertele-lab.js" \
  "$HT/server.js" -l 9000 --seed "$(printf 'c%.0s' {1..64})" >"$DIR/hserver.log" 2>&1 &
wait_line 30 "$DIR/hserver.log" 'hypertele:'
HKEY=$(grep -m1 'hypertele:' "$DIR/hserver.log" | sed 's/.*: //')
"$LAB" exec hB env HYPERTELE_BOOTSTRAP="$BOOT" node --require "$HERE/hypertele-lab.js" \
  "$HT/client.js" -p 9200 -s "$HKEY" >"$DIR/hclient.log" 2>&1 &
wait_line 30 "$DIR/hclient.log" 'Server ready'

set_profile() {  # rtt loss rate extra
  local q extra=""
  q=$(awk "BEGIN{print $1/4}")
  case ${4:-} in
    reorder5) extra="--reorder 5" ;;
    jitter10) extra="--jitter 10" ;;
    "") ;;
    *) echo "wan_bench: unknown profile extra '$4'" >&2; exit 2 ;;
  esac
  echo "--delay $q --loss $2 --rate $3 --limit 1500 $extra" >"$DIR/rA.conf"
  echo "--delay $q" >"$DIR/rB.conf"
  local f
  for f in "$STATE"/delay-r?-*.ready; do kill -HUP "$(head -1 "$f")"; done
  sleep 0.5
}

ping_avg() {  # seconds -> average RTT in ms from hB to hA
  "$LAB" exec hB ping -i 0.2 -w "$1" -q "$HA" 2>/dev/null | awk -F/ '/rtt/{print $5}'
}

results() { grep -c mbyte_s "$DIR/sink.log" || true; }

# One transfer of $2 bytes through the tunnel on local port $1 of hB. Prints the sink's MB/s;
# writes the median ping RTT (hB to hA) over the transfer, less its first quarter, to $DIR/ping.
flow() {  # port bytes
  local before i got=""
  before=$(results)
  "$LAB" exec hB python3 "$FLOW" source 127.0.0.1 "$1" "$2" "$MAX_S" >/dev/null 2>&1 &
  local src=$!
  "$LAB" exec hB ping -i 0.1 -w "$MAX_S" "$HA" >"$DIR/ping.raw" 2>/dev/null &
  local pinger=$!
  for ((i = 0; i < (MAX_S + 30) * 10; i++)); do
    if [ "$(results)" -gt "$before" ]; then
      got=$(grep mbyte_s "$DIR/sink.log" | tail -1 | python3 -c "import json,sys; print(json.load(sys.stdin)['mbyte_s'])")
      break
    fi
    sleep 0.1
  done
  kill -INT "$pinger" 2>/dev/null || true
  wait "$pinger" 2>/dev/null || true
  python3 - "$DIR/ping.raw" >"$DIR/ping" <<'PY'
import re, statistics, sys
t = [float(m) for m in re.findall(r"time=([0-9.]+)", open(sys.argv[1]).read())]
t = t[len(t) // 4:]
print(round(statistics.median(t), 1) if t else "")
PY
  wait "$src" 2>/dev/null || true
  echo "${got:-0}"
}

# Rate Mbit/s, RTT ms -> bytes for about MEASURE s at that rate (UNLIMITED_MB unlimited), and
# at least 80 RTTs' worth: BBR's start-up takes about 5 RTTs to fill 100 Mbit/s, which at 250 ms
# reached past the eighth that the sink leaves out of an 8 s transfer.
size_for() {
  awk -v r="$1" -v t="${2:-0}" -v m="$MEASURE" -v u="$UNLIMITED_MB" 'BEGIN{
    f = (t * 0.08 > m ? t * 0.08 / m : 1)
    printf "%d", (r > 0 ? r * 1e6 / 8 * m * f : u * 1e6 * f) }'
}

# Both tunnels carry a little first, so neither pays for its first connection in the matrix.
set_profile 10 0 0
flow 9100 4000000 >/dev/null
flow 9200 4000000 >/dev/null

printf 'wan_bench: PeerPort vs hypertele 1.1.4, same lab, same run; transfers of ~%s s at the link rate, %s MB unlimited,\n' \
  "$MEASURE" "$UNLIMITED_MB"
printf '  and at least 80 RTTs of either\n'
printf '(MB/s = 10^6 bytes/s of payload at the sink, start-up excluded; link = the rate each way;\n'
printf ' rtt_x = median ping hB->hA during the transfer / idle ping)\n\n'
printf '%-22s %7s %9s %9s %7s %8s %8s %11s %11s\n' profile base_ms PP_MB/s HT_MB/s PP/HT PP/link HT/link PP_rtt_x HT_rtt_x
FAIL=0
for prof in $PROFILES; do
  IFS=: read -r rtt loss rate extra <<<"$prof"
  set_profile "$rtt" "$loss" "$rate" "${extra:-}"
  base=$(ping_avg 2)
  n=$(size_for "$rate" "$rtt")
  pp=$(flow 9100 "$n")
  pp_rtt=$(cat "$DIR/ping")
  ht=$(flow 9200 "$n")
  ht_rtt=$(cat "$DIR/ping")
  read -r ratio pl hl px hx <<<"$(awk -v pp="$pp" -v ht="$ht" -v r="$rate" -v b="$base" -v a="$pp_rtt" -v c="$ht_rtt" 'BEGIN{
    printf "%s %s %s %s %s\n", (ht > 0 ? sprintf("%.2f", pp / ht) : "inf"),
      (r > 0 ? sprintf("%.2f", pp * 8 / r) : "-"), (r > 0 ? sprintf("%.2f", ht * 8 / r) : "-"),
      (b > 0 && a != "" ? sprintf("%.2f", a / b) : "-"), (b > 0 && c != "" ? sprintf("%.2f", c / b) : "-") }')"
  printf '%-22s %7s %9s %9s %7s %8s %8s %11s %11s\n' "$prof" "${base:-?}" "$pp" "$ht" "$ratio" "$pl" "$hl" "$px" "$hx"
  if [ "$MODE" = smoke ]; then
    case $prof in
      40:1:0) awk "BEGIN{exit !($pp >= 0.8 * $ht)}" || { echo "  FAIL: PeerPort < 80 % of hypertele"; FAIL=1; } ;;
      40:0:10) awk "BEGIN{exit !($pp * 8 >= 0.8 * $rate)}" || { echo "  FAIL: PeerPort < 80 % of the link"; FAIL=1; } ;;
    esac
  fi
done

if [ "$FAIR" = 1 ]; then
  echo
  echo "fairness at a 20 Mbit/s bottleneck, 40 ms RTT, deep queue:"
  set_profile 40 0 20
  # Two PeerPort flows at once; each its own TCP connection, so its own UDX stream.
  before=$(results)
  srcs=()
  n=$(size_for 20)
  for k in 1 2; do
    "$LAB" exec hB python3 "$FLOW" source 127.0.0.1 9100 "$n" "$MAX_S" >/dev/null 2>&1 &
    srcs+=($!)
  done
  for ((i = 0; i < (MAX_S + 30) * 10; i++)); do
    [ "$(results)" -ge $((before + 2)) ] && break
    sleep 0.1
  done
  wait "${srcs[@]}" 2>/dev/null || true
  # Shares over the time both flows ran, past each one's first eighth: a whole-transfer
  # average also counts the end, where the flow that finished first left the link to the other.
  grep mbyte_s "$DIR/sink.log" | tail -2 | python3 -c "
import json,sys
fl=[json.loads(l) for l in sys.stdin]
r=[f['mbyte_s'] for f in fl]
t=sum(r) or 1
print('  two PeerPort flows, whole transfers: %s MB/s; shares %s' % (
  ' + '.join('%.2f' % x for x in r), ' / '.join('%.0f %%' % (100*x/t) for x in r)))
def at(s, x):
  for (t0, b0), (t1, b1) in zip(s, s[1:]):
    if t0 <= x <= t1: return b0 + (b1 - b0) * ((x - t0) / (t1 - t0) if t1 > t0 else 1)
  return s[-1][1] if x > s[-1][0] else 0
def warm(s):
  want = s[-1][1] / 8
  return next(t for t, b in s if b >= want)
a = max(warm(f['samples']) for f in fl)
b = min(f['samples'][-1][0] for f in fl)
if b - a < 1:
  print('  while both ran: less than 1 s of overlap')
else:
  got = [at(f['samples'], b) - at(f['samples'], a) for f in fl]
  tot = sum(got) or 1
  print('  while both ran (%.1f s): %s MB/s; shares %s; together %.0f %% of the link' % (
    b - a, ' + '.join('%.2f' % (g / (b - a) / 1e6) for g in got),
    ' / '.join('%.0f %%' % (100 * g / tot) for g in got), 100 * tot * 8 / (b - a) / 20e6))"
  # PeerPort against a TCP flow (iperf3, cubic) through the same bottleneck.
  "$LAB" exec hA iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  sleep 0.5
  "$LAB" exec hB iperf3 -c "$HA" -p 5201 -t $((MEASURE + 4)) -O 2 -J >"$DIR/iperf.json" 2>/dev/null &
  ipf=$!
  sleep 2
  pp=$(flow 9100 "$(size_for 10)")
  wait "$ipf" || true
  tcp=$(python3 -c "import json; d=json.load(open('$DIR/iperf.json')); print(round(d['end']['sum_received']['bits_per_second']/8e6,3))" 2>/dev/null || echo 0)
  awk -v p="$pp" -v t="$tcp" 'BEGIN{s=p+t; if(s==0)s=1; printf "  PeerPort vs iperf3 TCP: %.2f vs %.2f MB/s; PeerPort share %.0f %%\n", p, t, 100*p/s}'
fi
exit $FAIL
