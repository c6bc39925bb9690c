#!/usr/bin/env bash
# PeerPort's one setup script. On a fresh Debian/Ubuntu machine:
#   ./dev.sh run     install what is missing, build, and run PeerPort (the desktop app when
#                    there is a display, else the offline peerport-cli demo)
#   ./dev.sh test    install what is missing, build, and run the whole test suite
# Other commands: setup (install only), build, asan (sanitizer build + its tests), fuzz (short
# libFuzzer runs), fuzz-long [N] (every fuzz target for N executions, default 10 M), lab (the
# NAT lab's CI matrices, as root), lab-full [ROUNDS] (every router kind both ways, early start
# and steady state, PeerPort, JS and mixed, with figures; as root), wan [--quick] [--fairness]
# (the WAN benchmark, PeerPort vs hypertele over emulated links, as root), wan-smoke (its two CI
# candidate profiles, pass/fail), bench (every loopback benchmark with a deadline, one table of
# targets, exit 1 on a miss), portable (the suite on the portable UDP I/O path), windows
# (cross-build with MinGW-w64, tests and installer under Wine), stress [RUNS] (unit and e2e
# tests RUNS times, default 20, on one core shared with three busy loops), churn [NODES]
# [MINUTES] (a churning DHT of PeerPort and JS nodes on loopback, lookups through it; default 60
# nodes for 3 min, 300 for the full run), soak HOURS [NODES] (a share, a client connecting every 5
# s and a churning DHT for HOURS, RSS and descriptors sampled each minute; default 60 nodes),
# hot-order (profile the CLI with callgrind and rewrite app/cli/hot-functions.txt, the order its
# code is laid out in), clean.
# Environment: JOBS (parallel jobs, default: nproc), FUZZ_SECONDS, FUZZ_LONG_SECONDS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_LONG_SECONDS=${FUZZ_LONG_SECONDS:-0}

# Debian package names; the README lists the Homebrew and vcpkg equivalents.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsodium-dev libuv1-dev libgtest-dev libcli11-dev nlohmann-json3-dev libqrencode-dev
  clang libclang-rt-dev clang-format clang-tidy
  # The CLI's hot-code layout: lld links it by app/cli/hot-functions.txt, which valgrind's
  # callgrind profiles (./dev.sh hot-order).
  lld valgrind
  lintian rpm desktop-file-utils appstream dpkg-dev file systemd
  # The desktop app, and its tests under Xvfb with a real Secret Service and a system tray.
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qtkeychain-qt6-dev
  qt6-translations-l10n libgl-dev xvfb xauth gnome-keyring dbus-x11 trayer x11-apps imagemagick tesseract-ocr
  # The NAT lab (tests/lab): network namespaces, NAT rules, an NFQUEUE delay line.
  iproute2 iptables iputils-ping python3
  # The C link emulator (tests/lab/linkem.c) and its check against a plain TCP flow.
  libnetfilter-queue-dev iperf3
  # The Windows build (./dev.sh windows): MinGW-w64, Wine to run it, NSIS for the installer, and
  # what building libuv, libsodium and GoogleTest from Debian's sources takes.
  mingw-w64 g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix wine64 nsis googletest
  autoconf automake libtool
)

log() { printf '\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install the packages listed in README.md by hand)"
  fi
}

setup_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The pinned npm reference (tests/interop/package-lock.json), reinstalled when the lock changes.
setup_npm() {
  local dir=tests/interop stamp=tests/interop/node_modules/.peerport-lock
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  log "Installing the pinned npm reference packages (npm ci in $dir)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

setup() { setup_apt; setup_npm; }

configure_build() {  # dir, extra cmake args...
  local dir=$1; shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja -DPEERPORT_WERROR=ON "$@" >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; die "cmake configure failed for $dir"; }
  cmake --build "$dir" -j "$JOBS" || die "build failed in $dir"
}

build() { configure_build build; }

