#!/usr/bin/env bash
# Connects a server on host A to a client on host B across the NAT lab, one lab per cell, and
# prints the matrix; exits 1 unless every cell ended as expected.
#   run-matrix.sh js        the JS reference (hyperdht 6.34): proves the lab behaves like the
#                           real internet does for hyperdht; KIND_A:KIND_B:relay cells give the
#                           client a JS blind relay (relayThrough)
#   run-matrix.sh peerport  peerport-cli share / connect, 10 MiB each way, SHA-256 checked, with a
#                           PeerPort relay on the internet; KIND_A:KIND_B:force-relay cells
#                           connect with --force-relay; KIND_A:KIND_B:loss=PCT cells put linkem
#                           on router A with PCT % random loss each way, KIND_A:KIND_B:rtt=MS
#                           cells delay both routers so that the hosts' round trip is MS
#   run-matrix.sh mixed     PeerPort against the JS reference, 1 MiB each way, with a PeerPort
#                           relay: KIND_A:KIND_B:pp-js (PeerPort client, JS server) and
#                           KIND_A:KIND_B:js-pp (JS client, PeerPort server)
# Options: --cells "KIND_A:KIND_B[:VARIANT] ..." --jobs N (cells at once, default 3) --loss PCT
#          --boot peerport|js (bootstrap nodes; js for js and mixed, peerport for peerport)
#          --keep-going (print the table, exit 0 whatever the outcome)
#          --start early|steady (peerport cells: the client starts the moment the share prints
#          its key and is used at once, the default; or 10 s later, once the share has settled)
#          --bytes N (what each cell echoes, each way) --within MS (a connected cell fails unless
#          the whole echo took at most MS from the TCP connect)
# Verdict: a connected cell must show the expected path in every view: the client's own, the far
# side's (the JS server's remote address; PeerPort's share's event) and the routers' byte counts
# (lab.sh traffic: which addresses the data really went to), so a peer wrong about its path fails.
# Environment: PEERPORT_CLI (default build/app/peerport-cli), LAB_MATRIX_DIR (logs; default a
# temporary directory, kept when a cell fails). Runs as root; every wait is bounded.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$HERE/lab.sh
PEERPORT_CLI=${PEERPORT_CLI:-$ROOT/build/app/peerport-cli}

MODE=${1:-}
case $MODE in js | peerport | mixed) shift ;; *) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;; esac

case $MODE in
  js) CELLS="open:open easy:easy hard:hard firewalled:firewalled double:double easy:hard hard:hard:relay"
    BOOT=js ;;
  peerport) CELLS="open:open easy:easy hard:hard firewalled:firewalled double:double easy:hard hard:easy open:hard"
    BOOT=peerport ;;
  mixed) CELLS="easy:easy:pp-js easy:hard:pp-js hard:hard:pp-js easy:easy:js-pp easy:hard:js-pp hard:hard:js-pp"
    # The reference's bootstrap nodes are neutral ground: the PeerPort relay has to announce
    # itself on them, and both kinds of peer have to find it there.
    BOOT=js ;;
esac
JOBS=3
LOSS=0
START=early
STEADY_DELAY=10
KEEP_GOING=0
BYTES=""
WITHIN=""
while [ $# -gt 0 ]; do
  case $1 in
    --cells) CELLS=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --loss) LOSS=${2:?}; shift 2 ;;
    --boot) BOOT=${2:?}; shift 2 ;;
    --keep-going) KEEP_GOING=1; shift ;;
    --start) START=${2:?}; shift 2 ;;
    --bytes) BYTES=${2:?}; shift 2 ;;
    --within) WITHIN=${2:?}; shift 2 ;;
    *) echo "run-matrix.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cell_variant() {  # KIND_A:KIND_B[:VARIANT] -> VARIANT or nothing
  local rest=${1#*:}
  [ "$rest" = "${rest#*:}" ] || echo "${rest#*:}"
}

