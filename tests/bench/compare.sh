#!/usr/bin/env bash
# Load benchmarks of issue 7: our server and client beside the floor (an epoll echo of
# TARS frames, no RPC) and gRPC C++, measured in one run on one machine, interleaved
# round by round so that noise hits all three alike. Prints medians and the ratios
# ours/floor and ours/gRPC; docs/PERFORMANCE.md says how to read them.
#
#   tests/bench/compare.sh [BUILD_DIR]
#
# Runs per round: ping-pong (ours, ours in merge mode, the floor from 1 thread and from
# CONNECTIONS threads, gRPC), capacity (ours, ours in merge mode, the floor), pipelined
# (ours, gRPC); then the fixed-rate and idle-connection cases. About 12 minutes at
# ROUNDS=3 SECONDS_PER_RUN=4 (TLS=0).
#
# TLS (issue 18; TLS=0 skips it): certificates are made at start with
# tests/tls/make_certs.sh, a second HelloServer (same settings) serves an ssl endpoint and
# a second gRPC server serves TLS (grpc::SslServerCredentials, the same certificate:
# P-256 ECDSA). Each round interleaves with the plain runs: ping-pong and pipelined over
# TLS, ours and gRPC, and new connections per second (tars-bench --mode connect: connect,
# one call, close, from CONNECT_THREADS threads), plain and TLS (a full handshake each).
# The report adds TLS/plain ratios of the same run and ours-TLS/gRPC-TLS. About 4 more
# minutes at ROUNDS=3 SECONDS_PER_RUN=4.
#
# Unix-domain sockets (issue 23; UNIX=0 skips them): a third HelloServer (same settings)
# serves a `unix -h PATH` endpoint; each round adds ping-pong and pipelined runs over it,
# right after the same runs over loopback TCP, and the report puts them side by side.
#
# BUILD_DIR (or TARS_BENCH_BUILD_DIR; default build-bench): configured with
# -DTARS_BENCH_GRPC=ON and built (only the targets needed) unless TARS_BENCH_NO_BUILD=1.
# Settings (environment):
#   ROUNDS=5  SECONDS_PER_RUN=5  WARMUP=1  PAYLOAD=100    rounds, seconds measured per run, ...
#   CONNECTIONS=16  OUTSTANDING=32                        the pipelined cases
#   SERVER_NETTHREAD=1  SERVER_THREADS=2  SERVER_MERGE=0  HelloServer's netthread, threads, mergenetimp
#   CLIENT_NETTHREADS=1  CLIENT_ASYNCTHREADS=1            tars-bench's client runtime (async)
#   GRPC_SERVER_THREADS=2  GRPC_CLIENT_THREADS=2          completion-queue threads
#   IDLE_CONNECTIONS=10000  (0 skips the idle case)
#   TLS=1  CONNECT_THREADS=4                              the TLS runs (0 skips them); connect mode's threads
#   UNIX=1                                                the Unix-socket runs (0 skips them)
#   TARS_BENCH_KEEP_LOGS=DIR  copies every run's output there
# Every process it starts is stopped by pid when it exits (trap EXIT).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TARS_BENCH_BUILD_DIR:-$root/build-bench}}
rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP:-1}
payload=${PAYLOAD:-100}
connections=${CONNECTIONS:-16}
outstanding=${OUTSTANDING:-32}
server_netthread=${SERVER_NETTHREAD:-1}
server_threads=${SERVER_THREADS:-2}
server_merge=${SERVER_MERGE:-0}
client_netthreads=${CLIENT_NETTHREADS:-1}
client_asyncthreads=${CLIENT_ASYNCTHREADS:-1}
grpc_server_threads=${GRPC_SERVER_THREADS:-2}
grpc_client_threads=${GRPC_CLIENT_THREADS:-2}
idle=${IDLE_CONNECTIONS:-10000}
tls=${TLS:-1}
connect_threads=${CONNECT_THREADS:-4}
unix_runs=${UNIX:-1}

