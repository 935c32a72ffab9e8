#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts the framework on 127.0.0.1 with
# the embedded store (registry and node; the node runs the config service, the
# observability services and the package store, deployed like any server: tarsstat,
# tarsproperty, tarsnotify, tarslog, tarsquerystat, tarsqueryproperty, tarspatch) and the
# web console (tarsweb, its admin password generated and kept in
# <build>/quickstart/console.txt, mode 0600: url=, user=, password= lines), deploys
# HelloServer from examples/hello/deploy.conf with tarsadmin (no executable path: the node
# runs what is published) and publishes the package the build made (HelloServer.tgz,
# uploaded to tarspatch, installed by the node), has HelloClient call it by
# name through the locator in every call mode, shows `tarsadmin list`, then what the
# services saw of it (`tarsadmin stat`, `events`, `log`), and leaves it all running. The
# quickstart reports every 10 s and stores every 10 s (a deployment's defaults: 60 s and
# 5 minutes), so the figures show within a minute.
#
#   deploy/quickstart.sh          build, start, deploy, call     TARS_BUILD_DIR=build, TARS_JOBS=2
#   deploy/quickstart.sh stop     stop HelloServer and the framework services it started
#
# Safe to run again, from this or another build directory: the framework a previous run
# left running (found through a record in the runtime directory, and the pid files of
# that run's node: servers it left running are stopped too) is stopped first and the
# output says what was replaced; at the end every process is checked to run this
# build's program (and the store is this build's). Ports
# (127.0.0.1): registry 17890 (QueryObj), 17891 (RegistryObj), 12000 (AdminRegObj);
# config 18193; stat 18293, querystat 18393, property 18493, notify 18593, queryproperty
# 18693, log 18993, patch 18793 (TARS's ports); web console 18893 (http); node 19385 (NodeObj), 19386 (ServerObj); admin ports
# 17897, 18197, 19387; HelloServer 20001; ops endpoints (HTTP, for Prometheus): registry
# 17899 (its /prometheus/targets lists every server with one), HelloServer 20003.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${TARS_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
run_dir="$build/quickstart"
pid_dir="$run_dir/pids"
services=(tarsregistry tarsnode)  # started in this order, stopped in reverse
# The framework's servers the node runs (deployed by this script, stopped before the node).
framework_servers=(tars.tarsconfig tars.tarsstat tars.tarsproperty tars.tarsnotify tars.tarslog tars.tarsquerystat
  tars.tarsqueryproperty tars.tarspatch tars.tarsweb)
locator="tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890"
tarsadmin="$build/framework/admin/tarsadmin"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid in pid_dir/NAME.pid if that process still runs the program NAME.
# The record of the run whose framework runs now: its run directory (one per user).
# (TARS_QUICKSTART_RECORD overrides it, for tests.)
record=${TARS_QUICKSTART_RECORD:-"${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/tars-quickstart-$(id -u).rundir"}

running_pid() {  # running_pid NAME [PID_DIR]
  local file="${2:-$pid_dir}/$1.pid" pid
  [ -s "$file" ] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$1" || return 1
  echo "$pid"
}

# Stops what a run started: the servers the node runs through tarsadmin (so that the
# node does not start them again), then node and registry by their pids (SIGTERM,
# SIGKILL after 20 s).
# SIGTERM, then SIGKILL after 20 s.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  return 0
}

