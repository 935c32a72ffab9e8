#!/usr/bin/env bash
# A /metrics scrape of a busy server (issue 20: 10,000 connections and 1,000 series answer
# in under 50 ms): starts ops_scrape as a server (PROPERTIES user properties x 5 policies,
# an ops endpoint), opens CONNECTIONS connections to it from ops_scrape --drive, and times
# SCRAPES scrapes one after another. Prints the series count and the median / p90 / max
# scrape time; exits 1 when the median is over LIMIT_MS.
#
#   tests/bench/ops_scrape.sh [BUILD_DIR]
#
# BUILD_DIR (default build): ops_scrape is built there unless TARS_BENCH_NO_BUILD=1.
# Settings (environment): CONNECTIONS=10000 PROPERTIES=200 SCRAPES=30 LIMIT_MS=50
# The file-descriptor limit is raised for both processes (needs a hard limit above
# CONNECTIONS + 100). Every process it starts is stopped by pid when it exits.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/tars-ops-scrape.XXXXXX")
bench_name=ops_scrape
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then ninja -C "$build" ops_scrape >/dev/null; fi
connections=${CONNECTIONS:-10000}
ulimit -n $((connections + 1024))

read -r port ops < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
cat >"$work/server.conf" <<CONF
<tars>
  <application>
    <server>
      app = Bench
      server = ScrapeServer
      localip = 127.0.0.1
      ops = tcp -h 127.0.0.1 -p $ops -t 600000
      logpath = $work/log
      datapath = $work/data
      logLevel = ERROR
      <Bench.ScrapeServer.BenchObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $port -t 600000
        servant = Bench.ScrapeServer.BenchObj
        protocol = http
        threads = 1
        maxconns = $((connections + 100))
      </Bench.ScrapeServer.BenchObjAdapter>
    </server>
    <client>
      report-interval = 1000
    </client>
  </application>
  <bench>
    properties = ${PROPERTIES:-200}
  </bench>
</tars>
CONF
"$build/tests/bench/ops_scrape" --config="$work/server.conf" >"$work/server.out" 2>&1 &
pid=$!
pids+=("$pid")
bench_listen_port "$pid" "$port" >/dev/null
bench_listen_port "$pid" "$ops" >/dev/null

echo "machine: $(nproc) cpu ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
result=$("$build/tests/bench/ops_scrape" --drive --port="$port" --ops="$ops" --connections="$connections" \
  --scrapes="${SCRAPES:-30}")
echo "$result"
median=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$result")
limit=${LIMIT_MS:-50}
if awk -v m="$median" -v l="$limit" 'BEGIN { exit !(m > l) }'; then
  echo "ops_scrape: median scrape ${median} ms is over ${limit} ms" >&2
  exit 1
fi
