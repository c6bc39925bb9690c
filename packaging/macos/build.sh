#!/usr/bin/env bash
# Builds the macOS disk image: dependencies from Homebrew (Brewfile here), PeerPort.app with its
# icon, Qt deployed into the bundle by macdeployqt at install time, a DragNDrop .dmg by CPack.
#   packaging/macos/build.sh [BUILD_DIR]        (PEERPORT_GUI=OFF: the CLI only)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-macos}
gui=${PEERPORT_GUI:-ON}
mkdir -p "$build"

brew bundle --file "$root/packaging/macos/Brewfile"

# libuv 1.52.0 and 1.52.1 wedge UDX streams (UDP POLLERR regression): use 1.51.0 instead.
uv=$(pkg-config --modversion libuv)
if [ "$uv" = 1.52.0 ] || [ "$uv" = 1.52.1 ]; then
  echo "build.sh: Homebrew's libuv is $uv; building libuv 1.51.0 into $build/deps"
  curl -fsSL https://dist.libuv.org/dist/v1.51.0/libuv-v1.51.0.tar.gz | tar -xz -C "$build"
  cmake -S "$build/libuv-v1.51.0" -B "$build/libuv-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF -DLIBUV_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$build/deps"
  cmake --build "$build/libuv-build"
  cmake --install "$build/libuv-build"
  export PKG_CONFIG_PATH="$build/deps/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi

# The bundle's icon: the SVG drawn at every size an .icns holds.
icns=
svg=$root/resources/icons/io.github.peerport.PeerPort.svg
if [ "$gui" = ON ] && [ -f "$svg" ]; then
  iconset=$build/PeerPort.iconset
  mkdir -p "$iconset"
  for size in 16 32 128 256 512; do
    rsvg-convert -w $size -h $size "$svg" -o "$iconset/icon_${size}x${size}.png"
    rsvg-convert -w $((size * 2)) -h $((size * 2)) "$svg" -o "$iconset/icon_${size}x${size}@2x.png"
  done
  iconutil -c icns "$iconset" -o "$build/PeerPort.icns"
  icns=$build/PeerPort.icns
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$(brew --prefix qt)" \
  -DPEERPORT_GUI="$gui" -DPEERPORT_TESTS=OFF -DPEERPORT_MACOS_ICNS="$icns"
cmake --build "$build"
(cd "$build" && cpack -G DragNDrop)
ls "$build"/PeerPort-*.dmg
