#!/usr/bin/env bash
# The Linux packages as users get them: CPack builds the .deb and .rpm from a build directory;
# the .deb is linted, installed with apt-get, run, and removed again; the .rpm's file list and
# requirements are checked. A desktop app in the .deb brings its desktop file, metainfo and icon,
# which are validated too.
#   test-deb.sh BUILD_DIR VERSION        (ctest -L packaging; needs root or passwordless sudo)
# A missing tool fails the test with the package to install; nothing is skipped.
set -euo pipefail

build=$(cd "$1" && pwd)
version=$2
out=$build/tests/packaging/out

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== %s\n' "$*"; }
need() {  # command, Debian package
  command -v "$1" >/dev/null || fail "'$1' not found: install the Debian package $2 (./dev.sh setup does)"
}
for tool in cpack:cmake lintian:lintian dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev file:file \
            rpm:rpm rpmbuild:rpm apt-get:apt systemd-analyze:systemd; do
  need "${tool%%:*}" "${tool##*:}"
done

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  sudo -n true 2>/dev/null || fail "installing the .deb needs root: run as root or with passwordless sudo"
  SUDO=(sudo -n)
fi
is_installed() {  # also half-installed or unpacked; removed (config-files) is not
  local status
  status=$(dpkg-query -W -f='${Status}' peerport 2>/dev/null || true)
  [ -n "$status" ] && [[ "$status" != *not-installed && "$status" != *config-files ]]
}
! is_installed || fail "a peerport package is already installed; remove it first (apt-get remove peerport)"