# ---- build
if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then
  # shellcheck source=../lib/deps.sh
  source "$root/tests/lib/deps.sh"
  tars_install_missing "${tars_build_packages[@]}"
  # The gRPC peer's packages, when the package list names them.
  # shellcheck disable=SC2154
  if declare -p tars_bench_packages >/dev/null 2>&1; then
    tars_install_missing "${tars_bench_packages[@]}"
  fi
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTARS_BENCH_GRPC=ON >/dev/null
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target tars-bench HelloServer bench-floor-echo \
    bench-idle-conns bench-grpc-server bench-grpc-client
fi
bench=$build/tools/tars-bench/tars-bench
hello=$build/examples/hello/HelloServer
echo_server=$build/tests/bench/floor/bench-floor-echo
idle_helper=$build/tests/bench/floor/bench-idle-conns
grpc_server=$build/tests/bench/grpc/bench-grpc-server
grpc_client=$build/tests/bench/grpc/bench-grpc-client
for exe in "$bench" "$hello" "$echo_server" "$idle_helper" "$grpc_server" "$grpc_client"; do
  [ -x "$exe" ] || { echo "compare.sh: $exe is missing (build with -DTARS_BENCH_GRPC=ON)" >&2; exit 1; }
done

# ---- processes: every one started is stopped by pid on exit
work=$(mktemp -d "${TMPDIR:-/tmp}/tars-compare.XXXXXX")
bench_name=compare.sh
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

# Room for the idle connections: 3 servers and 3 helpers, 10k each, inherit this.
hard=$(ulimit -Hn)
want=$((idle * 2 + 4096))
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then ulimit -Hn "$want" 2>/dev/null || want=$hard; fi
ulimit -Sn "$want" 2>/dev/null || ulimit -Sn "$hard"