case $START in early | steady) ;; *) echo "run-matrix.sh: --start takes early or steady" >&2; exit 2 ;; esac
case $BOOT in peerport | js) ;; *) echo "run-matrix.sh: --boot takes peerport or js" >&2; exit 2 ;; esac
for cell in $CELLS; do
  case $MODE/$(cell_variant "$cell") in
    js/ | js/relay | peerport/ | peerport/force-relay | mixed/pp-js | mixed/js-pp) ;;
    peerport/loss=* | peerport/rtt=*)
      [[ $(cell_variant "$cell") =~ ^(loss=[0-9]+(\.[0-9]+)?|rtt=[0-9]+)$ ]] ||
        { echo "run-matrix.sh: cell '$cell': loss=PCT or rtt=MS" >&2; exit 2; } ;;
    *) echo "run-matrix.sh: cell '$cell' does not fit mode $MODE (see run-matrix.sh without arguments)" >&2
      exit 2 ;;
  esac
done
if { [ "$MODE" != peerport ] || [ "$BOOT" = js ]; } &&
  [ ! -d "$ROOT/tests/interop/node_modules/blind-relay" ]; then
  echo "run-matrix.sh: the pinned JS reference is not installed (./dev.sh setup)" >&2
  exit 1
fi
if { [ "$MODE" != js ] || [ "$BOOT" = peerport ]; } && [ ! -x "$PEERPORT_CLI" ]; then
  echo "run-matrix.sh: no peerport-cli at $PEERPORT_CLI (build it, or set PEERPORT_CLI)" >&2
  exit 1
fi
[[ $BYTES =~ ^[0-9]*$ ]] && [[ $WITHIN =~ ^[0-9]*$ ]] ||
  { echo "run-matrix.sh: --bytes takes bytes, --within milliseconds" >&2; exit 2; }
"$LAB" check >/dev/null

JS_BYTES=1048576
PP_BYTES=$((10 * 1024 * 1024))
MIXED_BYTES=1048576  # the JS side moves about 1 MiB/s through the lab's delay lines
if [ -n "$BYTES" ]; then JS_BYTES=$BYTES PP_BYTES=$BYTES MIXED_BYTES=$BYTES; fi
CLIENT_TIMEOUT=60    # seconds for one client, connect and transfer
CELL_TIMEOUT=150     # seconds for one cell, lab up to lab down
LAB_STATE=${LAB_STATE_ROOT:-/run/peerport-lab}

# What a cell must end as: connected "direct" or "relayed", or the error code the reference gives
# up with (as lab.reference_matrix shows it doing). Two randomizing NATs cannot punch;
# hyperdht alone stops at HOLEPUNCH_DOUBLE_RANDOMIZED_NATS, and with a relay in reach both the
# reference and PeerPort connect through it. Everywhere else the reference punches through, so
# PeerPort has to as well, without the relay that is standing by.
expected() {  # kind_a kind_b variant
  case $3 in relay | force-relay) echo relayed; return ;; esac
  if [ "$1" = hard ] && [ "$2" = hard ]; then
    if [ "$MODE" = js ]; then echo HOLEPUNCH_DOUBLE_RANDOMIZED_NATS; else echo relayed; fi
  else
    echo direct
  fi
}

# Which relay the cell's lab runs: PeerPort cells always have one, so that finding it is
# PeerPort's own job; the JS reference only where a cell asks for it.
relay_kind() {  # variant
  case $MODE in js) if [ "$1" = relay ]; then echo js; else echo none; fi ;; *) echo peerport ;; esac
}

OUT=${LAB_MATRIX_DIR:-$(mktemp -d /tmp/peerport-lab-matrix.XXXXXX)}
mkdir -p "$OUT"
RUN=m$$
PREFIXES=()
CELL_PIDS=()
WATCHDOGS=()

