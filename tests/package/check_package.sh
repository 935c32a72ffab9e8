#!/usr/bin/env bash
# Checks a package tars_package() built: a gzip'd tar holding exactly the folder SERVER/,
# the executable SERVER/SERVER and SERVER/FILE for each FILE, nothing else (no absolute
# paths, no ..), and the executable runs as a program (mode x).
#
#   tests/package/check_package.sh SERVER.tgz SERVER [FILE...]
set -euo pipefail
tgz=${1:?usage: check_package.sh SERVER.tgz SERVER [FILE...]}
server=${2:?usage: check_package.sh SERVER.tgz SERVER [FILE...]}
shift 2

fail() {
  echo "check_package.sh: $tgz: $*" >&2
  exit 1
}

[ -f "$tgz" ] || fail "no such file"
gzip -t "$tgz" 2>/dev/null || fail "not gzip'd"
listing=$(tar -tzf "$tgz") || fail "tar cannot list it"
expected=$( (printf '%s/\n%s/%s\n' "$server" "$server" "$server"; for f in "$@"; do printf '%s/%s\n' "$server" "$f"; done) | sort)
actual=$(printf '%s\n' "$listing" | sort)
if [ "$expected" != "$actual" ]; then
  echo "expected:" >&2; printf '%s\n' "$expected" >&2
  echo "found:" >&2; printf '%s\n' "$actual" >&2
  fail "the entries differ (above)"
fi
mode=$(tar -tvzf "$tgz" "$server/$server" | awk '{print $1}')
[[ $mode == -??x* ]] || fail "$server/$server is not executable (mode $mode)"
for f in "$@"; do
  kind=$(tar -tvzf "$tgz" "$server/$f" | cut -c1)
  [ "$kind" = "-" ] || fail "$server/$f is not a regular file"
done
echo "check_package.sh: $tgz holds $server/$server${*:+ and} $*"