# Waits (10 s at most) for a line matching $2 in file $1; prints the line.
wait_line() {
  local file=$1 pattern=$2 pid=$3
  for _ in $(seq 400); do
    if grep -q "$pattern" "$file" 2>/dev/null; then grep -m1 "$pattern" "$file"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
  done
  echo "compare.sh: no '$pattern' from pid $pid; its output:" >&2
  cat "$file" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

bench_hello_conf "$work/hello" "$server_merge" "$server_netthread" "$server_threads" $((idle + 1024))
"$hello" --config="$work/hello/HelloServer.conf" >"$work/hello.out" 2>&1 &
hello_pid=$!; pids+=("$hello_pid")
# A second HelloServer in merge mode (servants run in the network thread, no queue hop),
# for one extra capacity row.
bench_hello_conf "$work/hello-merge" 1 "$server_netthread" "$server_threads" $((idle + 1024))
"$hello" --config="$work/hello-merge/HelloServer.conf" >"$work/hello-merge.out" 2>&1 &
merge_pid=$!; pids+=("$merge_pid")
"$echo_server" --port 0 >"$work/echo.out" 2>&1 &
echo_pid=$!; pids+=("$echo_pid")
"$grpc_server" --port 0 --threads "$grpc_server_threads" >"$work/grpc.out" 2>&1 &
grpc_pid=$!; pids+=("$grpc_pid")
hello_port=$(bench_listen_port "$hello_pid")
merge_port=$(bench_listen_port "$merge_pid")
echo_port=$(wait_line "$work/echo.out" '^port ' "$echo_pid" | awk '{print $2}')
grpc_port=$(wait_line "$work/grpc.out" '^port ' "$grpc_pid" | awk '{print $2}')
if [ "$tls" = 1 ]; then
  # One servant is served by one adapter in a process, so the ssl endpoint is a second
  # HelloServer with the same settings.
  certs=$work/certs
  "$root/tests/tls/make_certs.sh" "$certs" >/dev/null
  bench_hello_conf "$work/hello-tls" "$server_merge" "$server_netthread" "$server_threads" $((idle + 1024)) "$certs"
  "$hello" --config="$work/hello-tls/HelloServer.conf" >"$work/hello-tls.out" 2>&1 &
  hello_tls_pid=$!; pids+=("$hello_tls_pid")
  "$grpc_server" --port 0 --threads "$grpc_server_threads" --cert "$certs/server.pem" --key "$certs/server.key" \
    >"$work/grpc-tls.out" 2>&1 &
  grpc_tls_pid=$!; pids+=("$grpc_tls_pid")
  hello_tls_port=$(bench_listen_port "$hello_tls_pid")
  grpc_tls_port=$(wait_line "$work/grpc-tls.out" '^port ' "$grpc_tls_pid" | awk '{print $2}')
  tls_client=(--ssl --ca "$certs/ca.pem")
fi

if [ "$unix_runs" = 1 ]; then
  unix_socket=$work/hello-unix/hello.sock
  bench_hello_conf "$work/hello-unix" "$server_merge" "$server_netthread" "$server_threads" $((idle + 1024)) "" \
    "$unix_socket"
  "$hello" --config="$work/hello-unix/HelloServer.conf" >"$work/hello-unix.out" 2>&1 &
  hello_unix_pid=$!; pids+=("$hello_unix_pid")
  bench_unix_listening "$hello_unix_pid" "$unix_socket"
fi

# ---- runs
failures=0
# run NAME COMMAND...: one run; appends its RESULT line to $work/NAME.results.
run() {
  local name=$1; shift
  local out
  out="$work/runs/$name.$(date +%s%N).txt"
  mkdir -p "$work/runs"
  local status=0
  "$@" >"$out" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    failures=$((failures + 1))
    echo "  $name: FAILED (exit $status): $*" >&2
    tail -5 "$out" >&2
  fi
  grep '^RESULT ' "$out" >>"$work/$name.results" || echo "RESULT qps=0 p50_us=0 p99_us=0" >>"$work/$name.results"
  printf '  %-22s %s\n' "$name" "$(grep '^RESULT ' "$out" | sed 's/^RESULT //; s/ max_us.*//')"
}
# field NAME KEY: the median of KEY over the runs of NAME.
field() {
  sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.results" | sort -g |
    awk '{v[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }

common=(-d "$seconds" --warmup "$warmup" -s "$payload")
pipelined=(-c "$connections" -k "$outstanding")
tars_async=(--netthreads "$client_netthreads" --asyncthreads "$client_asyncthreads")

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine makes every figure noisier)"
echo "servers: HelloServer pid $hello_pid port $hello_port (merge mode: pid $merge_pid port $merge_port), floor echo pid $echo_pid port $echo_port, gRPC pid $grpc_pid port $grpc_port"
if [ "$tls" = 1 ]; then
  echo "TLS servers: HelloServer pid $hello_tls_pid ssl port $hello_tls_port, gRPC pid $grpc_tls_pid TLS port $grpc_tls_port"
fi
if [ "$unix_runs" = 1 ]; then
  echo "Unix-socket server: HelloServer pid $hello_unix_pid on $unix_socket"
fi
echo "$rounds rounds x $seconds s per run (+$warmup s warm-up), payload $payload B"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds"
  run ours.pingpong "$bench" -p "$hello_port" -m sync -t "$connections" -c "$connections" "${common[@]}"
  if [ "$unix_runs" = 1 ]; then
    run ours-unix.pingpong "$bench" --unix "$unix_socket" -m sync -t "$connections" -c "$connections" "${common[@]}"
  fi
  if [ "$tls" = 1 ]; then
    run ours-tls.pingpong "$bench" -p "$hello_tls_port" "${tls_client[@]}" -m sync -t "$connections" -c "$connections" "${common[@]}"
  fi
  run floor.pingpong "$bench" -p "$echo_port" -m raw --expect echo -c "$connections" -k 1 "${common[@]}"
  run grpc.pingpong "$grpc_client" -p "$grpc_port" -m sync -t "$connections" -c "$connections" "${common[@]}"
  if [ "$tls" = 1 ]; then
    run grpc-tls.pingpong "$grpc_client" -p "$grpc_tls_port" "${tls_client[@]}" -m sync -t "$connections" -c "$connections" "${common[@]}"
  fi
  # The bound for any client whose calls come from $connections threads: the floor driven
  # by as many threads, one connection each, each waiting for its reply.
  run floor-threads.pingpong "$bench" -p "$echo_port" -m raw --expect echo -t "$connections" -c "$connections" -k 1 "${common[@]}"
  run ours-merge.pingpong "$bench" -p "$merge_port" -m sync -t "$connections" -c "$connections" "${common[@]}"
  run ours.capacity "$bench" -p "$hello_port" -m raw "${pipelined[@]}" "${common[@]}"
  run floor.capacity "$bench" -p "$echo_port" -m raw --expect echo "${pipelined[@]}" "${common[@]}"
  run ours-merge.capacity "$bench" -p "$merge_port" -m raw "${pipelined[@]}" "${common[@]}"
  run ours.async "$bench" -p "$hello_port" -m async "${pipelined[@]}" "${tars_async[@]}" "${common[@]}"
  if [ "$unix_runs" = 1 ]; then
    run ours-unix.async "$bench" --unix "$unix_socket" -m async "${pipelined[@]}" "${tars_async[@]}" "${common[@]}"
  fi
  if [ "$tls" = 1 ]; then
    run ours-tls.async "$bench" -p "$hello_tls_port" "${tls_client[@]}" -m async "${pipelined[@]}" "${tars_async[@]}" "${common[@]}"
  fi
  run grpc.async "$grpc_client" -p "$grpc_port" -m async -t "$grpc_client_threads" "${pipelined[@]}" "${common[@]}"
  if [ "$tls" = 1 ]; then
    run grpc-tls.async "$grpc_client" -p "$grpc_tls_port" "${tls_client[@]}" -m async -t "$grpc_client_threads" "${pipelined[@]}" "${common[@]}"
    # New connections per second: connect, one call, close, over and over.
    run ours.connect "$bench" -p "$hello_port" -m connect -t "$connect_threads" "${common[@]}"
    run ours-tls.connect "$bench" -p "$hello_tls_port" "${tls_client[@]}" -m connect -t "$connect_threads" "${common[@]}"
  fi
done

# ---- latency at a fixed load: half of our pipelined maximum, the same rate for all three
rate=$(awk -v q="$(field ours.async qps)" 'BEGIN {printf "%d", q / 2}')
grpc_rate=$(awk -v q="$(field grpc.async qps)" 'BEGIN {printf "%d", q / 2}')
echo "fixed rate: $rate calls/s (half of our median pipelined QPS); gRPC also at $grpc_rate (half of its own)"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds"
  run ours.rate "$bench" -p "$hello_port" -m async "${pipelined[@]}" "${tars_async[@]}" --rate "$rate" "${common[@]}"
  run floor.rate "$bench" -p "$echo_port" -m raw --expect echo "${pipelined[@]}" --rate "$rate" "${common[@]}"
  run grpc.rate "$grpc_client" -p "$grpc_port" -m async -t "$grpc_client_threads" "${pipelined[@]}" --rate "$rate" "${common[@]}"
  # gRPC may not sustain our rate: also at half of its own maximum, for its latency under load.
  run grpc.ownrate "$grpc_client" -p "$grpc_port" -m async -t "$grpc_client_threads" "${pipelined[@]}" --rate "$grpc_rate" "${common[@]}"
done

# ---- idle connections: each server holds $idle idle connections while the pipelined load runs
if [ "$idle" -gt 0 ]; then
  rss_before=("$(rss_kb "$hello_pid")" "$(rss_kb "$echo_pid")" "$(rss_kb "$grpc_pid")")
  "$idle_helper" --port "$hello_port" --count "$idle" >"$work/idle.hello.out" 2>&1 &
  idle_pid=$!; pids+=("$idle_pid"); idle_hello=$(wait_line "$work/idle.hello.out" '^open ' "$idle_pid")
  "$idle_helper" --port "$echo_port" --count "$idle" >"$work/idle.echo.out" 2>&1 &
  idle_pid=$!; pids+=("$idle_pid"); idle_echo=$(wait_line "$work/idle.echo.out" '^open ' "$idle_pid")
  "$idle_helper" --port "$grpc_port" --count "$idle" --http2 >"$work/idle.grpc.out" 2>&1 &
  idle_pid=$!; pids+=("$idle_pid"); idle_grpc=$(wait_line "$work/idle.grpc.out" '^open ' "$idle_pid")
  echo "idle connections: HelloServer $idle_hello, floor $idle_echo, gRPC $idle_grpc"
  rss_idle=("$(rss_kb "$hello_pid")" "$(rss_kb "$echo_pid")" "$(rss_kb "$grpc_pid")")
  for r in $(seq "$rounds"); do
    echo "round $r/$rounds"
    run ours.idle "$bench" -p "$hello_port" -m async "${pipelined[@]}" "${tars_async[@]}" "${common[@]}"
    run floor.idle "$bench" -p "$echo_port" -m raw --expect echo "${pipelined[@]}" "${common[@]}"
    run grpc.idle "$grpc_client" -p "$grpc_port" -m async -t "$grpc_client_threads" "${pipelined[@]}" "${common[@]}"
  done
  rss_after=("$(rss_kb "$hello_pid")" "$(rss_kb "$echo_pid")" "$(rss_kb "$grpc_pid")")
fi

# ---- report
k() { awk -v v="$1" 'BEGIN {printf "%.0f", v / 1000}'; }
row() {  # row LABEL KEY OURS FLOOR GRPC
  local o f g
  o=$(field "$3" "$2"); f=$([ -n "$4" ] && field "$4" "$2" || echo 0); g=$([ -n "$5" ] && field "$5" "$2" || echo 0)
  if [ "$2" = qps ]; then
    printf '| %s | %sk | %s | %s | %s | %s |\n' "$1" "$(k "$o")" "$([ -n "$4" ] && echo "$(k "$f")k" || echo -)" \
      "$([ -n "$5" ] && echo "$(k "$g")k" || echo -)" "$([ -n "$4" ] && ratio "$o" "$f" || echo -)" \
      "$([ -n "$5" ] && ratio "$o" "$g" || echo -)"
  else
    printf '| %s | %s us | %s | %s | %s | %s |\n' "$1" "$o" "$([ -n "$4" ] && echo "$f us" || echo -)" \
      "$([ -n "$5" ] && echo "$g us" || echo -)" "$([ -n "$4" ] && ratio "$o" "$f" || echo -)" \
      "$([ -n "$5" ] && ratio "$o" "$g" || echo -)"
  fi
}
echo
echo "## Results: medians of $rounds runs of $seconds s"
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), payload $payload B"
echo
echo "| case | ours | floor | gRPC | ours/floor | ours/gRPC |"
echo "|-|-|-|-|-|-|"
row "ping-pong QPS (sync, $connections conn x 1)" qps ours.pingpong floor.pingpong grpc.pingpong
row "ping-pong p99" p99_us ours.pingpong floor.pingpong grpc.pingpong
row "ping-pong QPS, mergenetimp=1 (sync, $connections conn x 1)" qps ours-merge.pingpong floor.pingpong ""
row "ping-pong QPS against the floor driven by $connections threads" qps ours.pingpong floor-threads.pingpong ""
row "ping-pong QPS, mergenetimp=1, against the floor driven by $connections threads" qps ours-merge.pingpong floor-threads.pingpong ""
echo "| the floor itself driven by $connections threads: QPS, and against the floor driven by 1 | | $(k "$(field floor-threads.pingpong qps)")k | | $(ratio "$(field floor-threads.pingpong qps)" "$(field floor.pingpong qps)") | |"
row "server capacity QPS (raw, $connections x $outstanding)" qps ours.capacity floor.capacity ""
row "server capacity QPS, mergenetimp=1 (raw, $connections x $outstanding)" qps ours-merge.capacity floor.capacity ""
row "pipelined end-to-end QPS (async, $connections x $outstanding)" qps ours.async floor.capacity grpc.async
row "pipelined p99" p99_us ours.async floor.capacity grpc.async
row "p50 at $rate calls/s" p50_us ours.rate floor.rate grpc.rate
row "p99 at $rate calls/s" p99_us ours.rate floor.rate grpc.rate
row "achieved QPS at $rate calls/s" qps ours.rate floor.rate grpc.rate
echo "| gRPC at half its own maximum ($grpc_rate calls/s): p50 / p99 | | | $(field grpc.ownrate p50_us) us / $(field grpc.ownrate p99_us) us | | |"
if [ "$idle" -gt 0 ]; then
  row "pipelined QPS with $idle idle conns" qps ours.idle floor.idle grpc.idle
  mb() { awk -v v="$1" 'BEGIN {printf "%.1f MB", v / 1024}'; }
  per() { awk -v a="$1" -v b="$2" -v n="$idle" 'BEGIN {printf "%.2f KB", (b - a) / n}'; }
  echo "| server RSS before idle conns | $(mb "${rss_before[0]}") | $(mb "${rss_before[1]}") | $(mb "${rss_before[2]}") | | |"
  echo "| server RSS with $idle idle conns | $(mb "${rss_idle[0]}") | $(mb "${rss_idle[1]}") | $(mb "${rss_idle[2]}") | | |"
  echo "| RSS per idle connection | $(per "${rss_before[0]}" "${rss_idle[0]}") | $(per "${rss_before[1]}" "${rss_idle[1]}") | $(per "${rss_before[2]}" "${rss_idle[2]}") | | |"
  echo "| server RSS after the load | $(mb "${rss_after[0]}") | $(mb "${rss_after[1]}") | $(mb "${rss_after[2]}") | | |"
