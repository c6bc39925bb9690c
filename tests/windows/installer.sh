#!/usr/bin/env bash
# The Windows CLI installer, end to end under Wine: CPack's NSIS generator (makensis) builds it
# from the cross-built tree with the same packaging/windows files the release workflow uses;
# it is installed silently, the installed peerport-cli runs its demo, the uninstaller runs
# silently, and nothing it installed is left (files under C:\ and registry keys naming PeerPort).
#
# usage: installer.sh WINDOWS_BUILD_DIR WINE_WRAPPER   (WINEPREFIX exported by dev.sh)
set -euo pipefail
build=$1 wine=$2
: "${WINEPREFIX:?WINEPREFIX must name the Wine prefix}"
wineserver=/usr/lib/wine/wineserver
fail() { echo "installer.sh: FAILED: $*" >&2; exit 1; }

(cd "$build" && cpack -G NSIS >cpack.log 2>&1) || { cat "$build/cpack.log"; fail "cpack -G NSIS"; }
installer=$(ls "$build"/PeerPort-*-windows-x64.exe | head -1)
[ -f "$installer" ] || fail "no installer in $build"
echo "installer: $(basename "$installer") ($(du -k "$installer" | cut -f1) KiB)"

drive=$WINEPREFIX/drive_c
target='C:\PeerPort-installer-test'
target_unix=$drive/PeerPort-installer-test
snapshot() {  # every path under C:\ but Wine's own and the temp folders, one per line
  (cd "$drive" && find . -path ./windows -prune -o -path './users/*/Temp' -prune -o \
    -path './users/*/AppData/Local/Temp' -prune -o -print | sort)
}
registry_mentions() { grep -il peerport "$WINEPREFIX"/*.reg || true; }
"$wineserver" -w
before=$(snapshot)
[ -z "$(registry_mentions)" ] || fail "the registry names PeerPort before the install"

# /S: silent; /D: the folder (must come last, unquoted). wineserver -w waits for every process.
"$wine" "$installer" /S "/D=$target"
"$wineserver" -w
[ -f "$target_unix/bin/peerport-cli.exe" ] || fail "peerport-cli.exe was not installed"
[ -f "$target_unix/Uninstall PeerPort.exe" ] || fail "no uninstaller was installed"
[ -n "$(registry_mentions)" ] || fail "the install left no uninstall entry in the registry"

out=$("$wine" "$target_unix/bin/peerport-cli.exe" demo 2>&1) || { echo "$out"; fail "installed demo"; }
grep -q "fetched" <<<"$out" || { echo "$out"; fail "the installed demo fetched no page"; }
echo "installed peerport-cli demo: ok"
version=$("$wine" "$target_unix/bin/peerport-cli.exe" --version 2>&1 | tr -d '\r')
echo "installed: $version"

"$wine" "$target_unix/Uninstall PeerPort.exe" /S
"$wineserver" -w
sleep 1  # the uninstaller runs a copy of itself from %TEMP%, which wineserver -w also waits for
"$wineserver" -w
after=$(snapshot)
if [ "$before" != "$after" ]; then
  diff <(echo "$before") <(echo "$after") >&2 || true
  fail "files left behind (or removed) by install + uninstall"
fi
[ -z "$(registry_mentions)" ] || { registry_mentions >&2; fail "registry keys left behind"; }
echo "installer: installed, ran, uninstalled, nothing left"