# Sums the ctest summaries of this run into one closing line.
PASSED=0; FAILED=0
run_ctest() {  # dir, ctest args...
  local dir=$1; shift
  local out rc=0
  out=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$JOBS" "$@" 2>&1 | tee "$out" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -1 || true)
  if [ -n "$line" ]; then
    local failed total
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    PASSED=$((PASSED + total - failed)); FAILED=$((FAILED + failed))
  elif [ $rc -ne 0 ]; then
    FAILED=$((FAILED + 1))
  fi
  rm -f "$out"
  return $rc
}

asan() {
  log "Sanitizer build (address, undefined)"
  # Without the desktop app: Qt under ASan is slow and noisy; its tests run in build/.
  configure_build build-asan -DPEERPORT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DPEERPORT_GUI=OFF
  local rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest build-asan -L 'unit|interop|e2e' || rc=1
  # The hostile peers against sanitized node, relay and share processes, alone and shorter: a
  # use-after-free they provoke aborts the victim, which the test sees die.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PEERPORT_ADVERSARY_SECONDS=10 \
    run_ctest build-asan -L adversary -j 1 || rc=1
  return $rc
}

fuzz() {
  log "libFuzzer targets, ${FUZZ_SECONDS}s each"
  CC=clang CXX=clang++ configure_build build-fuzz -DPEERPORT_FUZZ=ON -DPEERPORT_TESTS=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DPEERPORT_FUZZ_SECONDS="$FUZZ_SECONDS" \
    -DPEERPORT_GUI=OFF
  run_ctest build-fuzz -L fuzz -j 1
}

# Every fuzz target for a set number of executions (default 10 M), one after another at low
# priority, each starting from its corpus (the committed seeds plus what earlier runs kept).
# Prints one line per target: executions, seconds, executions per second, findings.
# FUZZ_LONG_SECONDS caps each target's time as well (default 0: no cap).
fuzz_long() {  # [executions per target]
  local runs=${1:-10000000}
  [[ $runs =~ ^[0-9]+$ ]] || die "fuzz-long takes a number of executions, not '$runs'"
  log "libFuzzer targets, $runs executions each"
  CC=clang CXX=clang++ configure_build build-fuzz -DPEERPORT_FUZZ=ON -DPEERPORT_TESTS=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DPEERPORT_FUZZ_SECONDS="$FUZZ_SECONDS" \
    -DPEERPORT_GUI=OFF
  local dir=build-fuzz/tests/fuzz rc=0 summary="" bin name out t0 secs execs found
  for bin in $(find "$dir" -maxdepth 1 -type f -executable -name 'fuzz_*' | sort); do
    name=$(basename "$bin")
    mkdir -p "$dir/corpus/$name" "$dir/artifacts/$name"
    out="$dir/artifacts/$name/fuzz-long.log"
    t0=$SECONDS
    found=0
    nice -n 19 "$bin" -runs="$runs" -max_total_time="$FUZZ_LONG_SECONDS" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/$name/" "$dir/corpus/$name" >"$out" 2>&1 || found=1
    secs=$((SECONDS - t0))
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$out" | tail -1)
    execs=${execs:-0}
    summary+=$(printf '%-26s %12s execs %7s s %9s/s  %s' "$name" "$execs" "$secs" \
      "$((execs / (secs > 0 ? secs : 1)))" "$([ $found -eq 0 ] && echo "no finding" ||
        echo "FINDING: see $out")")$'\n'
    if [ $found -ne 0 ]; then rc=1; FAILED=$((FAILED + 1)); else PASSED=$((PASSED + 1)); fi
  done
  echo
  printf '%s' "$summary"
  return $rc
}

