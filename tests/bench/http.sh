#!/usr/bin/env bash
# HTTP load benchmark: our HTTP servant (examples/http HttpServer, adapter protocol=http)
# beside nginx serving the same small body, both driven by wrk over keep-alive
# connections on 127.0.0.1, in one run, interleaved round by round so that noise hits
# both alike. Prints the median QPS, p50 and p99 per case and the ratios ours/nginx at
# 1 and at 2 network threads / worker processes.
#
#   tests/bench/http.sh [BUILD_DIR]
#
# BUILD_DIR (or TARS_BENCH_BUILD_DIR; default build-bench): configured like compare.sh
# when it is not configured yet; only HttpServer is built, unless TARS_BENCH_NO_BUILD=1.
# Settings (environment):
#   ROUNDS=5  SECONDS_PER_RUN=5  WARMUP=1     rounds, seconds per wrk run, warm-up seconds per server (0: none)
#   WRK_THREADS=2  WRK_CONNECTIONS=64         wrk -t / -c (keep-alive connections)
#   SERVER_THREADS=2  SERVER_MERGE=0          HttpServer's adapter threads and mergenetimp
#                                             (its netthread is 1 or 2, the case)
#   TARS_BENCH_KEEP_LOGS=DIR                  copies every run's output and the configs there
# The cases: HttpServer netthread=1 and 2; nginx worker_processes 1 and 2 (a private
# nginx.conf in a temp dir, its own pid file and logs, never the system nginx or port 80).
# A run fails (exit 1) when a server does not start or dies, when the probe before the
# runs does not get "200" with the expected body, or when wrk reports non-2xx/3xx
# responses (wrk counts statuses >= 400) or socket errors (connect, read, write, timeout).
# Every process it starts is stopped by pid when it exits (trap EXIT).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TARS_BENCH_BUILD_DIR:-$root/build-bench}}
rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_RUN:-5}
warmup=${WARMUP:-1}
wrk_threads=${WRK_THREADS:-2}
wrk_connections=${WRK_CONNECTIONS:-64}
server_threads=${SERVER_THREADS:-2}
server_merge=${SERVER_MERGE:-0}
body='Hello from TARS'  # and a newline: the body of GET /hello in examples/http/HttpServer.cpp

for v in rounds seconds warmup wrk_threads wrk_connections server_threads server_merge; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "http.sh: $v must be a whole number, not '${!v}'" >&2; exit 2; }
done
if [ "$rounds" -lt 1 ] || [ "$seconds" -lt 1 ] || [ "$wrk_threads" -lt 1 ] || [ "$server_threads" -lt 1 ]; then
  echo "http.sh: ROUNDS, SECONDS_PER_RUN, WRK_THREADS and SERVER_THREADS must be at least 1" >&2; exit 2
fi
[ "$server_merge" -le 1 ] || { echo "http.sh: SERVER_MERGE must be 0 or 1, not '$server_merge'" >&2; exit 2; }
[ "$wrk_connections" -ge "$wrk_threads" ] ||
  { echo "http.sh: WRK_CONNECTIONS ($wrk_connections) must be at least WRK_THREADS ($wrk_threads)" >&2; exit 2; }

# ---- packages and build
# shellcheck source=../lib/deps.sh
source "$root/tests/lib/deps.sh"
# nginx: the Debian package "nginx" (nginx-light is only a transitional name for it since
# Debian 12). Installing it may start Debian's own nginx service; this script never uses it.
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || tars_install_missing nginx
nginx=$(command -v nginx || echo /usr/sbin/nginx)
tars_install_missing wrk curl
if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    tars_install_missing "${tars_build_packages[@]}" "${tars_bench_packages[@]}"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTARS_BENCH_GRPC=ON >/dev/null
  fi
  cmake --build "$build" --target HttpServer -j "${TARS_JOBS:-2}"
fi
http_server=$build/examples/http/HttpServer
for exe in "$http_server" "$nginx"; do
  [ -x "$exe" ] || { echo "http.sh: $exe is missing" >&2; exit 1; }
done

