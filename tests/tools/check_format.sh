#!/usr/bin/env bash
# Every C++ file in core/, app/ and ui/ is as .clang-format lays it out (clang-format 14, the
# Debian package ./dev.sh setup installs). Fix with: clang-format -i <file>...
set -euo pipefail
root=${1:-.}
command -v clang-format >/dev/null ||
  { echo "check_format: clang-format is not installed (./dev.sh setup installs it)" >&2; exit 1; }
cd "$root"
mapfile -t files < <(git ls-files core app ui | grep -E '\.(cpp|hpp|h)$')
[ "${#files[@]}" -gt 0 ] || { echo "check_format: no C++ files found under $root" >&2; exit 1; }
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/check_format.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/check_format.$$ | cut -d: -f1 | sort -u |
    sed 's/^/check_format: not formatted: /' >&2
  rm -f /tmp/check_format.$$
  exit 1
fi
rm -f /tmp/check_format.$$
echo "check_format: ${#files[@]} files formatted"
