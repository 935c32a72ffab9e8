#!/usr/bin/env bash
# Checks every C++ file of the tree against .clang-format with clang-format-14 (pinned:
# another version formats some constructs differently, and the check must never flip).
#
#   tests/format.sh          list unformatted files, exit 1 if there is any
#   tests/format.sh --fix    format them in place
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
formatter=${TARS_CLANG_FORMAT:-clang-format-14}
if ! command -v "$formatter" >/dev/null; then
  echo "tests/format.sh: $formatter not found (tests/lib/deps.sh installs it)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' '*.hpp' '*.cc')
if [ "${1:-}" = --fix ]; then
  "$formatter" -i --style=file "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  if ! "$formatter" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done
if [ ${#bad[@]} -ne 0 ]; then
  echo "tests/format.sh: ${#bad[@]} file(s) not formatted with $formatter (run tests/format.sh --fix):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "tests/format.sh: ${#files[@]} files formatted"