# ---- processes: every one started is stopped by pid on exit
work=$(mktemp -d "${TMPDIR:-/tmp}/tars-http-bench.XXXXXX")
chmod 755 "$work"  # nginx's workers run as nobody when we are root
bench_name=http.sh
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

# A port that no socket on this host uses now, below the ephemeral range (nginx cannot
# take port 0; a lost race shows up as a start failure and is retried).
free_port() {
  local low p
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range)
  [ "$low" -gt 11000 ] || low=61000
  for _ in $(seq 50); do
    p=$((10000 + RANDOM % (low - 10000)))
    if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then echo "$p"; return 0; fi
  done
  echo "http.sh: no free port found" >&2
  return 1
}

# A process that failed to start or died: say so with the end of its output.
died() {  # died NAME PID OUTPUT
  local status=0
  if kill -0 "$2" 2>/dev/null; then
    echo "http.sh: $1 (pid $2) runs but does not listen; its output:" >&2
    tail -20 "$3" >&2 || true
    return 0
  fi
  wait "$2" 2>/dev/null || status=$?
  echo "http.sh: $1 (pid $2) is not running (exit status $status$([ "$status" -gt 128 ] && echo ", signal $((status - 128))")); its output:" >&2
  tail -20 "$3" >&2 || true
}

# start_ours NAME NETTHREAD: HttpServer with its config in $work/NAME, on an ephemeral port.
declare -A port pid_of
start_ours() {
  local name=$1 dir=$work/$1
  mkdir -p "$dir/log"
  cat >"$dir/HttpServer.conf" <<EOF
<tars>
  <application>
    <server>
      app = TestApp
      server = HttpServer
      localip = 127.0.0.1
      basepath = $dir
      datapath = $dir
      logpath = $dir/log
      logLevel = ERROR
      netthread = $2
      mergenetimp = $server_merge
      <TestApp.HttpServer.HttpObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p 0 -t 600000
        servant = TestApp.HttpServer.HttpObj
        protocol = http
        threads = $server_threads
        maxconns = $((wrk_connections + 1024))
        queuecap = 100000
        queuetimeout = 5000
      </TestApp.HttpServer.HttpObjAdapter>
    </server>
  </application>
</tars>
EOF
  "$http_server" --config="$dir/HttpServer.conf" >"$work/$name.out" 2>&1 &
  pid_of[$name]=$!; pids+=("$!")
  port[$name]=$(bench_listen_port "$!") || { died "$name" "${pid_of[$name]}" "$work/$name.out"; return 1; }
}

# start_nginx NAME WORKERS: nginx with a private prefix $work/NAME (config, pid file,
# error log, temp paths), master process in the foreground as our child.
start_nginx() {
  local name=$1 dir=$work/$1 p attempt temp=""
  local m
  for m in fastcgi uwsgi scgi proxy; do  # temp paths of the modules this nginx has
    "$nginx" -V 2>&1 | grep -q -- "--without-http_${m}_module" || temp+="    ${m}_temp_path $dir/${m}_temp;"$'\n'
  done
  mkdir -p "$dir"
  chmod 755 "$dir"
  for attempt in 1 2 3 4 5; do
    p=$(free_port)
    cat >"$dir/nginx.conf" <<EOF
worker_processes $2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
    worker_connections $((wrk_connections + 1024));
}
http {
    access_log off;
    server_tokens off;
    keepalive_requests 100000000;
    keepalive_timeout 600s;
    client_body_temp_path $dir/client_body_temp;
$temp
    server {
        listen 127.0.0.1:$p;
        location = /hello {
            default_type text/plain;
            return 200 "$body\n";
        }
        location / {
            return 404;
        }
    }
}
EOF
    "$nginx" -e "$dir/error.log" -c "$dir/nginx.conf" -p "$dir/" -g 'daemon off;' >"$work/$name.out" 2>&1 &
    pid_of[$name]=$!; pids+=("$!")
    if port[$name]=$(bench_listen_port "$!" "$p" 2>/dev/null); then return 0; fi
    if kill -0 "${pid_of[$name]}" 2>/dev/null || ! grep -q 'Address already in use' "$dir/error.log" "$work/$name.out" 2>/dev/null; then
      died "$name" "${pid_of[$name]}" "$dir/error.log"
      return 1
    fi
    wait "${pid_of[$name]}" 2>/dev/null || true
    echo "http.sh: port $p was taken, nginx tries another (attempt $attempt)" >&2
  done
  echo "http.sh: nginx found no free port" >&2
  return 1
}

