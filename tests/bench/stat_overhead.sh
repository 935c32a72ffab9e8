#!/usr/bin/env bash
# Issue 19: what call statistics cost. Pipelined QPS (tars-bench -m async -c 16 -k 32
# against HelloServer) with reporting off and on, measured in one run, interleaved round
# by round (the order alternates) so that the noise of a shared machine hits both alike.
#   off: HelloServer A without `stat`, tars-bench without --stat;
#   on:  HelloServer B with `stat` (report-interval 1000: it counts the calls it serves
#        and reports them every second), tars-bench --stat (counts every call it makes,
#        reports every second), both to a stat sink (tests/observability's
#        ObservabilitySink serving StatObj only).
# Prints each run, the medians, and the median of the per-round ratios on/off.
#
# MODE=ops measures issue 20's case instead: "on" is HelloServer B with the ops endpoint
# (`ops`: every served call counted for /metrics, scraped once a second while the load
# runs) and tracing sampling 1 % (`tracing-endpoint`, `tracing-sample-ratio = 0.01`, to a
# collector stand-in that answers every POST with 200), and tars-bench with the same
# tracing settings through OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_TRACES_SAMPLER_ARG;
# "off" is HelloServer A and tars-bench with none of it.
#
#   tests/bench/stat_overhead.sh [BUILD_DIR]
#
# BUILD_DIR (or TARS_BENCH_BUILD_DIR; default build): built (tars-bench, HelloServer,
# ObservabilitySink, otlp_sink only) unless TARS_BENCH_NO_BUILD=1. Settings (environment):
#   ROUNDS=5  SECONDS_PER_RUN=5  WARMUP=1  PAYLOAD=100  CONNECTIONS=16  OUTSTANDING=32
#   PIN=1     the servers run on one CPU and tars-bench on another, the first two this
#             script may use (taskset; the default when there are two; PIN=0 lets the
#             scheduler place them). Each process then has a core of its own. Unpinned,
#             where the two processes' threads land on two cores changes a run's QPS by
#             up to a quarter from one run to the next, more than the costs measured here
#             (docs/PERFORMANCE.md). The sinks and the scraper are not pinned.
#   TARS_BENCH_KEEP_LOGS=DIR  copies every run's output there
# Every process it starts is stopped by pid when it exits (trap EXIT).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TARS_BENCH_BUILD_DIR:-$root/build}}
rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP:-1}
payload=${PAYLOAD:-100}
connections=${CONNECTIONS:-16}
outstanding=${OUTSTANDING:-32}

if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target tars-bench HelloServer ObservabilitySink otlp_sink
fi
bench=$build/tools/tars-bench/tars-bench
hello=$build/examples/hello/HelloServer
sink=$build/tests/observability/ObservabilitySink
for exe in "$bench" "$hello" "$sink"; do
  [ -x "$exe" ] || { echo "stat_overhead.sh: $exe is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tars-stat-overhead.XXXXXX")
bench_name=stat_overhead.sh
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

