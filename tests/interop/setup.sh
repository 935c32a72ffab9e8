#!/usr/bin/env bash
# Installs what the interop tests need into the build tree:
#
#   tests/interop/setup.sh BUILD_DIR
#
# - node and npm: Debian's nodejs / npm packages (apt-get) when the command is missing;
# - the npm packages at the versions pinned by tests/interop/node/package-lock.json
#   (@tars/rpc, @tars/stream and what they need), with `npm ci`, into
#   BUILD_DIR/interop/node_modules.
# Safe to run again: when node_modules already matches the lock file it only checks the
# two commands and returns. Exits non-zero when an install fails; the interop tests then
# skip (they look for BUILD_DIR/interop/node_modules).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
dest="$1/interop"

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "interop setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci writes node_modules/.package-lock.json; a copy of the lock it installed from
# says whether the tree is current.
stamp="$dest/node_modules/.interop-installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$here/node/package-lock.json" "$stamp"; then
  exit 0
fi

mkdir -p "$dest"
cp "$here/node/package.json" "$here/node/package-lock.json" "$dest/"
echo "interop setup: npm ci in $dest"
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
cp "$here/node/package-lock.json" "$stamp"
