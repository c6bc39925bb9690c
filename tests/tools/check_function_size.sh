#!/usr/bin/env bash
# No function in core/ longer than MAX_LINES lines (clang-tidy's readability-function-size,
# which counts a function's lines from its opening brace to its closing one, lambdas inside
# included). A long function is where a state machine hides its exits; split it instead.
# Usage: check_function_size.sh SOURCE_DIR BUILD_DIR (the build's compile_commands.json).
set -euo pipefail
root=$(cd "${1:?source dir}" && pwd) build=$(cd "${2:?build dir with compile_commands.json}" && pwd)
MAX_LINES=80
command -v clang-tidy >/dev/null ||
  { echo "check_function_size: clang-tidy is not installed (./dev.sh setup installs it)" >&2; exit 1; }
[ -f "$build/compile_commands.json" ] ||
  { echo "check_function_size: no $build/compile_commands.json" >&2; exit 1; }
cd "$root"
# The sources this build compiles (another OS's files are checked by that OS's build).
mapfile -t files < <(git ls-files core | grep -E '\.cpp$' |
  while read -r f; do grep -q "\"file\": \"$root/$f\"" "$build/compile_commands.json" && echo "$f"; done)
[ "${#files[@]}" -gt 0 ] || { echo "check_function_size: no sources under $root/core" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%s\n' "${files[@]}" | xargs -P 2 -n 6 clang-tidy -p "$build" --quiet \
  --header-filter="^$root/core/" --checks='-*,readability-function-size' \
  --config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: $MAX_LINES}]}" \
  >"$out" 2>/dev/null || true
# A clang-tidy that could not parse a file says so as an error: that is a failure too.
findings=$(grep -E ': (warning|error):' "$out" | sort -u || true)
if [ -n "$findings" ]; then
  echo "$findings" | sed 's/^/check_function_size: /' >&2
  grep -E 'note: [0-9]+ lines' "$out" | sort -u | sed 's/^/check_function_size: /' >&2 || true
  exit 1
fi
echo "check_function_size: ${#files[@]} files, no function over $MAX_LINES lines"