cmd_test() {
  setup
  build
  local rc=0
  log "Unit and interop tests"
  run_ctest build -L 'unit|interop|e2e' || rc=1
  # Alone: it floods a node and a relay on loopback for ~20 s and samples their memory.
  log "Adversary (ctest -L adversary): hostile peers against a node and a relay, then a tunnel"
  run_ctest build -L adversary -j 1 || rc=1
  # Alone: 60 DHT nodes, half of them node.js, and their clients for 3 minutes.
  log "Churn smoke (ctest -L churn): lookups through a churning 60-node DHT of PeerPort and JS"
  run_ctest build -L churn -j 1 || rc=1
  # One at a time: the packaging test installs and removes the .deb system-wide.
  log "Packaging tests (.deb and .rpm built, linted, installed, run, removed)"
  run_ctest build -L packaging -j 1 || rc=1
  # The desktop app: offscreen Qt tests, then two instances under Xvfb (RUN_SERIAL).
  log "Desktop app tests (ctest -L ui)"
  run_ctest build -L ui || rc=1
  # Network namespaces need root; without it this is a failure with the reason, not a skip.
  log "NAT lab (ctest -L '^lab\$'): the JS reference and PeerPort across router kinds"
  if [ "$(id -u)" -eq 0 ]; then
    run_ctest build -L '^lab$' -j 1 -V || rc=1  # -V: the matrices print their tables
  else
    echo "dev.sh: the NAT lab needs root (network namespaces); run the tests as root" >&2
    FAILED=$((FAILED + 1)); rc=1
  fi
  asan || rc=1
  fuzz || rc=1
  echo
  echo "dev.sh test: $PASSED passed, $FAILED failed"
  return $rc
}