fi
# round_ratios KEY A B: B/A of each round (the two runs of a round are back to back, so a
# round's ratio escapes most of the noise that moves whole rounds).
round_ratios() {
  paste <(sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$work/$2.results") \
    <(sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$work/$3.results") |
    awk '{printf "%s%s", (NR > 1 ? " / " : ""), ($1 > 0 ? sprintf("%.2f", $2 / $1) : "-")}'
}
if [ "$unix_runs" = 1 ]; then
  unix_row() {  # unix_row LABEL KEY TCP UNIX
    local p u
    p=$(field "$3" "$2"); u=$(field "$4" "$2")
    if [ "$2" = qps ]; then
      printf '| %s | %sk | %sk | %s | %s |\n' "$1" "$(k "$p")" "$(k "$u")" "$(ratio "$u" "$p")" "$(round_ratios "$2" "$3" "$4")"
    else
      printf '| %s | %s us | %s us | %s | %s |\n' "$1" "$p" "$u" "$(ratio "$u" "$p")" "$(round_ratios "$2" "$3" "$4")"
    fi
  }
  echo
  echo "### Unix-domain socket (issue 23): the same server's twin on a unix endpoint, in the same rounds"
  echo
  echo "| case | loopback TCP | unix socket | unix/TCP | unix/TCP in each round |"
  echo "|-|-|-|-|-|"
  unix_row "ours ping-pong QPS (sync, $connections conn x 1)" qps ours.pingpong ours-unix.pingpong
  unix_row "ours ping-pong p99" p99_us ours.pingpong ours-unix.pingpong
  unix_row "ours pipelined QPS (async, $connections x $outstanding)" qps ours.async ours-unix.async
  unix_row "ours pipelined p99" p99_us ours.async ours-unix.async
