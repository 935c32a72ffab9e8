#!/usr/bin/env bash
# The main job: installs what is missing, builds everything, and runs the
# programs a new user looks at first. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tests/lib/deps.sh
tars_install_missing "${tars_build_packages[@]}"

build=${TARS_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "${TARS_JOBS:-2}"

echo
echo "== tars2cpp: the IDL compiler =="
"$build/tools/tars2cpp/tars2cpp" --version
echo
echo "== examples/codec: a struct from Account.tars, encoded, decoded, printed =="
"$build/examples/codec/codec_demo"
echo
echo "Built into $build/. Generate code for your own IDL with:"
echo "  $build/tools/tars2cpp/tars2cpp --dir=OUT_DIR your.tars"
