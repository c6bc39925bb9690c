#!/usr/bin/env bash
# Runs tests/ui/test_e2e_gui.cpp the way a desktop runs PeerPort: on its own Xvfb display, in a
# private D-Bus session with gnome-keyring's Secret Service unlocked by a test password, with
# HOME and the XDG dirs in a temporary directory (so nothing touches the real keyring or
# config). trayer is started by the test itself, after the instance that must see no tray.
# Usage: run_e2e.sh TEST_BINARY ARTIFACT_DIR
set -euo pipefail
test_bin=$1
artifacts=$2
for tool in Xvfb dbus-run-session gnome-keyring-daemon trayer; do
  command -v "$tool" >/dev/null || { echo "run_e2e.sh: $tool is missing (./dev.sh setup installs it)"; exit 1; }
done

work=$(mktemp -d /tmp/peerport-e2e.XXXXXX)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export XDG_RUNTIME_DIR=$work/run XDG_CACHE_HOME=$work/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$artifacts"
mkdir -m 0700 "$XDG_RUNTIME_DIR"

# A display number nobody uses.
display=
for n in $(seq 90 160); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=$n; break; fi
done
[ -n "$display" ] || { echo "run_e2e.sh: no free X display"; exit 1; }
Xvfb ":$display" -screen 0 1400x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
export DISPLAY=":$display"
unset WAYLAND_DISPLAY QT_QPA_PLATFORM PEERPORT_NO_KEYCHAIN

export PEERPORT_E2E_ARTIFACTS=$artifacts PEERPORT_E2E_WORK=$work
# gnome-keyring-daemon --unlock reads the password on stdin, creates the login keyring if there
# is none and serves org.freedesktop.secrets on this session bus until the bus goes away.
dbus-run-session -- bash -c '
  printf %s peerport-test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$0"' "$test_bin"
