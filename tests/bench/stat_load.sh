#!/usr/bin/env bash
# tarsstat under load (issue 19): starts one tarsstat on 127.0.0.1 (embedded store in a
# temporary directory, a short interval) and drives it with stat_load: REPORTERS simulated
# servers x ROWS distinct rows per interval, from one process. Prints per interval the
# report time and rows/s, tarsstat's flush time and its CPU use; exits 1 when tarsstat
# does not keep up.
#
#   tests/bench/stat_load.sh [BUILD_DIR]
#
# BUILD_DIR (default build): tarsstat and stat_load are built there unless TARS_BENCH_NO_BUILD=1.
# Settings (environment):
#   REPORTERS=1000 ROWS=500 BATCH=50 THREADS=8 INTERVALS=3 INTERVAL_SECONDS=20
#   STORE=sqlite (or mysql with TARS_TEST_MYSQL="host=...;port=...;user=...;password=;db=...")
# Every process it starts is stopped by pid when it exits (trap EXIT).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/tars-stat-load.XXXXXX")
bench_name=stat_load
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"

if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then ninja -C "$build" tarsstat stat_load >/dev/null; fi

interval=${INTERVAL_SECONDS:-20}
if [ "${STORE:-sqlite}" = mysql ]; then
  IFS=';' read -r -a parts <<<"${TARS_TEST_MYSQL:?STORE=mysql needs TARS_TEST_MYSQL}"
  declare -A kv=()
  for p in "${parts[@]}"; do kv[${p%%=*}]=${p#*=}; done
  db_section="  <db>
    dbtype = mysql
    dbhost = ${kv[host]}
    dbport = ${kv[port]}
    dbuser = ${kv[user]}
    dbpass = ${kv[password]:-}
    dbname = ${kv[db]}_stat_load
  </db>"
  mysql_client=$(command -v mariadb || command -v mysql)
  "$mysql_client" -h "${kv[host]}" -P "${kv[port]}" -u "${kv[user]}" --protocol=tcp \
    -e "DROP DATABASE IF EXISTS ${kv[db]}_stat_load; CREATE DATABASE ${kv[db]}_stat_load"
else
  db_section="  <db>
    dbtype = sqlite
    dbpath = $work/tars_monitor.sqlite
  </db>"
fi

# Two free loopback ports (the kernel's choice, released just before tarsstat binds them).
read -r stat admin < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
cat >"$work/tarsstat.conf" <<CONF
<tars>
  <application>
    <server>
      app = tars
      server = tarsstat
      localip = 127.0.0.1
      local = tcp -h 127.0.0.1 -p $admin -t 60000
      logpath = $work/log
      datapath = $work/data
      logLevel = INFO
      netthread = 1
      <tars.tarsstat.StatObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $stat -t 60000
        servant = tars.tarsstat.StatObj
        threads = 2
        maxconns = 10000
        queuecap = 100000
        queuetimeout = 60000
      </tars.tarsstat.StatObjAdapter>
    </server>
  </application>
$db_section
  <hashmap>
    insertIntervalSeconds = $interval
    maxreportrows = 10000
  </hashmap>
</tars>
CONF
"$build/framework/stat/tarsstat" --config="$work/tarsstat.conf" >"$work/tarsstat.out" 2>&1 &
pid=$!
pids+=("$pid")
bench_listen_port "$pid" "$stat" >/dev/null
bench_listen_port "$pid" "$admin" >/dev/null

echo "machine: $(nproc) cpu ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), store ${STORE:-sqlite}"
"$build/tests/bench/stat_load" --stat="tars.tarsstat.StatObj@tcp -h 127.0.0.1 -p $stat -t 60000" \
  --admin="AdminObj@tcp -h 127.0.0.1 -p $admin -t 60000" --pid="$pid" \
  --reporters="${REPORTERS:-1000}" --rows="${ROWS:-500}" --batch="${BATCH:-50}" --threads="${THREADS:-8}" \
  --intervals="${INTERVALS:-3}" --interval-seconds="$interval"