# stop_all [RUN_DIR]: stops what the run in RUN_DIR (default: this one) started.
stop_all() {
  local dir=${1:-$run_dir} name pid i file
  local pids="$dir/pids"
  if pid=$(running_pid tarsregistry "$pids") && [ -x "$tarsadmin" ]; then
    for name in TestApp.HelloServer "${framework_servers[@]}"; do
      "$tarsadmin" --locator="$locator" --timeout=30000 stop "$name" >/dev/null 2>&1 &&
        echo "stopped $name (tarsadmin stop)"
    done
  fi
  for (( i=${#services[@]}-1; i>=0; i-- )); do
    name=${services[$i]}
    pid=$(running_pid "$name" "$pids") || { rm -f "$pids/$name.pid"; continue; }
    stop_pid "$pid"
    echo "stopped $name (pid $pid, $dir)"
    rm -f "$pids/$name.pid"
  done
  # Servers the node started outlive it: any still running (the registry was gone, or
  # tarsadmin could not stop them) is found through the node's pid files.
  local physical
  physical=$(cd "$dir" 2>/dev/null && pwd -P) || return 0
  for file in "$dir"/node/data/*/*.pid; do
    [ -s "$file" ] || continue
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    # Only a process started with a config of this node (pids are reused).
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$physical/node/" || continue
    stop_pid "$pid"
    echo "stopped $(basename "$file" .pid) (pid $pid, left running by the node of $dir)"
  done
}

# The framework of a quickstart run from another build directory, if it still runs.
replace_other_run() {
  local other
  [ -s "$record" ] || return 0
  other=$(<"$record")
  [ "$other" != "$run_dir" ] && [ -d "$other/pids" ] || return 0
  if running_pid tarsregistry "$other/pids" >/dev/null || running_pid tarsnode "$other/pids" >/dev/null ||
    compgen -G "$other/node/data/*/*.pid" >/dev/null; then
    echo "replacing the framework a quickstart in $other left running:"
    stop_all "$other"
  fi
}

stop_command="deploy/quickstart.sh stop"
[ -n "${TARS_BUILD_DIR:-}" ] && stop_command="TARS_BUILD_DIR=$TARS_BUILD_DIR $stop_command"

if [ "${1:-}" = stop ]; then
  stop_all
  [ -s "$record" ] && [ "$(<"$record")" = "$run_dir" ] && rm -f "$record"
  exit 0
elif [ $# -gt 0 ]; then
  echo "usage: deploy/quickstart.sh [stop]" >&2
  exit 2
fi

# TARS_QUICKSTART_SKIP_BUILD=1: the programs are in the build directory already (tests).
if [ "${TARS_QUICKSTART_SKIP_BUILD:-0}" != 1 ]; then
  source tests/lib/deps.sh
  tars_install_missing "${tars_build_packages[@]}"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target tars2cpp codec_demo HelloServer HelloServer-tar HelloClient \
    tarsregistry tarsconfig tarsnode tarsadmin tarsstat tarsproperty tarsnotify tarslog tarsquery tarspatch tarsweb
fi

echo
echo "== tars2cpp: the IDL compiler =="
"$build/tools/tars2cpp/tars2cpp" --version
echo
echo "== examples/codec: a struct from Account.tars, encoded, decoded, printed =="
"$build/examples/codec/codec_demo"

echo
echo "== the framework: registry and node on 127.0.0.1, one SQLite file =="
replace_other_run
stop_all
for port in 17890 17891 12000 18193 18293 18393 18493 18593 18693 18793 18893 18993 19385 19386 17897 17899 18197 19387 20001 20003; do
  if port_open "$port"; then
    echo "quickstart: 127.0.0.1:$port is already in use by another program; stop it and run again" >&2
    exit 1
  fi
done
# The registry's datapath ./data holds the store, framework/data/db_tars.sqlite. The node
# keeps its servers under node/data and node/log.
mkdir -p "$run_dir/framework" "$run_dir/node" "$pid_dir"
cp "$build/framework/registry/tarsregistry.conf" "$run_dir/framework/"
cp "$build/framework/node/tarsnode.conf" "$run_dir/node/"
# The config service is a server like any other: the node runs it, the registry
# publishes tars.tarsconfig.ConfigObj, servers find it by name. It opens the registry's
# store file.
cat >"$run_dir/tarsconfig.deploy.conf" <<EOF
# tarsconfig on this machine, sharing the registry's embedded store (written by quickstart.sh)
<deploy>
  app = tars
  server = tarsconfig
  node = 127.0.0.1
  executable = $build/framework/config/tarsconfig
  setting = active
  <profile>
    <tars>
      <db>
        dbpath = $run_dir/framework/data/db_tars.sqlite
      </db>
    </tars>
  </profile>
  <adapters>
    <tars.tarsconfig.ConfigObjAdapter>
      endpoint = tcp -h localip -p 18193 -t 60000
      servant = tars.tarsconfig.ConfigObj
      threads = 2
    </tars.tarsconfig.ConfigObjAdapter>
  </adapters>
</deploy>
EOF

# The observability services, each a server the node runs. stat and property write to one
# SQLite file each and their query services read it; notify keeps its own. They store every
# 10 s here (insertIntervalSeconds; TARS's default is 5 minutes). tarslog keeps the day logs
# servers send below its own log directory, where `tarsadmin log --remote` reads them.
monitor_db=$run_dir/framework/data
observability_section() {  # SERVER EXECUTABLE PORT SERVANT PROFILE_LINES
  cat <<EOF
<deploy>
  app = tars
  server = $1
  node = 127.0.0.1
  executable = $build/framework/$2
  setting = active
  <profile>
    <tars>
$5
    </tars>
  </profile>
  <adapters>
    <tars.$1.$4Adapter>
      endpoint = tcp -h localip -p $3 -t 60000
      servant = tars.$1.$4
      threads = 2
    </tars.$1.$4Adapter>
  </adapters>
</deploy>
EOF
}
{
  echo "# the observability services on this machine (written by quickstart.sh)"
  observability_section tarsstat stat/tarsstat 18293 StatObj \
    "      <db>
        dbpath = $monitor_db/tars_stat.sqlite
      </db>
      <hashmap>
        insertIntervalSeconds = 10
      </hashmap>"
  observability_section tarsquerystat query/tarsquery 18393 QueryObj \
    "      <db>
        dbpath = $monitor_db/tars_stat.sqlite
      </db>"
  observability_section tarsproperty property/tarsproperty 18493 PropertyObj \
    "      <db>
        dbpath = $monitor_db/tars_property.sqlite
      </db>
      <hashmap>
        insertIntervalSeconds = 10
      </hashmap>"
  observability_section tarsqueryproperty query/tarsquery 18693 QueryObj \
    "      <db>
        dbpath = $monitor_db/tars_property.sqlite
      </db>"
  observability_section tarsnotify notify/tarsnotify 18593 NotifyObj \
    "      <db>
        dbpath = $monitor_db/tars_notify.sqlite
      </db>"
  observability_section tarslog log/tarslog 18993 LogObj \
    "      <log>
        logpath = \${logpath}/tars/tarslog/remote
      </log>"
} >"$run_dir/observability.deploy.conf"
# The package store: PatchObj on 127.0.0.1 (a control object: loopback, or mutual TLS).
{
  echo "# the package store on this machine (written by quickstart.sh)"
  observability_section tarspatch patch/tarspatch 18793 PatchObj \
    "      <patch>
        maxuploadsize = 1073741824
      </patch>"
} >"$run_dir/patch.deploy.conf"
# The web console: plain http on 127.0.0.1 (tarsweb refuses plain http beyond loopback).
cat >"$run_dir/web.deploy.conf" <<EOF
# the web console on this machine (written by quickstart.sh)
<deploy>
  app = tars
  server = tarsweb
  node = 127.0.0.1
  executable = $build/framework/web/tarsweb
  setting = active
  <adapters>
    <tars.tarsweb.WebObjAdapter>
      endpoint = tcp -h localip -p 18893 -t 900000
      servant = tars.tarsweb.WebObj
      protocol = http
      threads = 2
    </tars.tarsweb.WebObjAdapter>
  </adapters>
</deploy>
EOF

# Starts NAME in DIR in a session of its own (it outlives this script), pid to pid_dir.
start_service() {
  local name=$1 dir=$2 exe=$3 pid
  (cd "$dir" && exec setsid "$exe" --config="$name.conf") >"$dir/$name.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_dir/$name.pid"
  echo "started $name (pid $pid) in $dir"
}
wait_until() {  # wait_until WHAT SECONDS COMMAND...: polls every 0.2 s, bounded
  local what=$1 seconds=$2 i; shift 2
  for (( i = 0; i < seconds * 5; i++ )); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "quickstart: $what: not within ${seconds} s" >&2
  for f in "$run_dir"/framework/*.out "$run_dir"/node/*.out; do
    [ -s "$f" ] && { echo "---- $f" >&2; tail -n 20 "$f" >&2; }
  done
  return 1
}
echo "$run_dir" >"$record"
start_service tarsregistry "$run_dir/framework" "$build/framework/registry/tarsregistry"
wait_until "the registry listening on 17890 and 12000" 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/17890 && exec 4<>/dev/tcp/127.0.0.1/12000"
start_service tarsnode "$run_dir/node" "$build/framework/node/tarsnode"
node_registered() { "$tarsadmin" --locator="$locator" nodes | grep -q '127\.0\.0\.1'; }
wait_until "the node registering with the registry" 30 node_registered
echo "nodes registered with the registry:"
"$tarsadmin" --locator="$locator" nodes
active() { "$tarsadmin" --locator="$locator" list | grep "^$1 " | grep -q ' active  *active '; }

echo
echo "== tarsadmin deploy tarsconfig.deploy.conf (the config service, run by the node) =="
"$tarsadmin" --locator="$locator" deploy "$run_dir/tarsconfig.deploy.conf"
wait_until "tarsconfig active" 60 active tars.tarsconfig

echo
echo "== tarsadmin deploy observability.deploy.conf (stat, property, notify, log and the query services) =="
"$tarsadmin" --locator="$locator" deploy "$run_dir/observability.deploy.conf"
echo
echo "== tarsadmin deploy patch.deploy.conf (tarspatch, the package store) =="
"$tarsadmin" --locator="$locator" deploy "$run_dir/patch.deploy.conf"
for name in tars.tarsstat tars.tarsproperty tars.tarsnotify tars.tarslog tars.tarsquerystat tars.tarsqueryproperty \
  tars.tarspatch; do
  wait_until "$name active" 60 active "$name"
done

echo
echo "== tarsadmin deploy web.deploy.conf (tarsweb, the web console) and web-password for admin =="
# The login lives in console.txt (mode 0600). A password a previous run wrote there is
# used again, so a browser's saved login keeps working; otherwise one is generated. It
# reaches tarsadmin on stdin (printf is a shell builtin: no command line shows it) and is
# never printed.
console_file=$run_dir/console.txt
console_url=http://127.0.0.1:18893/
console_password=
if [ -f "$console_file" ] && [ ! -L "$console_file" ] && [ -O "$console_file" ]; then
  console_password=$(sed -n 's/^password=\([A-Za-z0-9]\{20,128\}\)$/\1/p' "$console_file" | head -n 1)
fi
if [ -z "$console_password" ]; then
  console_password=$(head -c 48 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')
  console_password=${console_password:0:24}
  if [ ${#console_password} -lt 20 ]; then
    echo "quickstart: could not generate a console password from /dev/urandom" >&2
    exit 1
  fi
fi
printf '%s\n' "$console_password" | "$tarsadmin" --locator="$locator" web-password --user admin
# mktemp creates the file 0600 (O_EXCL); rename puts it in place: never readable by others.
console_tmp=$(mktemp "$run_dir/.console.txt.XXXXXX")
printf 'url=%s\nuser=admin\npassword=%s\n' "$console_url" "$console_password" >"$console_tmp"
mv -f "$console_tmp" "$console_file"
"$tarsadmin" --locator="$locator" deploy "$run_dir/web.deploy.conf"
wait_until "tarsweb active" 60 active tars.tarsweb
wait_until "tarsweb listening on 18893" 20 port_open 18893
# console.txt's login works: POST /api/login answers 200 (the body goes through printf, a
# builtin, straight to the socket).
console_login() {
  local body="{\"user\":\"admin\",\"password\":\"$console_password\"}" status
  status=$( (exec 5<>/dev/tcp/127.0.0.1/18893 &&
    printf 'POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      ${#body} "$body" >&5 && timeout 10 head -n 1 <&5) 2>/dev/null)
  [[ $status =~ ^HTTP/1\.[01]\ 200 ]]
}
console_status=0
console_login || console_status=1
[ $console_status -eq 0 ] && echo "the console takes the login in $console_file"

echo
echo "== tarsadmin deploy examples/hello/deploy.conf (no executable path: it runs what is published) =="
"$tarsadmin" --locator="$locator" deploy examples/hello/deploy.conf
echo
echo "== tarsadmin publish TestApp.HelloServer HelloServer.tgz (to tarspatch, then the node installs it) =="
"$tarsadmin" --locator="$locator" publish TestApp.HelloServer "$build/examples/hello/HelloServer.tgz" \
  --comment "deploy/quickstart.sh"
wait_until "HelloServer active (started by the node, first heartbeat in)" 60 active TestApp.HelloServer
wait_until "HelloServer listening on 20001" 20 port_open 20001
wait_until "HelloServer's ops endpoint listening on 20003" 20 port_open 20003

echo
echo "== HelloClient: TestApp.HelloServer.HelloObj by name, through the locator, every call mode =="
client_status=0
# --stat: HelloClient also reports the calls it made (its last report goes as it exits).
"$build/examples/hello/HelloClient" --locator="$locator" --stat=tars.tarsstat.StatObj || client_status=$?

echo
echo "== tarsadmin list =="
"$tarsadmin" --locator="$locator" list
echo
echo "== tarsadmin versions TestApp.HelloServer =="
"$tarsadmin" --locator="$locator" versions TestApp.HelloServer

# What the services saw: HelloServer reports the calls it served every 10 s (its
# deployment's report-interval), tarsstat stores every 10 s.
echo
echo "== tarsadmin stat TestApp.HelloServer (HelloClient's calls, as HelloServer served them) =="
stat_has_calls() {
  "$tarsadmin" --locator="$locator" stat TestApp.HelloServer --since 10m --json | grep -q '"count": [1-9]'
}
stat_status=0
wait_until "HelloClient's calls in tarsadmin stat" 90 stat_has_calls || stat_status=1
"$tarsadmin" --locator="$locator" stat TestApp.HelloServer --since 10m || stat_status=1
echo
echo "== tarsadmin stat TestApp.HelloServer --by caller (the same calls, as HelloClient counted them) =="
"$tarsadmin" --locator="$locator" stat TestApp.HelloServer --since 10m --by caller || stat_status=1
echo
echo "== tarsadmin events TestApp.HelloServer =="
"$tarsadmin" --locator="$locator" events TestApp.HelloServer --limit 5 || stat_status=1
echo
echo "== tarsadmin log TestApp.HelloServer --lines 5 =="
"$tarsadmin" --locator="$locator" log TestApp.HelloServer --lines 5 || stat_status=1

# Prometheus finds every server with an ops endpoint through the registry.
echo
echo "== the registry's /prometheus/targets (Prometheus's HTTP service discovery) =="
http_get() {  # http_get PORT PATH: the body of a GET on 127.0.0.1 (at most 10 s)
  (exec 5<>"/dev/tcp/127.0.0.1/$1" &&
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&5 &&
    timeout 10 cat <&5) 2>/dev/null | sed '1,/^\r$/d'
}
targets_list_hello() {
  local body
  body=$(http_get 17899 /prometheus/targets)
  [[ $body == *'"server":"HelloServer"'* ]]
}
targets_status=0
wait_until "HelloServer in the registry's /prometheus/targets" 30 targets_list_hello || targets_status=1
http_get 17899 /prometheus/targets || targets_status=1

# Every process runs this build's program, the registry this build's store.
echo
echo "== the programs running =="
binary_status=0
check_binary() {  # check_binary NAME PID PROGRAM
  local exe
  exe=$(readlink -f "/proc/$2/exe" 2>/dev/null || true)
  if [ "$exe" = "$(readlink -f "$3")" ]; then
    echo "$1: pid $2, $exe"
  else
    echo "quickstart: $1 (pid $2) runs '${exe:-?}', not $3" >&2
    binary_status=1
  fi
}
list_pid() {  # the pid tarsadmin list --json shows for APP SERVER
  "$tarsadmin" --locator="$locator" list --json | grep "\"app\":\"$1\"" | grep "\"server\":\"$2\"" |
    sed -n 's/.*"pid":\([0-9]*\).*/\1/p' | head -n 1
}
check_binary tarsregistry "$(running_pid tarsregistry)" "$build/framework/registry/tarsregistry"
check_binary tarsnode "$(running_pid tarsnode)" "$build/framework/node/tarsnode"
check_binary tars.tarsconfig "$(list_pid tars tarsconfig)" "$build/framework/config/tarsconfig"
check_binary tars.tarsstat "$(list_pid tars tarsstat)" "$build/framework/stat/tarsstat"
check_binary tars.tarsnotify "$(list_pid tars tarsnotify)" "$build/framework/notify/tarsnotify"
check_binary tars.tarspatch "$(list_pid tars tarspatch)" "$build/framework/patch/tarspatch"
check_binary tars.tarsweb "$(list_pid tars tarsweb)" "$build/framework/web/tarsweb"
# HelloServer runs the published version (the node's bin link points at it): this build's.
check_binary TestApp.HelloServer "$(list_pid TestApp HelloServer)" \
  "$run_dir/node/data/TestApp.HelloServer/bin/HelloServer"
if ! cmp -s "$build/examples/hello/HelloServer" "$run_dir/node/data/TestApp.HelloServer/bin/HelloServer"; then
  echo "quickstart: the published HelloServer is not $build/examples/hello/HelloServer" >&2
  binary_status=1
fi
echo "store: $run_dir/framework/data/db_tars.sqlite"

if [ $binary_status -ne 0 ]; then
  echo "quickstart: FAILED: a process runs another build's program (the framework is still up:" \
       "$stop_command)" >&2
  exit 1
fi
if [ $stat_status -ne 0 ]; then
  echo "quickstart: FAILED: the observability services did not show HelloServer's calls, events or log" \
       "(the framework is still up: $stop_command)" >&2
  exit 1
fi
if [ $targets_status -ne 0 ]; then
  echo "quickstart: FAILED: the registry's /prometheus/targets did not list HelloServer (the framework is" \
       "still up: $stop_command)" >&2
  exit 1
fi
if [ $console_status -ne 0 ]; then
  echo "quickstart: FAILED: the web console refused the login in $console_file (the framework is still up:" \
       "$stop_command)" >&2
  exit 1
fi
if [ $client_status -ne 0 ]; then
  echo "quickstart: FAILED: HelloClient exited with $client_status (the framework is still up:" \
       "$stop_command)" >&2
  exit 1
fi
cat <<EOF

quickstart: done. Everything is still running:
  registry: $run_dir/framework   (store: data/db_tars.sqlite, log: log/tars/tarsregistry/)
  node:     $run_dir/node        (its servers: data/<App>.<Server>/, log/<App>/<Server>/)
  console:  $console_url   (log in with the user and password in $console_file)
Try:
  $tarsadmin list
  $tarsadmin status TestApp.HelloServer
  $tarsadmin notify TestApp.HelloServer -- tars.viewstatus
  $tarsadmin restart TestApp.HelloServer
  $tarsadmin versions TestApp.HelloServer
  $tarsadmin publish TestApp.HelloServer $build/examples/hello/HelloServer.tgz --comment "my change"
  $tarsadmin rollback TestApp.HelloServer
  $tarsadmin stat TestApp.HelloServer --since 10m
  $tarsadmin events TestApp.HelloServer
  $tarsadmin log TestApp.HelloServer --follow
  $build/examples/hello/HelloClient --locator="$locator"
  curl http://127.0.0.1:20003/metrics          # HelloServer's figures for Prometheus
Scrape every server with an ops endpoint: add this to prometheus.yml
(the registry's /prometheus/targets lists them, labelled app, server, node and set):
  scrape_configs:
    - job_name: tars
      http_sd_configs:
        - url: http://127.0.0.1:17899/prometheus/targets
Stop everything:
  $stop_command
Generate code for your own IDL:
  $build/tools/tars2cpp/tars2cpp --dir=OUT_DIR your.tars
EOF
