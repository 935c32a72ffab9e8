#!/usr/bin/env bash
# Builds everything and runs every test: unit and integration tests under ctest,
# then the fuzz targets under ASan+UBSan. Exits non-zero on any failure.
#
#   tests/run.sh                 everything
#   TARS_FUZZ_SECONDS=10 tests/run.sh    shorter fuzzing (default 60 s per target)
#   TARS_SKIP_FUZZ=1 tests/run.sh        ctest only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tests/lib/deps.sh
tars_install_missing "${tars_build_packages[@]}"

jobs=${TARS_JOBS:-2}

status=0
# One code style: every C++ file as clang-format-14 formats it (.clang-format).
bash tests/format.sh || status=1
build=${TARS_BUILD_DIR:-build}

# Optimized as shipped (-O2) but without debug information: compiling and linking take about
# a sixth less time, and a failing test names itself without it. TARS_TEST_CXX_FLAGS
# replaces the flags (e.g. "-O2 -g -DNDEBUG" to debug a failure).
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${TARS_TEST_CXX_FLAGS:--O2 -DNDEBUG}" \
  -DTARS_WERROR=ON -DTARS_BENCH=ON -DTARS_BENCH_PROTOBUF=ON >/dev/null
cmake --build "$build" -j "$jobs"

# A private MariaDB (loopback, ephemeral port, data in the build tree) for the MySQL backend
# tests of the framework's store (run by hand without it, they skip and say so).
source tests/lib/mariadb.sh
if tars_mariadb_start "$build/mariadb"; then
  trap tars_mariadb_stop EXIT
else
  echo "tests/run.sh: MariaDB did not start: the MySQL store tests cannot run" >&2
  status=1
fi
# The interop tests' node side: pinned @tars/rpc and @tars/stream from npm, into the build tree.
bash tests/interop/setup.sh "$build" || { echo "tests/run.sh: interop setup failed" >&2; status=1; }
# The web console's browser test: Debian's chromium and a pinned playwright-core.
bash tests/web/setup.sh "$build" || { echo "tests/run.sh: web test setup failed" >&2; status=1; }
ctest --test-dir "$build" -j "$jobs" --output-on-failure --timeout 600 || status=1
tars_mariadb_stop
trap - EXIT

# The concurrency primitives of util/ under ThreadSanitizer, in a small build of their own.
bash tests/tsan_util.sh "${build}-tsan-util" || { echo "tests/run.sh: the TSan run of util failed" >&2; status=1; }

if [ "${TARS_SKIP_FUZZ:-0}" != 1 ]; then
  fuzz_build=${build}-fuzz
  cmake -S . -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DTARS_FUZZ=ON -DTARS_BUILD_TESTS=OFF -DTARS_BENCH=OFF >/dev/null
  cmake --build "$fuzz_build" -j "$jobs" --target fuzz_targets
  bash tests/fuzz/run_fuzzers.sh "$fuzz_build" "${TARS_FUZZ_SECONDS:-60}" || status=1
fi

if [ $status -ne 0 ]; then
  echo "tests/run.sh: FAILED"
else
  echo "tests/run.sh: all passed"
fi
exit $status