# probe NAME: one GET /hello with curl; it must be a 200 with our body. Prints the headers.
probe() {
  local name=$1 code
  code=$(curl -sS --max-time 5 -o "$work/$name.probe.body" -D "$work/$name.probe.headers" \
    -w '%{http_code}' "http://127.0.0.1:${port[$name]}/hello") || code=curl-failed
  if [ "$code" != 200 ] || [ "$(cat "$work/$name.probe.body"; echo x)" != "$body"$'\n'x ]; then
    echo "http.sh: $name: GET /hello gave status $code and body '$(head -c 200 "$work/$name.probe.body" 2>/dev/null)'" >&2
    return 1
  fi
  echo "  $name (pid ${pid_of[$name]}, port ${port[$name]}): $(tr -d '\r' <"$work/$name.probe.headers" | sed '/^$/d' | paste -sd '|' | sed 's/|/ | /g')"
}

cases=(ours.1 nginx.1 ours.2 nginx.2)
for c in "${cases[@]}"; do : >"$work/$c.results"; done
start_ours ours.1 1
start_ours ours.2 2
start_nginx nginx.1 1
start_nginx nginx.2 2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine makes every figure noisier)"
echo "responses to GET /hello (headers):"
for c in "${cases[@]}"; do probe "$c"; done

