#!/usr/bin/env bash
# The concurrency primitives under ThreadSanitizer, in a build of their own: tars_util and
# its unit tests only (-DTARS_UTIL_ONLY=ON: nothing above util is configured or built),
# with clang-14 and -DTARS_SANITIZE=thread, run under ctest. A few minutes on 2 cores.
#
#   tests/tsan_util.sh [BUILD_DIR]     default: build-tsan-util beside the sources
#                                      (or TARS_TSAN_UTIL_BUILD_DIR)
# TARS_JOBS (default 2) sets the build and ctest parallelism. Exits non-zero when a test
# fails or TSan reports a race (a report makes the test process exit with 66).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${TARS_TSAN_UTIL_BUILD_DIR:-$root/build-tsan-util}}
jobs=${TARS_JOBS:-2}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DTARS_UTIL_ONLY=ON -DTARS_SANITIZE=thread -DTARS_WERROR=ON -DTARS_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target util_unit_tests
TSAN_OPTIONS="suppressions=$root/tests/tsan.supp second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest --test-dir "$build" -j "$jobs" --output-on-failure --timeout 300
