#!/usr/bin/env bash
# Instructions per call, counted by callgrind: the user-space work our server and client do
# for one call. Unlike QPS and latency these counts do not move with the load of a shared
# machine, so a change to the request path can be measured exactly. They leave out the
# kernel (syscalls, wake-ups, the TCP stack): compare.sh measures that side, in time.
#
#   tests/bench/instructions.sh [BUILD_DIR]
#
# Cases (payload PAYLOAD bytes, HelloServer with 1 network thread and 2 handles):
#   server        HelloServer under callgrind, driven by tars-bench -m raw -c 16 -k 32
#   server-merge  the same with mergenetimp=1 (servants run on the network thread)
#   client-async  tars-bench -m async -c 16 -k 32 under callgrind (our client runtime and
#                 tars-bench's own bookkeeping), HelloServer running natively
#   client-sync   tars-bench -m sync -t 1 -c 1 under callgrind
# Each case runs twice, with CALLS and with 2 x CALLS calls (a new server process each
# time); the difference of the two totals over CALLS leaves start-up and shutdown out.
#
# BUILD_DIR (or TARS_BENCH_BUILD_DIR; default build-bench) is built (RelWithDebInfo, the
# targets needed only) unless TARS_BENCH_NO_BUILD=1. Settings (environment):
#   CALLS=20000  PAYLOAD=100
#   TOP=N        also print each case's N costliest functions (self cost)
#   TARS_BENCH_KEEP_LOGS=DIR  copies the callgrind files and outputs there
# Every process it starts is stopped by pid when it exits (trap EXIT).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TARS_BENCH_BUILD_DIR:-$root/build-bench}}
calls=${CALLS:-20000}
payload=${PAYLOAD:-100}
top=${TOP:-0}

if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then
  # shellcheck source=../lib/deps.sh
  source "$root/tests/lib/deps.sh"
  tars_install_missing "${tars_build_packages[@]}" valgrind
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target tars-bench HelloServer
fi
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  echo "instructions.sh: valgrind (callgrind) is missing" >&2
  exit 1
fi
bench=$build/tools/tars-bench/tars-bench
hello=$build/examples/hello/HelloServer
for exe in "$bench" "$hello"; do
  [ -x "$exe" ] || { echo "instructions.sh: $exe is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tars-instructions.XXXXXX")
bench_name=instructions.sh
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

# Calls are slow under callgrind (tens of times): generous timeouts, no wall-clock figure.
load=(-s "$payload" --timeout 600000)

# total FILE: the Ir total of a callgrind output file.
total() { sed -n 's/^totals: \([0-9]*\).*/\1/p' "$1"; }

# top_functions FILE: the TOP costliest functions of FILE (self cost), Ir per call of its
# 2 x CALLS calls (start-up included, a small part at that count).
top_functions() {
  [ "$top" -gt 0 ] || return 0
  callgrind_annotate --threshold=100 "$1" 2>/dev/null |
    awk -v n="$top" -v calls=$((calls * 2)) '
      /^-+$/ { rule++; next }
      rule >= 4 && /^ *[0-9,]+ \(/ && shown < n {
        ir = $0; sub(/^ */, "", ir); sub(/ .*/, "", ir); gsub(",", "", ir)
        name = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", name); sub(/ \[.*$/, "", name)
        if (name == "PROGRAM TOTALS") next
        printf "      %8.0f  %s\n", ir / calls, substr(name, 1, 110); shown++
      }'
}

# server_run NAME N MERGENETIMP: HelloServer under callgrind answers N raw calls, then is
# stopped (TERM); prints the Ir total of its callgrind file.
server_run() {
  local name=$1 n=$2 merge=$3 pid port file
  bench_hello_conf "$work/$name.$n" "$merge" 1 2 1024
  file="$work/$name.$n.callgrind"
  valgrind --tool=callgrind --callgrind-out-file="$file" \
    "$hello" --config="$work/$name.$n/HelloServer.conf" >"$work/$name.$n.out" 2>&1 &
  pid=$!; pids+=("$pid")
  port=$(bench_listen_port "$pid")
  "$bench" -p "$port" -m raw -c 16 -k 32 -n "$n" "${load[@]}" >"$work/$name.$n.txt" 2>&1 ||
    { echo "instructions.sh: $name with $n calls failed:" >&2; tail -5 "$work/$name.$n.txt" >&2; return 1; }
  kill -TERM "$pid"
  wait "$pid" || true
  [ -s "$file" ] || { echo "instructions.sh: no callgrind file from $name" >&2; return 1; }
  total "$file"
}

# client_run NAME N ARGS...: tars-bench under callgrind makes N calls to the native
# HelloServer; prints the Ir total of its callgrind file.
client_run() {
  local name=$1 n=$2; shift 2
  local file="$work/$name.$n.callgrind"
  valgrind --tool=callgrind --callgrind-out-file="$file" \
    "$bench" -p "$native_port" "$@" -n "$n" "${load[@]}" >"$work/$name.$n.txt" 2>&1 || true
  grep -q "^RESULT .* failed=0 " "$work/$name.$n.txt" ||
    { echo "instructions.sh: $name with $n calls failed:" >&2; tail -5 "$work/$name.$n.txt" >&2; return 1; }
  total "$file"
}

# measure NAME DESCRIPTION RUN_FUNCTION ARGS...: runs CALLS and 2 x CALLS calls, prints
# the difference of the totals over CALLS (start-up and shutdown cancel out).
measure() {
  local name=$1 description=$2 runner=$3; shift 3
  local a b
  a=$("$runner" "$name" "$calls" "$@")
  b=$("$runner" "$name" $((calls * 2)) "$@")
  printf '  %-13s %8s Ir per call  (%s)\n' "$name" \
    "$(awk -v a="$a" -v b="$b" -v n="$calls" 'BEGIN {printf "%.0f", (b - a) / n}')" "$description"
  top_functions "$work/$name.$((calls * 2)).callgrind"
}

echo "instructions per call (callgrind, user space only), $payload B calls, build $(basename "$build")"
measure server "HelloServer, raw -c 16 -k 32" server_run 0
measure server-merge "HelloServer with mergenetimp=1, raw -c 16 -k 32" server_run 1

bench_hello_conf "$work/native" 0 1 2 1024
"$hello" --config="$work/native/HelloServer.conf" >"$work/native.out" 2>&1 &
native_pid=$!; pids+=("$native_pid")
native_port=$(bench_listen_port "$native_pid")
measure client-async "tars-bench -m async -c 16 -k 32" client_run -m async -c 16 -k 32
measure client-sync "tars-bench -m sync -t 1 -c 1" client_run -m sync -t 1 -c 1