cleanup() {
  local pid p
  for pid in "${WATCHDOGS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CELL_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${CELL_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for p in "${PREFIXES[@]}"; do LAB_QUIET=1 "$LAB" down "$p" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

wait_for() {  # seconds file pattern
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    grep -q -- "$3" "$2" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

json_field() {  # file event-or-empty field: the field of the last line with that event
  python3 - "$@" <<'EOF'
import json, sys
path, event, field = sys.argv[1], sys.argv[2], sys.argv[3]
value = ""
try:
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if event and j.get("event") != event:
            continue
        if field in j and j[field] is not None:
            value = j[field]
except OSError:
    pass
print(value if not isinstance(value, (dict, list)) else json.dumps(value))
EOF
}

# `peerport-cli nat` on a lab host must name the kind its router was built as. PeerPort tells a
# firewalled host (public address, unsolicited input dropped) from an open one with dht-rpc's
# PING_NAT check: answers sent to a socket of ours that never sent those nodes anything.
expected_nat() {  # kind
  case $1 in
    open) echo open ;;
    firewalled) echo firewalled ;;
    easy | double) echo consistent ;;
    hard) echo random ;;
  esac
}
peerport_nat_check() {  # dir node kind bootstrap; prints nothing, returns 1 on a mismatch
  local dir=$1 node=$2 kind=$3 boot=$4 got
  "$LAB" exec "$node" timeout 30 "$PEERPORT_CLI" nat --bootstrap "$boot" --json \
    --key-file "$dir/nat-$node.key" >"$dir/nat-$node.log" 2>&1 || true
  got=$(json_field "$dir/nat-$node.log" nat nat)
  echo "$got" >"$dir/nat-$node.kind"
  [ "$got" = "$(expected_nat "$kind")" ]
}

# linkem on the routers for the loss=PCT and rtt=MS variants (lab.sh --link-a/--link-b), the
# lab's usual 5 ms per router kept under the loss; prints lab.sh up's extra arguments, one a line.
link_args() {  # variant
  case $1 in
    loss=*) printf '%s\n' --link-a "--delay 5 --loss ${1#loss=}" ;;
    rtt=*)
      local quarter
      quarter=$(awk "BEGIN{print ${1#rtt=}/4}")
      printf '%s\n' --link-a "--delay $quarter" --link-b "--delay $quarter" ;;
  esac
}