fi
if [ "$tls" = 1 ]; then
  # holds VALUE TARGET: whether VALUE >= TARGET
  holds() { awk -v v="$1" -v t="$2" 'BEGIN {print (v != "-" && v + 0 >= t) ? "holds" : "does not hold"}'; }
  tls_row() {  # tls_row LABEL KEY PLAIN TLS: QPS in thousands, connections/s (KEY cps) as counted
    local p t key=${2/cps/qps}
    p=$(field "$3" "$key"); t=$(field "$4" "$key")
    case $2 in
      qps) printf '| %s | %sk | %sk | %s | %s |\n' "$1" "$(k "$p")" "$(k "$t")" "$(ratio "$t" "$p")" "$(round_ratios "$key" "$3" "$4")" ;;
      cps) printf '| %s | %.0f | %.0f | %s | %s |\n' "$1" "$p" "$t" "$(ratio "$t" "$p")" "$(round_ratios "$key" "$3" "$4")" ;;
      *) printf '| %s | %s us | %s us | %s | %s |\n' "$1" "$p" "$t" "$(ratio "$t" "$p")" "$(round_ratios "$key" "$3" "$4")" ;;
    esac
  }
  echo
  echo "### TLS (issue 18): the same servers' twins on ssl endpoints, in the same rounds"
  echo
  echo "| case | plain | TLS | TLS/plain | TLS/plain in each round |"
  echo "|-|-|-|-|-|"
  tls_row "ours ping-pong QPS (sync, $connections conn x 1)" qps ours.pingpong ours-tls.pingpong
  tls_row "ours ping-pong p99" p99_us ours.pingpong ours-tls.pingpong
  tls_row "ours pipelined QPS (async, $connections x $outstanding)" qps ours.async ours-tls.async
  tls_row "ours pipelined p99" p99_us ours.async ours-tls.async
  tls_row "gRPC ping-pong QPS (sync, $connections conn x 1)" qps grpc.pingpong grpc-tls.pingpong
  tls_row "gRPC pipelined QPS (async, $connections x $outstanding)" qps grpc.async grpc-tls.async
  tls_row "ours new connections/s (connect + 1 call + close, $connect_threads threads)" cps ours.connect ours-tls.connect
  tls_row "new connection + call latency p50" p50_us ours.connect ours-tls.connect
  echo
  echo "| over TLS | ours | gRPC | ours/gRPC |"
  echo "|-|-|-|-|"
  printf '| ping-pong QPS | %sk | %sk | %s |\n' "$(k "$(field ours-tls.pingpong qps)")" \
    "$(k "$(field grpc-tls.pingpong qps)")" "$(ratio "$(field ours-tls.pingpong qps)" "$(field grpc-tls.pingpong qps)")"
  printf '| pipelined QPS | %sk | %sk | %s |\n' "$(k "$(field ours-tls.async qps)")" \
    "$(k "$(field grpc-tls.async qps)")" "$(ratio "$(field ours-tls.async qps)" "$(field grpc-tls.async qps)")"
  echo
  pipe_ratio=$(ratio "$(field ours-tls.async qps)" "$(field ours.async qps)")
  pong_ratio=$(ratio "$(field ours-tls.pingpong qps)" "$(field ours.pingpong qps)")
  grpc_ratio=$(ratio "$(field ours-tls.async qps)" "$(field grpc-tls.async qps)")
  echo "Targets: pipelined TLS/plain $pipe_ratio (>= 0.6: $(holds "$pipe_ratio" 0.6));" \
    "ping-pong TLS/plain $pong_ratio (>= 0.8: $(holds "$pong_ratio" 0.8));" \
    "pipelined ours-TLS/gRPC-TLS $grpc_ratio (>= 3: $(holds "$grpc_ratio" 3))."
