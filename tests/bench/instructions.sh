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
#   TOP=N        also print each case's N costliest functions (self cost, per call)
#   TARS_BENCH_KEEP_LOGS=DIR  copies the callgrind files and outputs there
#   STAT=1       instead, issue 19's comparison: server and client-async each without and
#                with call statistics (`stat` set, reports every second to the
#                ObservabilitySink test server)
#   TRACE=1      instead, issue 20's comparison: server and client-async each without and
#                with the ops endpoint and tracing sampling TRACE_RATIO (default 0.01) of
#                the calls, spans exported to a collector stand-in (every POST answered 200)
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
  targets=(tars-bench HelloServer)
  if [ "${STAT:-0}" = 1 ]; then targets+=(ObservabilitySink); fi
  if [ "${TRACE:-0}" = 1 ]; then targets+=(otlp_sink); fi
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target "${targets[@]}"
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

# total FILE: the Ir total of a callgrind output file (fails when it has none).
total() {
  local sum
  sum=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$1")
  [[ $sum =~ ^[0-9]+$ ]] || { echo "instructions.sh: no total in $1" >&2; return 1; }
  echo "$sum"
}

# self_costs FILE: "Ir<TAB>function" per function of FILE (self cost).
self_costs() {
  callgrind_annotate --threshold=100 --auto=no "$1" |
    awk '/^-+$/ { rule++; next }
      rule >= 4 && /^ *[0-9,]+ \(/ {
        ir = $0; sub(/^ */, "", ir); sub(/ .*/, "", ir); gsub(",", "", ir)
        name = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", name); sub(/ \[.*$/, "", name)
        if (name != "PROGRAM TOTALS") print ir "\t" name
      }'
}

# top_functions NAME: the TOP costliest functions of case NAME, Ir per call, by the same
# difference as the totals (start-up and shutdown drop out).
top_functions() {
  local name=$1
  [ "$top" -gt 0 ] || return 0
  self_costs "$work/$name.$calls.callgrind" >"$work/$name.a.costs"
  self_costs "$work/$name.$((calls * 2)).callgrind" >"$work/$name.b.costs"
  awk -F '\t' -v calls="$calls" 'NR == FNR { a[$2] = $1; next } { printf "%.0f\t%s\n", ($1 - a[$2]) / calls, $2 }' \
    "$work/$name.a.costs" "$work/$name.b.costs" | sort -t "$(printf '\t')" -k1,1 -rn |
    awk -F '\t' -v n="$top" 'NR <= n { printf "      %8d  %s\n", $1, substr($2, 1, 110) }'
}

# stop PID: TERM, then KILL after 60 s (callgrind writes its file on the way out).
stop() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1200); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Set by TRACE=1 for the traced runs: lines added to HelloServer's server section, and the
# environment tars-bench runs with (env alone: none).
server_keys=""
ops_port=""
client_env=(env)

# A server starting under valgrind may take a while to listen.
bench_listen_tries=2400

# server_run NAME N MERGENETIMP [STAT_OBJ]: HelloServer under callgrind answers N raw
# calls, then is stopped; leaves $work/NAME.N.callgrind. With STAT_OBJ it counts the calls
# it serves and reports them there every second.
server_run() {
  local name=$1 n=$2 merge=$3 stat=${4:-} pid port
  bench_hello_conf "$work/$name.$n" "$merge" 1 2 1024
  if [ -n "$server_keys" ]; then
    sed -i "s#^      logLevel = ERROR#      logLevel = ERROR\n$server_keys#" "$work/$name.$n/HelloServer.conf"
  fi
  if [ -n "$stat" ]; then
    sed -i "s#^  <application>#  <application>\n    <client>\n      stat = $stat\n      report-interval = 1000\n    </client>#" \
      "$work/$name.$n/HelloServer.conf"
  fi
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.$n.callgrind" \
    "$hello" --config="$work/$name.$n/HelloServer.conf" >"$work/$name.$n.out" 2>&1 &
  pid=$!; pids+=("$pid")
  port=$(bench_listen_port "$pid" "" "$ops_port") || { stop "$pid"; return 1; }
  if ! "$bench" -p "$port" -m raw -c 16 -k 32 -n "$n" "${load[@]}" >"$work/$name.$n.txt" 2>&1; then
    echo "instructions.sh: $name with $n calls failed:" >&2
    tail -5 "$work/$name.$n.txt" >&2
    stop "$pid"
    return 1
  fi
  stop "$pid"
}

