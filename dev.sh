#!/usr/bin/env bash
# PeerPort's one setup script. On a fresh Debian/Ubuntu machine:
#   ./dev.sh run     install what is missing, build, and run PeerPort (the desktop app when
#                    there is a display, else the offline peerport-cli demo)
#   ./dev.sh test    install what is missing, build, and run the whole test suite
# Other commands: setup (install only), build, asan (sanitizer build + its tests), fuzz (short
# libFuzzer runs), lab (the NAT lab's reference matrix, as root), wan [--quick] [--fairness]
# (the WAN benchmark, PeerPort vs hypertele over emulated links, as root), wan-smoke (its two CI
# candidate profiles, pass/fail), clean.
# Environment: JOBS (parallel jobs, default: nproc), FUZZ_SECONDS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

# Debian package names; the README lists the Homebrew and vcpkg equivalents.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsodium-dev libuv1-dev libgtest-dev libcli11-dev nlohmann-json3-dev libqrencode-dev
  clang libclang-rt-dev
  lintian rpm desktop-file-utils appstream dpkg-dev file systemd
  # The desktop app, and its tests under Xvfb with a real Secret Service and a system tray.
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qtkeychain-qt6-dev
  qt6-translations-l10n libgl-dev xvfb xauth gnome-keyring dbus-x11 trayer x11-apps imagemagick
  # The NAT lab (tests/lab): network namespaces, NAT rules, an NFQUEUE delay line.
  iproute2 iptables iputils-ping python3
  # The C link emulator (tests/lab/linkem.c) and its check against a plain TCP flow.
  libnetfilter-queue-dev iperf3
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
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest build-asan -L 'unit|interop|e2e'
}

fuzz() {
  log "libFuzzer targets, ${FUZZ_SECONDS}s each"
  CC=clang CXX=clang++ configure_build build-fuzz -DPEERPORT_FUZZ=ON -DPEERPORT_TESTS=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DPEERPORT_FUZZ_SECONDS="$FUZZ_SECONDS" \
    -DPEERPORT_GUI=OFF
  run_ctest build-fuzz -L fuzz -j 1
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

# The NAT lab (tests/lab/README.md): network namespaces, so root. The JS reference matrix and
# PeerPort's matrix (label lab).
cmd_lab() {
  [ "$(id -u)" -eq 0 ] || die "the NAT lab needs root (network namespaces): sudo ./dev.sh lab"
  setup
  build
  log "NAT lab: the JS reference and PeerPort across open / easy / hard / firewalled / double NAT"
  run_ctest build -L '^lab$' -j 1 -V
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

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) cmd_test ;;
  setup) setup ;;
  build) setup; build ;;
  asan) setup; asan ;;
  fuzz) setup; fuzz ;;
  lab) cmd_lab ;;
  wan) shift; cmd_wan "$@" ;;
  wan-smoke) cmd_wan --smoke ;;
  clean) rm -rf build build-asan build-fuzz ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