# ---- runs
failures=0
url() { echo "http://127.0.0.1:${port[$1]}/hello"; }
wrk_args=(-t "$wrk_threads" -c "$wrk_connections" --latency)
# Microseconds of a wrk duration: 12.34us, 1.20ms, 2.00s, 1.00m.
to_us() {
  awk -v t="$1" 'BEGIN {
    if (t ~ /us$/) m = 1; else if (t ~ /ms$/) m = 1000; else if (t ~ /s$/) m = 1000000;
    else if (t ~ /m$/) m = 60000000; else if (t ~ /h$/) m = 3600000000; else { print 0; exit }
    sub(/[a-z]+$/, "", t); printf "%.0f", t * m }'
}
# gone NAME: a server found dead; says how it ended (once).
declare -A reported
gone() {
  [ -z "${reported[$1]:-}" ] || return 0
  reported[$1]=1
  died "$1" "${pid_of[$1]}" "$work/$1.out"
}
# run NAME: one wrk run against NAME; appends a RESULT line to $work/NAME.results.
run() {
  local name=$1 out status=0 qps p50 p99 non2xx sock
  out="$work/runs/$name.$(date +%s%N).txt"
  mkdir -p "$work/runs"
  if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
    failures=$((failures + 1))
    echo "  $name: server is gone, run skipped" >&2
    gone "$name"
    return 0
  fi
  timeout $((seconds + 60)) wrk "${wrk_args[@]}" -d "${seconds}s" "$(url "$name")" >"$out" 2>&1 || status=$?
  qps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(to_us "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  sock=$(sed -n 's/.*Socket errors: *//p' "$out")
  local problems=()
  [ "$status" -eq 0 ] || problems+=("wrk exit status $status")
  [ -n "$qps" ] || problems+=("no Requests/sec line")
  [ -z "$non2xx" ] || problems+=("$non2xx responses with status >= 400")
  [ -z "$sock" ] || problems+=("socket errors: $sock")
  kill -0 "${pid_of[$name]}" 2>/dev/null || problems+=("the server died")
  if [ ${#problems[@]} -gt 0 ]; then
    failures=$((failures + 1))
    echo "  $name: FAILED: $(IFS=';'; echo "${problems[*]}")" >&2
    sed 's/^/    | /' "$out" >&2
    kill -0 "${pid_of[$name]}" 2>/dev/null || gone "$name"
  fi
  echo "RESULT qps=${qps:-0} p50_us=$p50 p99_us=$p99" >>"$work/$name.results"
  printf '  %-8s %10s req/s  p50 %6s us  p99 %6s us  (%s)\n' "$name" "${qps:-0}" "$p50" "$p99" \
    "$(awk '/ requests in / {print $1, "requests,", $5, "read"}' "$out")"
}
# field NAME KEY: the median of KEY over the runs of NAME.
field() {
  sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.results" | sort -g |
    awk '{v[NR]=$1} END {if (NR==0) print 0; else if (NR%2) printf "%.0f\n", v[(NR+1)/2]; else printf "%.0f\n", (v[NR/2]+v[NR/2+1])/2}'
}
values() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.results" | sort -g; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }

echo "$rounds rounds x $seconds s per run; wrk -t $wrk_threads -c $wrk_connections (keep-alive)"
if [ "$warmup" -gt 0 ]; then
  echo "warm-up: $warmup s per server"
  for c in "${cases[@]}"; do
    timeout $((warmup + 60)) wrk "${wrk_args[@]}" -d "${warmup}s" "$(url "$c")" >"$work/$c.warmup.txt" 2>&1 || true
  done
fi
for r in $(seq "$rounds"); do
  echo "round $r/$rounds"
  # Odd rounds go one way, even rounds the other: no case always follows the same one.
  if [ $((r % 2)) -eq 1 ]; then order=("${cases[@]}"); else order=(nginx.2 ours.2 nginx.1 ours.1); fi
  for c in "${order[@]}"; do run "$c"; done
done

# ---- report
k() { awk -v v="$1" 'BEGIN {printf "%.1f", v / 1000}'; }
label() {
  case $1 in
    ours.*) echo "ours: HttpServer netthread=${1#ours.}" ;;
    nginx.*) echo "nginx: worker_processes ${1#nginx.}" ;;
  esac
}
echo
echo "## Results: medians of $rounds runs of $seconds s"
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $("$nginx" -v 2>&1 | sed 's/.*: //'), $(wrk --version 2>&1 | head -1 | awk '{print "wrk", $2}')"
echo "wrk -t $wrk_threads -c $wrk_connections, GET /hello, $((${#body} + 1)) B body"
echo
echo "| case | QPS | p50 | p99 |"
echo "|-|-|-|-|"
for c in "${cases[@]}"; do
  echo "| $(label "$c") | $(k "$(field "$c" qps)")k | $(field "$c" p50_us) us | $(field "$c" p99_us) us |"
done
echo
echo "| ours/nginx | QPS | p50 | p99 |"
echo "|-|-|-|-|"
for n in 1 2; do
  echo "| netthread=$n / worker_processes $n | $(ratio "$(field "ours.$n" qps)" "$(field "nginx.$n" qps)")" \
    "| $(ratio "$(field "ours.$n" p50_us)" "$(field "nginx.$n" p50_us)")" \
    "| $(ratio "$(field "ours.$n" p99_us)" "$(field "nginx.$n" p99_us)") |"
done
echo
echo "Spread over the runs (min / median / max):"
echo
echo "| case | QPS | p99 |"
echo "|-|-|-|"
for c in "${cases[@]}"; do
  printf '| %s | %sk / %sk / %sk | %s / %s / %s us |\n' "$(label "$c")" \
    "$(k "$(values "$c" qps | head -1)")" "$(k "$(field "$c" qps)")" "$(k "$(values "$c" qps | tail -1)")" \
    "$(values "$c" p99_us | head -1)" "$(field "$c" p99_us)" "$(values "$c" p99_us | tail -1)"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$server_merge" = 1 ]; then
  where="the servant runs inside the network threads"
else
  where="the servant runs in $server_threads handle threads beside the network threads"
fi
echo "ours: adapter threads=$server_threads mergenetimp=$server_merge ($where); nginx: access_log off, server_tokens off."
echo "Headers differ slightly: nginx adds Date and Connection: keep-alive (see the responses above)."
if [ "$failures" -gt 0 ]; then
  echo "http.sh: $failures runs failed (see above)" >&2
  exit 1
fi