# client_run NAME N ARGS...: tars-bench under callgrind makes N calls to the native
# HelloServer; leaves $work/NAME.N.callgrind.
client_run() {
  local name=$1 n=$2; shift 2
  "${client_env[@]}" valgrind --tool=callgrind --callgrind-out-file="$work/$name.$n.callgrind" \
    "$bench" -p "$native_port" "$@" -n "$n" "${load[@]}" >"$work/$name.$n.txt" 2>&1 || true
  if ! grep -q "^RESULT .* failed=0 " "$work/$name.$n.txt"; then
    echo "instructions.sh: $name with $n calls failed:" >&2
    tail -5 "$work/$name.$n.txt" >&2
    return 1
  fi
}

# measure NAME DESCRIPTION RUN_FUNCTION ARGS...: runs CALLS and 2 x CALLS calls, prints
# the difference of the totals over CALLS (start-up and shutdown drop out).
measure() {
  local name=$1 description=$2 runner=$3; shift 3
  local a b
  "$runner" "$name" "$calls" "$@"
  "$runner" "$name" $((calls * 2)) "$@"
  a=$(total "$work/$name.$calls.callgrind")
  b=$(total "$work/$name.$((calls * 2)).callgrind")
  printf '  %-13s %8s Ir per call  (%s)\n' "$name" \
    "$(awk -v a="$a" -v b="$b" -v n="$calls" 'BEGIN {printf "%.0f", (b - a) / n}')" "$description"
  top_functions "$name"
}

echo "instructions per call (callgrind, user space only), $payload B calls, build $(basename "$build")"
if [ "${STAT:-0}" = 1 ]; then
  sink=$build/tests/observability/ObservabilitySink
  mkdir -p "$work/sink/log"
  cat >"$work/sink/sink.conf" <<CONF
<tars><application><server>
app = Test
server = Sink
localip = 127.0.0.1
basepath = $work/sink
datapath = $work/sink
logpath = $work/sink/log
logLevel = ERROR
<Test.Sink.StatObjAdapter>
endpoint = tcp -h 127.0.0.1 -p 0 -t 600000
servant = Test.Sink.StatObj
</Test.Sink.StatObjAdapter>
</server></application></tars>
CONF
  "$sink" --config="$work/sink/sink.conf" >"$work/sink.out" 2>&1 &
  sink_pid=$!; pids+=("$sink_pid")
  bench_listen_tries=400
  stat_obj="Test.Sink.StatObj@tcp -h 127.0.0.1 -p $(bench_listen_port "$sink_pid") -t 600000"
  bench_listen_tries=2400
  measure server "HelloServer, raw -c 16 -k 32" server_run 0
  measure server-stat "HelloServer with stat, raw -c 16 -k 32" server_run 0 "$stat_obj"
  bench_hello_conf "$work/native" 0 1 2 1024
  "$hello" --config="$work/native/HelloServer.conf" >"$work/native.out" 2>&1 &
  native_pid=$!; pids+=("$native_pid")
  native_port=$(bench_listen_port "$native_pid")
  measure client-async "tars-bench -m async -c 16 -k 32" client_run -m async -c 16 -k 32
  measure client-stat "tars-bench -m async -c 16 -k 32 --stat" client_run -m async -c 16 -k 32 --stat "$stat_obj"
  exit 0
fi
if [ "${TRACE:-0}" = 1 ]; then
  ratio=${TRACE_RATIO:-0.01}
  bench_start_collector
  measure server "HelloServer, raw -c 16 -k 32" server_run 0
  ops_port=$(bench_free_port)
  server_keys="      ops = tcp -h 127.0.0.1 -p $ops_port -t 600000\n      tracing-endpoint = $collector_url\n      tracing-sample-ratio = $ratio"
  measure server-trace "HelloServer with ops and tracing $ratio, raw -c 16 -k 32" server_run 0
  server_keys=""
  ops_port=""
  bench_hello_conf "$work/native" 0 1 2 1024
  "$hello" --config="$work/native/HelloServer.conf" >"$work/native.out" 2>&1 &
  native_pid=$!; pids+=("$native_pid")
  native_port=$(bench_listen_port "$native_pid")
  measure client-async "tars-bench -m async -c 16 -k 32" client_run -m async -c 16 -k 32
  client_env=(env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="$collector_url" OTEL_TRACES_SAMPLER_ARG="$ratio")
  measure client-trace "tars-bench -m async -c 16 -k 32, tracing $ratio" client_run -m async -c 16 -k 32
  exit 0
fi
measure server "HelloServer, raw -c 16 -k 32" server_run 0
measure server-merge "HelloServer with mergenetimp=1, raw -c 16 -k 32" server_run 1

bench_hello_conf "$work/native" 0 1 2 1024
"$hello" --config="$work/native/HelloServer.conf" >"$work/native.out" 2>&1 &
native_pid=$!; pids+=("$native_pid")
native_port=$(bench_listen_port "$native_pid")
measure client-async "tars-bench -m async -c 16 -k 32" client_run -m async -c 16 -k 32
measure client-sync "tars-bench -m sync -t 1 -c 1" client_run -m sync -t 1 -c 1