server_pin=(); client_pin=()
# The first two CPUs this script may run on (its affinity, not always 0 and 1).
read -r -a cpus <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0))[:2])')"
if [ "${PIN:-$([ "${#cpus[@]}" -ge 2 ] && echo 1 || echo 0)}" = 1 ]; then
  server_pin=(taskset -c "${cpus[0]}")
  client_pin=(taskset -c "${cpus[1]}")
fi

# The stat sink: StatObj on an ephemeral port.
mkdir -p "$work/sink/log"
cat >"$work/sink/sink.conf" <<CONF
<tars>
  <application>
    <server>
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
        threads = 1
      </Test.Sink.StatObjAdapter>
    </server>
  </application>
</tars>
CONF
"$sink" --config="$work/sink/sink.conf" >"$work/sink.out" 2>&1 &
sink_pid=$!; pids+=("$sink_pid")
sink_port=$(bench_listen_port "$sink_pid")
stat_obj="Test.Sink.StatObj@tcp -h 127.0.0.1 -p $sink_port -t 600000"

# HelloServer A (off) and B (on): the same settings, B with a client section naming the sink.
# start_hello NAME STAT_OBJ: starts it (pid kept in pids) and sets hello_port.
start_hello() {
  local name=$1 client=$2 pid
  bench_hello_conf "$work/$name" 0 1 2 1024
  if [ -n "$client" ]; then
    sed -i "s#^  <application>#  <application>\n    <client>\n      stat = $client\n      report-interval = 1000\n    </client>#" \
      "$work/$name/HelloServer.conf"
  fi
  "${server_pin[@]}" "$hello" --config="$work/$name/HelloServer.conf" >"$work/$name.out" 2>&1 &
  pid=$!; pids+=("$pid")
  hello_port=$(bench_listen_port "$pid")
}
mode=${MODE:-stat}
on_args=(--stat "$stat_obj")
on_env=()
if [ "$mode" = ops ]; then
  bench_start_collector
  ops_port=$(bench_free_port)
  bench_hello_conf "$work/on" 0 1 2 1024
  tracing_keys="\n      tracing-endpoint = $collector_url\n      tracing-sample-ratio = ${TRACE_RATIO:-0.01}"
  if [ "${TRACING:-1}" = 0 ]; then tracing_keys=""; fi
  sed -i "s#^      logLevel = ERROR#      logLevel = ERROR\n      ops = tcp -h 127.0.0.1 -p $ops_port -t 600000$tracing_keys#" \
    "$work/on/HelloServer.conf"
  "${server_pin[@]}" "$hello" --config="$work/on/HelloServer.conf" >"$work/on.out" 2>&1 &
  on_pid=$!; pids+=("$on_pid")
  bench_listen_port "$on_pid" "$ops_port" >/dev/null
  port_on=$(ss -Hltnp 2>/dev/null | grep "pid=$on_pid," | awk '{print $4}' | sed 's/.*://' | grep -vx "$ops_port" | head -1)
  start_hello off ""
  port_off=$hello_port
  on_args=()
  on_env=(env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="$collector_url" OTEL_TRACES_SAMPLER_ARG="${TRACE_RATIO:-0.01}")
  if [ "${TRACING:-1}" = 0 ]; then on_env=(); fi
  # A scraper, once a second, as Prometheus would; only while an "on" run is going, so that
  # it takes nothing from an "off" run on the same CPU.
  (while kill -0 "$on_pid" 2>/dev/null; do
     if [ -e "$work/scrape" ]; then
       { exec 3<>"/dev/tcp/127.0.0.1/$ops_port" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3 >/dev/null; } 2>/dev/null || true
       exec 3<&- 2>/dev/null || true
     fi
     sleep 1
   done) &
  pids+=("$!")
else
  start_hello off ""
  port_off=$hello_port
  start_hello on "$stat_obj"
  port_on=$hello_port
fi

load=(-m async -c "$connections" -k "$outstanding" -s "$payload" -d "$seconds" --warmup "$warmup")
run() {  # run NAME ROUND ARGS...: prints the run's QPS
  local name=$1 round=$2; shift 2
  local out="$work/$name.$round.txt"
  local prefix=()
  if [ "$name" = on ]; then prefix=("${on_env[@]}"); : >"$work/scrape"; fi
  "${prefix[@]}" "${client_pin[@]}" "$bench" "$@" "${load[@]}" >"$out" 2>&1 || { echo "stat_overhead.sh: $name failed:" >&2; tail -5 "$out" >&2; exit 1; }
  rm -f "$work/scrape"
  grep -q "^RESULT .* failed=0 " "$out" || { echo "stat_overhead.sh: $name had failed calls" >&2; tail -3 "$out" >&2; exit 1; }
  sed -n 's/^RESULT qps=\([0-9.]*\) .*/\1/p' "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "$mode overhead: pipelined async -c $connections -k $outstanding, ${payload} B, ${seconds} s per run, $rounds rounds"
if [ ${#server_pin[@]} -gt 0 ]; then echo "pinned: HelloServer on CPU ${cpus[0]}, tars-bench on CPU ${cpus[1]}"; else echo "not pinned"; fi
echo "machine: $(nproc) cpus, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/off.qps"; : >"$work/on.qps"; : >"$work/ratio.txt"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    off=$(run off "$round" -p "$port_off")
    on=$(run on "$round" -p "$port_on" "${on_args[@]}")
  else
    on=$(run on "$round" -p "$port_on" "${on_args[@]}")
    off=$(run off "$round" -p "$port_off")
  fi
  echo "$off" >>"$work/off.qps"; echo "$on" >>"$work/on.qps"
  awk -v a="$on" -v b="$off" 'BEGIN { printf "%.4f\n", a / b }' >>"$work/ratio.txt"
  printf '  round %d: off %10.1f qps   on %10.1f qps   on/off %s\n' "$round" "$off" "$on" "$(tail -1 "$work/ratio.txt")"
done
printf 'median: off %s qps, on %s qps; median of the rounds'"'"' on/off ratios %s\n' \
  "$(median <"$work/off.qps")" "$(median <"$work/on.qps")" "$(median <"$work/ratio.txt")"
