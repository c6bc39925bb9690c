# Sourced by the lab's single-scenario tests (idle-tunnel.sh, network-move.sh): one lab named
# after the script, the processes it starts ended by PID and the lab taken down on every exit,
# and a bounded wait for a line in a log. Set NAME first; PIDS collects what to end.
LAB=$HERE/lab.sh
PEERPORT_CLI=${PEERPORT_CLI:-$ROOT/build/app/peerport-cli}
[ -x "$PEERPORT_CLI" ] || { echo "$NAME: no peerport-cli at $PEERPORT_CLI" >&2; exit 1; }
"$LAB" check >/dev/null
OUT=${LAB_MATRIX_DIR:-$(mktemp -d "/tmp/peerport-$NAME.XXXXXX")}
mkdir -p "$OUT"
export LAB_PREFIX=${NAME:0:4}$$ LAB_QUIET=1
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$LAB" down "$LAB_PREFIX" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "$NAME: FAIL: $* (logs in $OUT)" >&2; trap - EXIT; cleanup; exit 1; }
wait_for() {  # seconds file pattern
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    grep -q -- "$3" "$2" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
random_seed() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