# Timing under load (issue 20): `ctest -L 'unit|e2e'` RUNS times (default 20), pinned to CPU 0
# together with three busy loops pinned there too, so every test gets a fraction of one core. A
# test that passes only when it is scheduled promptly fails here. Counts passes and failures per
# run and per test; exits non-zero on any failure. The busy loops go on exit, Ctrl-C included.
cmd_stress() {  # [runs]
  local runs=${1:-20}
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "stress: RUNS must be a positive number, not '$runs'"
  command -v taskset >/dev/null || die "stress: taskset is missing (util-linux)"
  setup
  build
  STRESS_BUSY=()
  STRESS_LOGS=$(mktemp -d /tmp/peerport-stress.XXXXXX)
  trap stress_cleanup EXIT
  trap 'exit 130' INT TERM
  local i
  for i in 1 2 3; do
    taskset -c 0 bash -c 'while :; do :; done' &
    STRESS_BUSY+=($!)
  done
  log "stress: $runs runs of ctest -L 'unit|e2e' on CPU 0 beside three busy loops (pids ${STRESS_BUSY[*]})"
  local run_pass=0 run_fail=0 t0=$SECONDS t rc line name
  declare -A passes=() fails=()
  for i in $(seq 1 "$runs"); do
    t=$SECONDS rc=0
    taskset -c 0 ctest --test-dir build --no-tests=error --output-on-failure -j "$JOBS" \
      -L 'unit|e2e' >"$STRESS_LOGS/run-$i.log" 2>&1 || rc=$?
    while IFS= read -r line; do
      [[ $line =~ Test\ +#[0-9]+:\ ([^ ]+)\ .*(Passed|\*\*\*[A-Za-z]+|Not\ Run|Exception) ]] || continue
      name=${BASH_REMATCH[1]}
      if [ "${BASH_REMATCH[2]}" = Passed ]; then
        passes[$name]=$((${passes[$name]:-0} + 1))
      else
        fails[$name]=$((${fails[$name]:-0} + 1))
      fi
    done <"$STRESS_LOGS/run-$i.log"
    if [ $rc -eq 0 ]; then
      run_pass=$((run_pass + 1))
      echo "stress run $i/$runs: passed in $((SECONDS - t)) s"
    else
      run_fail=$((run_fail + 1))
      echo "stress run $i/$runs: FAILED in $((SECONDS - t)) s (log kept: $STRESS_LOGS/run-$i.log)"
      grep -E '\*\*\*|Not Run|Exception' "$STRESS_LOGS/run-$i.log" | sed 's/^/    /' || true
    fi
  done
  echo
  log "stress: $run_pass of $runs runs passed, $run_fail failed, in $((SECONDS - t0)) s"
  if [ ${#fails[@]} -gt 0 ]; then
    echo "Failures per test (failed/run):"
    for name in $(printf '%s\n' "${!fails[@]}" | sort); do
      printf '  %-40s %d/%d\n' "$name" "${fails[$name]}" $((${fails[$name]} + ${passes[$name]:-0}))
    done
  else
    echo "Every test passed in every run (${#passes[@]} tests)."
  fi
  [ $run_fail -eq 0 ]
}

stress_cleanup() {
  local p
  for p in "${STRESS_BUSY[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${STRESS_BUSY[@]}"; do wait "$p" 2>/dev/null || true; done
  # Logs of failed runs stay for reading; those of clean runs go.
  if [ -d "${STRESS_LOGS:-}" ]; then
    grep -lE '\*\*\*|Not Run|Exception' "$STRESS_LOGS"/run-*.log >/dev/null 2>&1 ||
      rm -rf "$STRESS_LOGS"
  fi
}

# The NAT lab (tests/lab/README.md): network namespaces, so root. The JS reference matrix and
# PeerPort's matrix (label lab).
cmd_lab() {
  [ "$(id -u)" -eq 0 ] || die "the NAT lab needs root (network namespaces): sudo ./dev.sh lab"
  setup
  build
  log "NAT lab: the JS reference and PeerPort across open / easy / hard / firewalled / double NAT"
  run_ctest build -L '^lab$' -j 1 -V
}

# The whole NAT lab, ROUNDS times (default 1): PeerPort's 5 x 5 matrix of {open, easy, hard,
# firewalled, double} with the client started the moment the share prints its key and again in
# steady state, the JS reference's 5 x 5 in the same lab for comparison, and PeerPort against
# the reference both ways with the randomizing NAT on either side. Prints per-cell figures
# (tests/lab/summary.py) and fails on any cell not as expected, or random-NAT cells over
# p90 4 s / max 10 s. About 35 minutes a round on two cores.
cmd_lab_full() {
  [ "$(id -u)" -eq 0 ] || die "the NAT lab needs root (network namespaces): sudo ./dev.sh lab-full"
  local rounds=${1:-1} kinds="open easy hard firewalled double" all="" out rc=0 r
  setup
  build
  for a in $kinds; do for b in $kinds; do all="$all $a:$b"; done; done
  out=$(mktemp -d /tmp/peerport-lab-full.XXXXXX)
  for r in $(seq 1 "$rounds"); do
    log "lab-full round $r/$rounds: PeerPort, early start"
    LAB_MATRIX_DIR=$out/pp-early-$r ./tests/lab/run-matrix.sh peerport --cells "$all" --jobs 2 --keep-going
    log "lab-full round $r/$rounds: PeerPort, steady state"
    LAB_MATRIX_DIR=$out/pp-steady-$r ./tests/lab/run-matrix.sh peerport --start steady --cells "$all" --jobs 2 --keep-going
    log "lab-full round $r/$rounds: the JS reference"
    LAB_MATRIX_DIR=$out/js-$r ./tests/lab/run-matrix.sh js --cells "${all/hard:hard/hard:hard:relay}" --jobs 2 --keep-going
    log "lab-full round $r/$rounds: PeerPort and the JS reference, both ways"
    LAB_MATRIX_DIR=$out/mixed-$r ./tests/lab/run-matrix.sh mixed --jobs 2 --keep-going --cells \
      "easy:easy:pp-js easy:hard:pp-js hard:easy:pp-js hard:hard:pp-js easy:easy:js-pp easy:hard:js-pp hard:easy:js-pp hard:hard:js-pp"
  done
  log "lab-full: PeerPort (early start and steady state)"
  python3 tests/lab/summary.py "$out"/pp-early-* "$out"/pp-steady-* "$out"/mixed-* --random-p90 4000 --random-max 10000 || rc=1
  log "lab-full: the JS reference, for comparison"
  python3 tests/lab/summary.py "$out"/js-* || true
  echo "logs: $out"
  return $rc
}

# The WAN benchmark (tests/bench/wan_bench.sh): PeerPort and hypertele through the same emulated
# links (tests/lab/linkem.c), the full matrix or --quick; prints figures, not a test.
cmd_wan() {
  [ "$(id -u)" -eq 0 ] || die "the WAN benchmark needs root (network namespaces): sudo ./dev.sh wan"
  setup
  build
  ./tests/bench/wan_bench.sh "$@"
}

cmd_run() {
  setup
  build
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x ./build/app/gui/peerport ]; then
    log "peerport: the desktop app"
    exec ./build/app/gui/peerport "$@"
  fi
  echo "No display (\$DISPLAY and \$WAYLAND_DISPLAY are unset), so not starting the desktop app."
  log "peerport-cli demo: a testnet, a shared web service, a friend fetching a page through it"
  ./build/app/peerport-cli demo
}

# The suite on the portable UDP I/O path (uv_udp_t, what Windows and macOS use) forced on Linux.
# Every loopback benchmark, each against its reference in the same run and under a deadline;
# then one table of their targets (the lines each prints as "target ..."). Exits 1 on a missed
# target, a failed run or a blown deadline. The WAN matrix (root, about an hour) is ./dev.sh wan.
# Environment: BENCH_MIB (per transfer, default 256), BENCH_ROUNDS (default 3).
cmd_bench() {
  setup
  build
  local out=build/bench-results rc=0 mib=${BENCH_MIB:-256} rounds=${BENCH_ROUNDS:-3}
  rm -rf "$out" && mkdir -p "$out"
  bench_one() {  # name deadline-seconds command...
    local name=$1 limit=$2 t0=$SECONDS st=0
    shift 2
    log "Benchmark $name (deadline ${limit} s)"
    timeout --kill-after=10 "$limit" "$@" >"$out/$name.log" 2>&1 || st=$?
    cat "$out/$name.log"
    if [ $st -eq 124 ] || [ $st -eq 137 ]; then
      echo "target $name seconds $((SECONDS - t0)) <= $limit MISSED" >>"$out/$name.log"
    elif ! grep -q '^target ' "$out/$name.log"; then
      echo "target $name ran no yes = yes MISSED" >>"$out/$name.log"  # crashed before judging
    fi
    [ $st -eq 0 ] || rc=1
  }
  bench_one udx_throughput 600 build/tests/bench/udx_throughput "$mib" "$rounds"
  bench_one tunnel_bench 900 build/tests/bench/tunnel_bench "$mib" "$rounds"
  bench_one connect_latency 600 build/tests/bench/connect_latency 20
  bench_one idle_footprint 180 build/tests/bench/idle_footprint
  bench_one many_shares 300 build/tests/bench/many_shares 100
  if [ -x build/tests/bench/gui_idle_memory ]; then
    bench_one gui_idle_memory 180 build/tests/bench/gui_idle_memory
  fi
  echo
  log "Targets (bench, what, measured, bound, verdict; logs in $out/)"
  cat "$out"/*.log | grep '^target ' | cut -d' ' -f2- | column -t
  if grep -q '^target .* MISSED$' "$out"/*.log; then rc=1; fi
  echo "dev.sh bench: $(cat "$out"/*.log | grep -c '^target .* met$') met, $(cat "$out"/*.log |
    grep -c '^target .* MISSED$') missed"
  return $rc
}
# A churning DHT on loopback (issue 19, tests/bench/churn_dht.py): NODES nodes, half
# `peerport-cli node`, half JS hyperdht; 10 % of them replaced every interval (10 s under 100
# nodes, else 60 s) while PeerPort and JS clients look up and connect to PeerPort and JS shares.
# One table, then its targets; exits 1 on a miss. Not in CI (timing-sensitive, minutes long).
cmd_churn() {  # [nodes] [minutes]
  local nodes=${1:-60} minutes=${2:-3}
  [[ $nodes =~ ^[1-9][0-9]*$ ]] || die "churn: NODES must be a positive number, not '$nodes'"
  [[ $minutes =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "churn: MINUTES must be a number, not '$minutes'"
  setup
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DPEERPORT_WERROR=ON >/dev/null
  cmake --build build -j "$JOBS" --target peerport-cli || die "build failed in build"
  # Two or three hundred processes: beside other work, at a lower priority.
  nice -n 10 python3 tests/bench/churn_dht.py build/app/peerport-cli "$nodes" "$minutes"
}

cmd_soak() {  # HOURS [nodes]
  local hours=${1:-} nodes=${2:-60}
  [[ $hours =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "soak: HOURS must be a number, not '$hours'"
  [[ $nodes =~ ^[1-9][0-9]*$ ]] || die "soak: NODES must be a positive number, not '$nodes'"
  setup
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DPEERPORT_WERROR=ON >/dev/null
  cmake --build build -j "$JOBS" --target peerport-cli || die "build failed in build"
  mkdir -p build/soak
  local csv
  csv=build/soak/soak-$(date +%Y%m%d-%H%M%S).csv
  log "Soak: $hours h, $nodes nodes; one row a minute, also in $csv"
  nice -n 10 python3 tests/bench/soak.py build/app/peerport-cli "$hours" --nodes "$nodes" \
    --csv "$csv"
}

# The CLI's hot-code order (docs/architecture.md, "Footprint"): callgrind runs of the CLI as
# users run it write app/cli/hot-functions.txt, then the CLI is linked by it. Run it after a
# change that renames or adds much code on the share's path, and commit the file.
cmd_hot_order() {
  setup
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DPEERPORT_WERROR=ON >/dev/null
  cmake --build build -j "$JOBS" --target peerport-cli || die "build failed in build"
  python3 tests/bench/hot_order.py build/app/peerport-cli app/cli/hot-functions.txt
  cmake --build build -j "$JOBS" --target peerport-cli idle_footprint || die "relink failed"
  build/tests/bench/idle_footprint
}

cmd_portable() {
  setup
  log "Portable UDP I/O path (PEERPORT_PORTABLE_IO=ON): unit, interop and e2e tests"
  configure_build build-portable -DPEERPORT_PORTABLE_IO=ON -DPEERPORT_GUI=OFF
  run_ctest build-portable -L "${PORTABLE_LABELS:-unit|interop|e2e}"
}

# ---- Windows: cross-built with MinGW-w64, run under Wine --------------------------------------
# libuv and libsodium have no MinGW packages in Debian: they are built from Debian's own source
# packages, pinned to these versions and to the SHA-256 of their .dsc (which pins every tarball:
# dpkg-source checks them against it). GoogleTest comes from the googletest package's source.
WIN_DIR=$ROOT/build-windows
WIN_SRC_CACHE=$ROOT/.cache/debian-src  # downloads survive a fresh build dir
WIN_LIBUV=libuv1=1.44.2-1+deb12u1
WIN_LIBUV_DSC_SHA256=798be0a2bcbcd40bb85302f6ccbf02b240e1958d4ad9cf153b8101c3a82f21b9
WIN_SODIUM=libsodium=1.0.18-1+deb12u1
WIN_SODIUM_DSC_SHA256=2c23c57b5a9385dab5a1916014c9b5f2cdd7dadeb8a35b28c1bfb603ce7095c4
WIN_TOOLCHAIN=$ROOT/cmake/mingw-w64-x86_64.cmake
WINE_LOADER=/usr/lib/wine/wine64

win_deb_src_entry() {
  local f=/etc/apt/sources.list.d/peerport-src.sources
  [ -f "$f" ] && return
  log "Enabling Debian source packages (deb-src, bookworm) in $f"
  as_root tee "$f" >/dev/null <<'SRC'
# Added by PeerPort's ./dev.sh windows: source packages of libuv1 and libsodium for the MinGW build.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
}

win_fetch_source() {  # pkg=version dsc-sha256 -> prints the .dsc path
  local spec=$1 sha=$2 pkg=${1%%=*} ver=${1#*=}
  local dsc="$WIN_SRC_CACHE/${pkg}_${ver#*:}.dsc"
  if [ ! -f "$dsc" ]; then
    win_deb_src_entry >&2  # its log line must not join the path this prints
    mkdir -p "$WIN_SRC_CACHE"
    (cd "$WIN_SRC_CACHE" && apt-get source --download-only -qq "$spec" >/dev/null 2>&1) ||
      die "apt-get source $spec failed (is the deb-src entry there, and the version still in bookworm?)"
  fi
  echo "$sha  $dsc" | sha256sum -c --quiet - >&2 || die "checksum mismatch for $dsc"
  echo "$dsc"
}

# dpkg-source checks every tarball against the (pinned) .dsc and applies Debian's patches, the
# +deb12u1 security fixes among them. It cannot check the .dsc's OpenPGP signature without
# debian-keyring, and says so; the pinned SHA-256 stands in for it.
win_unpack() {  # dsc dest
  rm -rf "$2"
  dpkg-source -x "$1" "$2" >/dev/null 2>&1 || die "dpkg-source -x $1 failed"
}

# Builds the Windows libraries once into $WIN_DIR/deps/prefix; a stamp per library and version
# keeps reruns fast.
win_deps() {
  local deps=$WIN_DIR/deps prefix=$WIN_DIR/deps/prefix
  mkdir -p "$deps" "$prefix"
  export PEERPORT_WINDOWS_PREFIX=$prefix
  local dsc stamp
  stamp=$deps/.libuv-${WIN_LIBUV#*=}
  if [ ! -f "$stamp" ]; then
    log "libuv ${WIN_LIBUV#*=} for Windows (Debian source)"
    dsc=$(win_fetch_source "$WIN_LIBUV" "$WIN_LIBUV_DSC_SHA256")
    win_unpack "$dsc" "$deps/libuv"
    cmake -S "$deps/libuv" -B "$deps/build-libuv" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WIN_TOOLCHAIN" \
      -DCMAKE_BUILD_TYPE=Release -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF \
      -DCMAKE_INSTALL_PREFIX="$prefix" >"$deps/libuv.log" 2>&1 &&
      cmake --build "$deps/build-libuv" -j "$JOBS" --target uv_a >>"$deps/libuv.log" 2>&1 ||
      { tail -30 "$deps/libuv.log"; die "libuv build failed"; }
    # Static only: the .exe files must not need a libuv DLL.
    mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
    cp -r "$deps/libuv/include/." "$prefix/include/"
    cp "$deps/build-libuv/libuv_a.a" "$prefix/lib/libuv.a"
    sed -e 's/-luv_a/-luv/' -e 's/^Name: libuv-static/Name: libuv/' \
      "$deps/build-libuv/libuv-static.pc" >"$prefix/lib/pkgconfig/libuv.pc"
    touch "$stamp"
  fi
  stamp=$deps/.libsodium-${WIN_SODIUM#*=}
  if [ ! -f "$stamp" ]; then
    log "libsodium ${WIN_SODIUM#*=} for Windows (Debian source)"
    dsc=$(win_fetch_source "$WIN_SODIUM" "$WIN_SODIUM_DSC_SHA256")
    win_unpack "$dsc" "$deps/libsodium"
    # Debian's source has no generated configure (its rules run autoreconf too).
    (cd "$deps/libsodium" && autoreconf -fi &&
      ./configure --host=x86_64-w64-mingw32 CC=x86_64-w64-mingw32-gcc-posix --prefix="$prefix" \
        --disable-shared --enable-static --disable-ssp --disable-dependency-tracking &&
      make -j "$JOBS" && make install) >"$deps/libsodium.log" 2>&1 ||
      { tail -30 "$deps/libsodium.log"; die "libsodium build failed"; }
    touch "$stamp"
  fi
  stamp=$deps/.googletest-$(dpkg-query -W -f='${Version}' googletest)
  if [ ! -f "$stamp" ]; then
    log "GoogleTest for Windows (/usr/src/googletest)"
    cmake -S /usr/src/googletest -B "$deps/build-gtest" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WIN_TOOLCHAIN" \
      -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF -DCMAKE_INSTALL_PREFIX="$prefix" \
      >"$deps/gtest.log" 2>&1 &&
      cmake --build "$deps/build-gtest" -j "$JOBS" >>"$deps/gtest.log" 2>&1 &&
      cmake --install "$deps/build-gtest" >>"$deps/gtest.log" 2>&1 ||
      { tail -30 "$deps/gtest.log"; die "GoogleTest build failed"; }
    touch "$stamp"
  fi
  # Header-only: copies, so that no host include folder reaches the MinGW compiler. Once:
  # fresh copies would have new times and rebuild everything that includes them.
  if [ ! -d "$prefix/include/nlohmann" ]; then
    mkdir -p "$prefix/include" "$prefix/share/cmake"
    cp -r /usr/include/nlohmann /usr/include/CLI "$prefix/include/"
    cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$prefix/share/cmake/"
  fi
}

# Wine with a prefix of its own under the build dir (never ~/.wine), quiet, without the Mono and
# Gecko installers it would otherwise offer.
win_wine_env() {
  export WINEPREFIX=$WIN_DIR/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
  export WINEARCH=win64
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    log "Creating the Wine prefix $WINEPREFIX"
    "$WINE_LOADER" wineboot --init >/dev/null 2>&1 || true
    /usr/lib/wine/wineserver -w
  fi
  # ctest runs the cross-built tests through this (CMAKE_CROSSCOMPILING_EMULATOR).
  cat >"$WIN_DIR/wine.sh" <<WRAP
#!/bin/sh
export WINEPREFIX='$WINEPREFIX' WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe=d' WINEARCH=win64
exec '$WINE_LOADER' "\$@"
WRAP
  chmod +x "$WIN_DIR/wine.sh"
}

cmd_windows() {
  setup
  local t0=$SECONDS rc=0
  win_deps
  win_wine_env
  log "Cross-building core, peerport-cli and the unit tests for Windows (MinGW-w64)"
  mkdir -p "$WIN_DIR/peerport"
  cmake -S . -B "$WIN_DIR/peerport" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WIN_TOOLCHAIN" \
    -DPEERPORT_WINDOWS_PREFIX="$PEERPORT_WINDOWS_PREFIX" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$WIN_DIR/wine.sh" \
    -DPEERPORT_GUI=OFF -DPEERPORT_WERROR=ON >"$WIN_DIR/configure.log" 2>&1 ||
    { cat "$WIN_DIR/configure.log"; die "cmake configure failed for the Windows build"; }
  cmake --build "$WIN_DIR/peerport" -j "$JOBS" || die "Windows build failed"
  log "Unit tests under Wine"
  run_ctest "$WIN_DIR/peerport" -L unit -j 1 || rc=1
  log "Under Wine: peerport-cli demo, then share/connect echo across three processes"
  local cli=$WIN_DIR/peerport/app/peerport-cli.exe
  if "$WIN_DIR/wine.sh" "$cli" demo >"$WIN_DIR/demo.log" 2>&1; then
    PASSED=$((PASSED + 1)); tail -3 "$WIN_DIR/demo.log"
  else
    FAILED=$((FAILED + 1)); rc=1; cat "$WIN_DIR/demo.log"
  fi
  if python3 tests/windows/wine_echo.py "$WIN_DIR/wine.sh" "$cli"; then
    PASSED=$((PASSED + 1))
  else
    FAILED=$((FAILED + 1)); rc=1
  fi
  log "CLI installer (NSIS): built, installed silently under Wine, run, uninstalled"
  if tests/windows/installer.sh "$WIN_DIR/peerport" "$WIN_DIR/wine.sh"; then
    PASSED=$((PASSED + 1))
  else
    FAILED=$((FAILED + 1)); rc=1
  fi
  /usr/lib/wine/wineserver -k 2>/dev/null || true  # this prefix's wineserver only
  echo
  echo "dev.sh windows: $PASSED passed, $FAILED failed in $((SECONDS - t0)) s"
  return $rc
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) cmd_test ;;
  setup) setup ;;
  build) setup; build ;;
  asan) setup; asan ;;
  fuzz) setup; fuzz ;;
  fuzz-long) shift; setup; fuzz_long "$@" ;;
  lab) cmd_lab ;;
  lab-full) shift; cmd_lab_full "$@" ;;
  wan) shift; cmd_wan "$@" ;;
  wan-smoke) cmd_wan --smoke ;;
  bench) cmd_bench ;;
  portable) cmd_portable ;;
  windows) cmd_windows ;;
  stress) shift; cmd_stress "$@" ;;
  churn) shift; cmd_churn "$@" ;;
  soak) shift; cmd_soak "$@" ;;
  hot-order) cmd_hot_order ;;
  clean) rm -rf build build-asan build-fuzz build-portable build-windows ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
