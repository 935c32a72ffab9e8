#!/usr/bin/env bash
# Copies the screenshots the browser test wrote (BUILD_DIR/web/screenshots) into
# docs/images/, where docs/console.md shows them.
#
#   tests/web/copy_screenshots.sh [BUILD_DIR]     (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
src="$build/web/screenshots"
if ! ls "$src"/*.png >/dev/null 2>&1; then
  echo "no screenshots in $src: run the test first (ctest -R framework.web.browser)" >&2
  exit 1
fi
mkdir -p "$root/docs/images"
for f in "$src"/*.png; do
  cp "$f" "$root/docs/images/console-$(basename "$f")"
  echo "docs/images/console-$(basename "$f")"
done
