#!/usr/bin/env bash
# Fails loudly (never skips) when the reference cannot run: interop tests depend on it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null; then
  echo "interop: 'node' is not installed; run ./dev.sh setup (it installs nodejs and npm)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/hyperdht" ]; then
  echo "interop: the pinned npm reference is missing in tests/interop/node_modules;" \
       "run ./dev.sh setup (npm ci there)" >&2
  exit 1
fi
echo "node $(node --version), reference packages present"
