# Builds the Windows installer: dependencies from vcpkg (vcpkg.json here), PeerPort with the
# desktop app, Qt deployed by windeployqt at install time, an NSIS installer made by CPack.
# Needs Visual Studio 2022 with the C++ workload (run from an "x64 Native Tools" prompt), CMake,
# Ninja, NSIS (makensis) and a vcpkg clone in VCPKG_ROOT.
#   packaging\windows\build.ps1 [-BuildDir build-windows] [-NoGui]
param(
  [string]$BuildDir = "build-windows",
  [switch]$NoGui
)
$ErrorActionPreference = "Stop"

$root = (Resolve-Path "$PSScriptRoot\..\..").Path
$build = Join-Path $root $BuildDir
if (-not $env:VCPKG_ROOT) {
  throw "VCPKG_ROOT is not set: clone https://github.com/microsoft/vcpkg and run bootstrap-vcpkg.bat"
}
$gui = if ($NoGui) { "OFF" } else { "ON" }
$features = if ($NoGui) { "" } else { "gui" }
$triplet = "x64-windows"

# core/ finds libsodium and libuv with pkg-config; vcpkg's own pkgconf does it here.
# X_VCPKG_APPLOCAL_DEPS_INSTALL: installing a target also installs the vcpkg DLLs it needs
# (libsodium, libuv, qrencode, qtkeychain); windeployqt adds Qt's.
cmake -S $root -B $build -G Ninja `
  -DCMAKE_BUILD_TYPE=Release `
  "-DCMAKE_TOOLCHAIN_FILE=$env:VCPKG_ROOT\scripts\buildsystems\vcpkg.cmake" `
  "-DVCPKG_MANIFEST_DIR=$PSScriptRoot" `
  "-DVCPKG_TARGET_TRIPLET=$triplet" `
  "-DVCPKG_MANIFEST_FEATURES=$features" `
  "-DPKG_CONFIG_EXECUTABLE=$build\vcpkg_installed\$triplet\tools\pkgconf\pkgconf.exe" `
  -DX_VCPKG_APPLOCAL_DEPS_INSTALL=ON `
  "-DPEERPORT_GUI=$gui" `
  -DPEERPORT_TESTS=OFF
if ($LASTEXITCODE) { throw "cmake configure failed" }
cmake --build $build
if ($LASTEXITCODE) { throw "build failed" }

# CMake's cpack, named by path: on GitHub's runners a Chocolatey "cpack" comes first on PATH.
$cpack = Join-Path (Split-Path (Get-Command cmake).Source) "cpack.exe"
& $cpack --config "$build\CPackConfig.cmake" -G NSIS -B $build
if ($LASTEXITCODE) { throw "cpack failed" }
Get-ChildItem "$build\PeerPort-*.exe" | ForEach-Object { Write-Host "installer: $($_.FullName)" }