rm -rf "$out"
mkdir -p "$out"
make_package() {  # generator; the package file is left in $out
  step "cpack -G $1"
  cpack --config "$build/CPackConfig.cmake" -G "$1" -B "$out" >"$out/cpack-$1.log" 2>&1 ||
    { cat "$out/cpack-$1.log"; fail "cpack -G $1 failed (log above)"; }
}
one_file() {  # glob: the one file it matches
  local matches=($1)
  [ ${#matches[@]} -eq 1 ] && [ -f "${matches[0]}" ] || fail "expected one file $1, found: ${matches[*]}"
  printf '%s\n' "${matches[0]}"
}
contains() {  # list-file, path...: each path is a line of the list
  local list=$1; shift
  for p in "$@"; do grep -qxF -- "$p" "$list" || fail "$p missing from $(basename "$list")"; done
}
has_relation() {  # "a (>= 1), b", package: is the package named in the control field?
  tr ',|' '\n\n' <<<"$1" | sed 's/^ *//; s/[ (].*//' | grep -qxF -- "$2"
}

# What every package holds; the desktop app adds its own files.
files=(
  /usr/bin/peerport-cli
  /usr/share/man/man1/peerport-cli.1.gz
  /usr/share/doc/peerport/copyright
  /usr/share/doc/peerport/changelog.gz
  /usr/lib/systemd/system/peerport-node.service
  /usr/lib/systemd/user/peerport-share@.service
)

# --- .deb ---------------------------------------------------------------------------------------
make_package DEB
deb=$(one_file "$out/peerport_${version}_*.deb")
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\.||; s|/$||' >"$out/deb.list"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the .deb's version is not $version"
contains "$out/deb.list" "${files[@]}"
mkdir "$out/root"
dpkg-deb -x "$deb" "$out/root"
file "$out/root/usr/bin/peerport-cli" | grep -q ', stripped' || fail "peerport-cli in the .deb is not stripped"

# The shared-library dependencies came from dpkg-shlibdeps: every library a packaged program
# loads has its package in Depends. On Linux libsodium and libuv are linked from their static
# archives (PEERPORT_STATIC_DEPS, docs/architecture.md "Footprint"), so they are needed only by a
# build made with it off.
depends=$(dpkg-deb -f "$deb" Depends)
needed=$(for b in "$out"/root/usr/bin/*; do objdump -p "$b" | awk '$1 == "NEEDED" {print $2}'; done |
  sort -u)
[ -n "$needed" ] || fail "no shared library named by the packaged programs (objdump -p)"
has_relation "$depends" libc6 || fail "Depends lacks libc6: $depends"
for pair in libsodium.so.23:libsodium23 libuv.so.1:libuv1; do
  if grep -qxF "${pair%%:*}" <<<"$needed"; then
    has_relation "$depends" "${pair#*:}" || fail "Depends lacks ${pair#*:}: $depends"
  fi
done

gui=0
if grep -qxF /usr/bin/peerport "$out/deb.list"; then
  gui=1
  step "the desktop app is packaged: checking its files"
  need desktop-file-validate desktop-file-utils
  need appstreamcli appstream
  contains "$out/deb.list" /usr/share/man/man1/peerport.1.gz
  desktop=$(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$out/deb.list") ||
    fail "no desktop file in /usr/share/applications"
  metainfo=$(grep -E '^/usr/share/metainfo/[^/]+\.metainfo\.xml$' "$out/deb.list") ||
    fail "no AppStream metainfo in /usr/share/metainfo"
  grep -qE '^/usr/share/icons/hicolor/[^/]+/apps/[^/]+\.(svg|png)$' "$out/deb.list" ||
    fail "no icon under /usr/share/icons/hicolor"
  for d in libqt6svg6 libsecret-1-0; do
    has_relation "$depends" $d || fail "Depends lacks $d: $depends"
  done
  has_relation "$(dpkg-deb -f "$deb" Recommends)" gnome-keyring || fail "Recommends lacks gnome-keyring"
  desktop-file-validate "$out/root$desktop" || fail "desktop-file-validate: $desktop"
  appstreamcli validate --no-net "$out/root$metainfo" || fail "appstreamcli validate: $metainfo"
fi

step "lintian (errors fail, warnings are shown)"
lintian --fail-on error --tag-display-limit 0 "$deb" || fail "lintian found errors (above)"

step "apt-get install ./$(basename "$deb")"
cleanup() {  # on any failure below, leave no package behind
  if is_installed; then
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq peerport >/dev/null || true
  fi
}
trap cleanup EXIT
(cd "$out" && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "./$(basename "$deb")") || fail "apt-get install failed"
dpkg -L peerport >"$out/installed.list"
contains "$out/installed.list" "${files[@]}"

step "the installed programs run"
got=$(/usr/bin/peerport-cli --version)
[ "$got" = "peerport-cli $version" ] || fail "peerport-cli --version printed '$got'"
timeout 60 /usr/bin/peerport-cli demo || fail "peerport-cli demo failed"
if [ $gui = 1 ]; then
  got=$(QT_QPA_PLATFORM=offscreen timeout 30 /usr/bin/peerport --version) ||
    fail "peerport --version failed"
  [[ "$got" == *"$version"* ]] || fail "peerport --version printed '$got'"
fi
systemd-analyze verify --man=no /usr/lib/systemd/system/peerport-node.service ||
  fail "systemd-analyze verify peerport-node.service"
runtime=$(mktemp -d)
XDG_RUNTIME_DIR=$runtime systemd-analyze --user verify --man=no \
  /usr/lib/systemd/user/peerport-share@.service || { rm -rf "$runtime"; fail "systemd-analyze verify peerport-share@.service"; }
rm -rf "$runtime"

step "apt-get remove peerport"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq peerport >/dev/null ||
  fail "apt-get remove failed"
! is_installed || fail "peerport is still installed after apt-get remove"
while read -r f; do
  if [ -d "$f" ]; then continue; fi  # directories may be shared with other packages
  if [ -e "$f" ] || [ -L "$f" ]; then fail "$f is left after apt-get remove"; fi
done <"$out/installed.list"

# --- .rpm ---------------------------------------------------------------------------------------
make_package RPM
rpm_file=$(one_file "$out/peerport-${version}-*.rpm")
rpm -qlp "$rpm_file" >"$out/rpm.list" 2>/dev/null
contains "$out/rpm.list" "${files[@]}"
[ $gui = 0 ] || contains "$out/rpm.list" /usr/bin/peerport /usr/share/man/man1/peerport.1.gz
for dir in /usr/bin /usr/share/man/man1 /usr/lib/systemd/system /usr/lib/systemd/user; do
  ! grep -qxF "$dir" "$out/rpm.list" || fail "the .rpm claims the system directory $dir"
done
[ "$(rpm -qp --queryformat '%{VERSION}' "$rpm_file" 2>/dev/null)" = "$version" ] ||
  fail "the .rpm's version is not $version"
rpm -qp --requires "$rpm_file" 2>/dev/null | grep -q '^libc\.so\.6' ||
  fail "the .rpm does not require libc (automatic requirements missing)"
if grep -qxF libsodium.so.23 <<<"$needed"; then
  rpm -qp --requires "$rpm_file" 2>/dev/null | grep -q '^libsodium\.so' ||
    fail "the .rpm does not require libsodium, which its programs load"
fi

step "packaging: all checks passed ($(basename "$deb"), $(basename "$rpm_file"))"
