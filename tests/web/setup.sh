#!/usr/bin/env bash
# Installs what the web console's browser test needs:
#
#   tests/web/setup.sh BUILD_DIR
#
# - Debian's chromium, and node and npm (apt-get) when missing;
# - playwright-core at the version pinned by tests/web/node/package-lock.json, with
#   `npm ci`, into BUILD_DIR/web/node_modules. The test uses /usr/bin/chromium: no browser
#   is downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
# Safe to run again. Exits non-zero when an install fails; the test then skips.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
dest="$1/web"

source "$here/../lib/deps.sh"
tars_install_missing "${tars_test_packages[@]}"
# node and npm: Debian's packages only when the commands are missing (a NodeSource nodejs
# brings its own npm, which Debian's npm package would conflict with).
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  tars_install_missing "${missing[@]}"
fi

stamp="$dest/node_modules/.web-installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$here/node/package-lock.json" "$stamp"; then
  exit 0
fi
mkdir -p "$dest"
cp "$here/node/package.json" "$here/node/package-lock.json" "$dest/"
echo "web setup: npm ci in $dest"
(cd "$dest" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
cp "$here/node/package-lock.json" "$stamp"