# One cell in its own lab; writes $dir/result.json: {connected, error, ms, totalMs, bytes, path,
# far, traffic, payload, detail, natA, natB}. RELAY_KEY and RELAY_HOST name the lab's relay.
run_cell() {  # index kind_a kind_b variant
  local idx=$1 a=$2 b=$3 variant=$4
  local prefix=$RUN$idx dir=$OUT/cell$idx links=()
  mkdir -p "$dir"
  local start=""
  [ "$MODE/$START" != peerport/steady ] || start=" steady"
  echo "$MODE$start${variant:+ $variant} $a x $b" >"$dir/name"  # for summary.py
  export LAB_PREFIX=$prefix LAB_QUIET=1
  mapfile -t links < <(link_args "$variant")
  if ! "$LAB" up "$a" "$b" --boot "$BOOT" --relay "$(relay_kind "$variant")" --loss "$LOSS" \
    "${links[@]}" >"$dir/up.log" 2>&1; then
    write_result "$dir" false "LAB_UP_FAILED" "" "" "" "$(tail -1 "$dir/up.log")"
    return
  fi
  local bootstrap
  bootstrap=$(cat "$LAB_STATE/$prefix/bootstrap")
  RELAY_KEY=$(cat "$LAB_STATE/$prefix/relay-key" 2>/dev/null || true)
  RELAY_HOST=$(cat "$LAB_STATE/$prefix/relay-addr" 2>/dev/null || true)
  case $MODE/$variant in
    js/*) js_cell "$dir" "$a" "$b" "$bootstrap" "$variant" ;;
    peerport/*) peerport_cell "$dir" "$a" "$b" "$bootstrap" "$variant" ;;
    mixed/pp-js) pp_js_cell "$dir" "$a" "$b" "$bootstrap" ;;
    mixed/js-pp) js_pp_cell "$dir" "$a" "$b" "$bootstrap" ;;
  esac
  "$LAB" down "$prefix" >/dev/null 2>&1 || true
}

# C_TOTAL (ms to the last echoed byte), FAR (the far side's view of the path), TRAFFIC (lab.sh
# traffic, read once the echo is over) and PAYLOAD come from the cell, when it got that far.
write_result() {  # dir connected error ms bytes path detail [nat_a nat_b]
  C_TOTAL=${C_TOTAL:-} FAR=${FAR:-} TRAFFIC=${TRAFFIC:-} PAYLOAD=${PAYLOAD:-} python3 - "$@" <<'EOF'
import json, os, sys
d, connected, error, ms, nbytes, path, detail = sys.argv[1:8]
nat = sys.argv[8:10] if len(sys.argv) >= 10 else [None, None]
num = lambda s: int(s) if s.isdigit() else None
try:
    traffic = json.loads(os.environ["TRAFFIC"])
except ValueError:
    traffic = None
json.dump({"connected": connected == "true", "error": error or None, "ms": num(ms),
           "totalMs": num(os.environ["C_TOTAL"]), "bytes": num(nbytes) or 0, "path": path or None,
           "far": os.environ["FAR"] or None, "traffic": traffic, "payload": num(os.environ["PAYLOAD"]),
           "detail": detail, "natA": nat[0], "natB": nat[1]},
          open(d + "/result.json", "w"))
EOF
}

# What the routers forwarded so far (lab.sh traffic); call it once the echo is over.
read_traffic() {  # payload
  PAYLOAD=$1
  TRAFFIC=$("$LAB" traffic 2>/dev/null || true)
}

# "11.0.0.10:4567 fw" from a hyperdht NAT view.
nat_brief() {
  python3 -c '
import json, sys
try:
    n = json.loads(sys.argv[1])
except ValueError:
    print("?"); sys.exit()
s = "%s:%s" % (n.get("host"), n.get("port"))
print(s + (" firewalled" if n.get("firewalled") else " open") + (" random" if n.get("randomized") else ""))
' "${1:-}"
}

# The JS echo server on host A. Sets SERVER_KEY, or writes the cell's failure and returns 1.
start_js_server() {  # dir boot
  local dir=$1 boot=$2
  LAB_RELAY_HOST=$RELAY_HOST "$LAB" exec hA timeout $((CLIENT_TIMEOUT + 30)) \
    node "$HERE/js-peer.js" server "$(random_hex 32)" "$boot" >"$dir/server.log" 2>&1 &
  if ! wait_for 30 "$dir/server.log" '"listening"'; then
    write_result "$dir" false SERVER_NOT_LISTENING "" "" "" "$(tail -1 "$dir/server.log")"
    return 1
  fi
  SERVER_KEY=$(json_field "$dir/server.log" listening publicKey)
}

# The JS client on host B, to completion (bounded). Sets C_OK (true/false), C_ERROR, C_MS (to the
# first echoed byte), C_BYTES, C_PATH and C_NAT from its one line of JSON.
run_js_client() {  # dir key boot bytes relay-through
  local dir=$1 key=$2 boot=$3 bytes=$4 through=$5
  LAB_CLIENT_TIMEOUT_MS=$((CLIENT_TIMEOUT * 1000)) LAB_RELAY_THROUGH=$through LAB_RELAY_HOST=$RELAY_HOST \
    "$LAB" exec hB timeout $((CLIENT_TIMEOUT + 10)) node "$HERE/js-peer.js" client "$key" "$boot" "$bytes" \
    >"$dir/client.log" 2>&1 || true
  local connected match reasons
  connected=$(json_field "$dir/client.log" "" connected)
  match=$(json_field "$dir/client.log" "" match)
  C_ERROR=$(json_field "$dir/client.log" "" error)
  C_MS=$(json_field "$dir/client.log" "" ttfbMs)
  C_TOTAL=$(json_field "$dir/client.log" "" totalMs)
  C_BYTES=$(json_field "$dir/client.log" "" bytes)
  C_PATH=$(json_field "$dir/client.log" "" path)
  C_NAT=$(json_field "$dir/client.log" "" nat)
  [ -n "$connected" ] || C_ERROR=${C_ERROR:-NO_RESULT}
  # The reference's own decision (see js-peer.js): DOUBLE_RANDOMIZED_NATS hides behind ABORTED.
  reasons=$(json_field "$dir/client.log" "" reasons)
  if [ "$connected" != True ] && [[ $reasons == *HOLEPUNCH_DOUBLE_RANDOMIZED_NATS* ]]; then
    C_ERROR=HOLEPUNCH_DOUBLE_RANDOMIZED_NATS
  fi
  if [ "$connected" = True ] && [ "$match" != True ]; then C_ERROR=${C_ERROR:-ECHO_MISMATCH}; fi
  C_OK=false
  if [ "$connected" = True ] && [ "$match" = True ]; then C_OK=true; fi
}

# tcp-echo.py on host A behind `peerport-cli share`. Sets SERVER_KEY, or writes the cell's failure
# and returns 1.
start_pp_share() {  # dir boot
  local dir=$1 boot=$2
  "$LAB" exec hA timeout $((CELL_TIMEOUT)) python3 "$HERE/tcp-echo.py" serve 7000 >"$dir/echo.log" 2>&1 &
  wait_for 10 "$dir/echo.log" '"listening"' ||
    { write_result "$dir" false ECHO_NOT_LISTENING "" "" "" "$(tail -1 "$dir/echo.log")"; return 1; }
  "$LAB" exec hA timeout $((CELL_TIMEOUT)) "$PEERPORT_CLI" share --port 7000 --seed "$(random_hex 32)" \
    --bootstrap "$boot" --key-file "$dir/a.key" --json >"$dir/share.log" 2>&1 &
  if ! wait_for 30 "$dir/share.log" '"event":"listening"'; then
    write_result "$dir" false SHARE_NOT_LISTENING "" "" "" "$(tail -1 "$dir/share.log")"
    return 1
  fi
  SERVER_KEY=$(json_field "$dir/share.log" listening publicKey)
}

# `peerport-cli connect` on host B, exposing the remote service on 127.0.0.1:7001. It is given no
# relay: finding one when punching cannot work is part of what the cell tests.
start_pp_connect() {  # dir key boot extra-args...
  local dir=$1 key=$2 boot=$3
  shift 3
  "$LAB" exec hB timeout $((CELL_TIMEOUT)) "$PEERPORT_CLI" connect "$key" --port 7001 \
    --bootstrap "$boot" --key-file "$dir/b.key" --json "$@" >"$dir/connect.log" 2>&1 &
  if ! wait_for 30 "$dir/connect.log" '"event":"listening"'; then
    write_result "$dir" false CONNECT_NOT_LISTENING "" "" "" "$(tail -1 "$dir/connect.log")"
    return 1
  fi
}

# BYTES through 127.0.0.1:7001 on host B and back. Sets C_OK, C_ERROR, C_MS (TCP connect to first
# echoed byte), C_BYTES and C_PATH (from the connect side's connection-opened event).
push_through_connect() {  # dir bytes
  local dir=$1 bytes=$2 ok code
  "$LAB" exec hB python3 "$HERE/tcp-echo.py" push 7001 "$bytes" --timeout "$CLIENT_TIMEOUT" \
    >"$dir/push.log" 2>&1 || true
  ok=$(json_field "$dir/push.log" "" ok)
  C_ERROR=$(json_field "$dir/push.log" "" error)
  C_MS=$(json_field "$dir/push.log" "" ttfbMs)
  C_TOTAL=$(json_field "$dir/push.log" "" totalMs)
  C_BYTES=$(json_field "$dir/push.log" "" received)
  C_PATH=$(json_field "$dir/connect.log" connection-opened path)
  # The engine's own error code, when it gave one, says more than the pusher's symptom.
  code=$(json_field "$dir/connect.log" error code)
  [ -z "$code" ] || [ "$ok" = True ] || C_ERROR=$code
  [ -n "$ok" ] || C_ERROR=${C_ERROR:-NO_RESULT}
  C_OK=false
  if [ "$ok" = True ]; then C_OK=true; fi
}

js_cell() {  # dir a b bootstrap variant
  local dir=$1 a=$2 b=$3 boot=$4 variant=$5 through=""
  start_js_server "$dir" "$boot" || return 0
  [ "$variant" != relay ] || through=$RELAY_KEY
  run_js_client "$dir" "$SERVER_KEY" "$boot" "$JS_BYTES" "$through"
  read_traffic "$JS_BYTES"
  js_server_view "$dir"
  local nat_a nat_b
  nat_a=$(nat_brief "$(json_field "$dir/server.log" listening nat)")
  nat_b=$(nat_brief "$C_NAT")
  write_result "$dir" "$C_OK" "$C_ERROR" "$C_MS" "$C_BYTES" "$C_PATH" \
    "A $nat_a, B $nat_b; JS server's remote ${SEEN:-none}" "$nat_a" "$nat_b"
}

# The far side's view of the path. The JS server's: the address its stream's packets come from
# (js-peer.js: the relay's address means relayed), in FAR and SEEN ("11.0.0.20:4567").
js_server_view() {  # dir
  FAR=$(json_field "$1/server.log" connection path)
  SEEN=$(json_field "$1/server.log" connection remote)
}
# A PeerPort share's: its connection-opened event, or the later connection-path if it moved.
share_view() {  # dir
  FAR=$(json_field "$1/share.log" connection-path path)
  [ -n "$FAR" ] || FAR=$(json_field "$1/share.log" connection-opened path)
}

peerport_cell() {  # dir a b bootstrap variant
  local dir=$1 a=$2 b=$3 boot=$4 variant=$5 extra=()
  [ -x "$PEERPORT_CLI" ] || { write_result "$dir" false NO_CLI "" "" "" "$PEERPORT_CLI"; return; }
  [ "$variant" != force-relay ] || extra=(--force-relay)
  start_pp_share "$dir" "$boot" || return 0
  # early: the client starts the moment the share prints its key, and its first local client
  # comes the moment it listens (the share's NAT check may still be running); steady: the
  # client starts once the share has been up for STEADY_DELAY seconds.
  [ "$START" = early ] || sleep "$STEADY_DELAY"
  start_pp_connect "$dir" "$SERVER_KEY" "$boot" "${extra[@]}" || return 0
  push_through_connect "$dir" "$PP_BYTES"
  read_traffic "$PP_BYTES"
  share_view "$dir"
  local nat_error=""
  peerport_nat_check "$dir" hA "$a" "$boot" || nat_error="NAT_KIND_A_$(cat "$dir/nat-hA.kind")"
  peerport_nat_check "$dir" hB "$b" "$boot" || nat_error="${nat_error:-NAT_KIND_B_$(cat "$dir/nat-hB.kind")}"
  # `peerport-cli nat` naming the wrong kind fails the cell too.
  if [ -n "$nat_error" ]; then C_OK=false; C_ERROR=$nat_error; fi
  local nat_a nat_b
  nat_a=$(cat "$dir/nat-hA.kind") nat_b=$(cat "$dir/nat-hB.kind")
  write_result "$dir" "$C_OK" "$C_ERROR" "$C_MS" "$C_BYTES" "$C_PATH" \
    "peerport-cli nat: A $nat_a, B $nat_b" "$nat_a" "$nat_b"
}

# PeerPort client, JS server. The server's own view of the path goes into the detail column.
pp_js_cell() {  # dir a b bootstrap
  local dir=$1 a=$2 b=$3 boot=$4
  start_js_server "$dir" "$boot" || return 0
  start_pp_connect "$dir" "$SERVER_KEY" "$boot" || return 0
  push_through_connect "$dir" "$MIXED_BYTES"
  read_traffic "$MIXED_BYTES"
  js_server_view "$dir"
  local nat_a nat_b
  nat_a="js $(nat_brief "$(json_field "$dir/server.log" listening nat)")"
  nat_b="pp $(json_field "$dir/connect.log" dht nat)"
  write_result "$dir" "$C_OK" "$C_ERROR" "$C_MS" "$C_BYTES" "$C_PATH" \
    "A $nat_a, B $nat_b; JS server's remote ${SEEN:-none}" "$nat_a" "$nat_b"
}

# JS client, PeerPort server. For hard x hard the client is handed the PeerPort relay as
# hyperdht's relayThrough, which is how a JS app uses a relay it knows of.
js_pp_cell() {  # dir a b bootstrap
  local dir=$1 a=$2 b=$3 boot=$4 through=""
  [ -x "$PEERPORT_CLI" ] || { write_result "$dir" false NO_CLI "" "" "" "$PEERPORT_CLI"; return; }
  start_pp_share "$dir" "$boot" || return 0
  [ "$(expected "$a" "$b" "")" != relayed ] || through=$RELAY_KEY
  run_js_client "$dir" "$SERVER_KEY" "$boot" "$MIXED_BYTES" "$through"
  read_traffic "$MIXED_BYTES"
  share_view "$dir"
  local nat_a nat_b
  nat_a="pp $(json_field "$dir/share.log" dht nat)"
  nat_b="js $(nat_brief "$C_NAT")"
  write_result "$dir" "$C_OK" "$C_ERROR" "$C_MS" "$C_BYTES" "$C_PATH" \
    "A $nat_a, B $nat_b; JS client's remote $(json_field "$dir/client.log" "" remote)" "$nat_a" "$nat_b"
}

running_cells() {
  local pid n=0
  for pid in "${CELL_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
  echo $n
}

# Run the cells, JOBS at a time, each bounded by CELL_TIMEOUT.
t_start=$(date +%s)
idx=0
for cell in $CELLS; do
  a=${cell%%:*} rest=${cell#*:}
  b=${rest%%:*} variant=$(cell_variant "$cell")
  idx=$((idx + 1))
  PREFIXES+=("$RUN$idx")
  mkdir -p "$OUT/cell$idx"
  # Written before the cell starts, so a cell the watchdog ends still has its target.
  expected "$a" "$b" "$variant" >"$OUT/cell$idx/expected"
  while [ "$(running_cells)" -ge "$JOBS" ]; do sleep 0.2; done
  ( trap 'LAB_QUIET=1 "$LAB" down "$RUN'"$idx"'" >/dev/null 2>&1; exit 1' TERM
    run_cell "$idx" "$a" "$b" "$variant" ) &
  pid=$!
  CELL_PIDS+=("$pid")
  # A watchdog per cell: the cell's processes live in its namespaces, which `down` empties.
  ( sleep "$CELL_TIMEOUT"; kill -TERM "$pid" 2>/dev/null ) >/dev/null 2>&1 &
  WATCHDOGS+=("$!")
  echo "cell $idx: $a x $b${variant:+ ($variant)} (lab $RUN$idx)" >&2
done
for pid in "${CELL_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
for pid in "${WATCHDOGS[@]}"; do kill "$pid" 2>/dev/null || true; done
elapsed=$(($(date +%s) - t_start))

# The table, and the verdict per cell (verdict.py: every view of the path must agree).
rc=0
python3 "$HERE/verdict.py" "$OUT" "$MODE" "$elapsed" "$CELLS" "$WITHIN" || rc=$?
if [ $rc -eq 0 ] && [ -z "${LAB_MATRIX_DIR:-}" ]; then rm -rf "$OUT"; fi
[ $KEEP_GOING = 1 ] && exit 0
exit $rc