fi
echo
echo "Spread over the runs (min / median / max):"
echo
echo "| run | QPS | p99 |"
echo "|-|-|-|"
values() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.results" | sort -g; }
for f in "$work"/*.results; do
  name=$(basename "$f" .results)
  printf '| %s | %sk / %sk / %sk | %s / %s / %s us |\n' "$name" \
    "$(k "$(values "$name" qps | head -1)")" "$(k "$(field "$name" qps)")" "$(k "$(values "$name" qps | tail -1)")" \
    "$(values "$name" p99_us | head -1)" "$(field "$name" p99_us)" "$(values "$name" p99_us | tail -1)"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours: HelloServer netthread=$server_netthread threads=$server_threads mergenetimp=$server_merge;" \
  "tars-bench async: netthreads=$client_netthreads asyncthreads=$client_asyncthreads;" \
  "gRPC: server $grpc_server_threads CQ threads, client $grpc_client_threads CQ threads"
echo "floor: bench-floor-echo (1 epoll thread) driven by tars-bench --mode raw --expect echo (1 thread;"
echo "  'driven by $connections threads': --threads $connections, each with its own connection and one frame in flight)"
echo "server capacity has no gRPC column: its client (gRPC's own) costs as much as its server."
if [ "$tls" = 1 ]; then
  echo "TLS: certificates of tests/tls/make_certs.sh (P-256 ECDSA), OpenSSL's default suites (TLS 1.3:" \
    "TLS_AES_256_GCM_SHA384 between OpenSSL peers); new connections: tars-bench --mode connect" \
    "(no client runtime, a full handshake per connection, the client's half on the same 2 cores)"
fi
if [ "$failures" -gt 0 ]; then
  echo "compare.sh: $failures runs had failed calls (see above)" >&2
  exit 1
fi
