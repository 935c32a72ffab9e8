# Shared by the bench scripts (compare.sh, http.sh, instructions.sh): the processes a
# script starts and the ports they listen on. Source it after setting bench_name (used in
# messages) and work (the script's temporary directory); add the pid of every process
# started to pids.
# shellcheck shell=bash

: "${bench_name:?set bench_name before sourcing lib.sh}" "${work:?set work before sourcing lib.sh}"
pids=()

# Stops every process in pids (TERM, then KILL after 5 s), keeps the logs when
# TARS_BENCH_KEEP_LOGS names a directory, and removes $work. Installed as the EXIT trap.
bench_stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${TARS_BENCH_KEEP_LOGS:-}" ]; then mkdir -p "$TARS_BENCH_KEEP_LOGS" && cp -r "$work"/. "$TARS_BENCH_KEEP_LOGS"/; fi
  rm -rf "$work"
}
trap bench_stop_all EXIT

# bench_listen_port PID [PORT] [SKIP]: the TCP port PID listens on, once it listens (10 s
# at most, or bench_listen_tries x 25 ms); with PORT, only that port counts; with SKIP,
# that port does not (a second listener such as the ops endpoint). Fails when the process
# exits first.
bench_listen_port() {
  local pid=$1 want=${2:-} skip=${3:-} line
  for _ in $(seq "${bench_listen_tries:-400}"); do
    line=$(ss -Hltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | sed 's/.*://' |
      { if [ -n "$want" ]; then grep -x "$want"; else cat; fi; } |
      { if [ -n "$skip" ]; then grep -vx "$skip"; else cat; fi; } | head -1 || true)
    if [ -n "$line" ]; then echo "$line"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
  done
  echo "$bench_name: pid $pid does not listen${want:+ on port $want}" >&2
  return 1
}

# bench_unix_listening PID PATH: waits (10 s at most) until PID listens on the Unix-domain
# socket PATH. Fails when the process exits first.
bench_unix_listening() {
  local pid=$1 path=$2
  for _ in $(seq "${bench_listen_tries:-400}"); do
    if ss -Hlxp 2>/dev/null | grep "pid=$pid," | grep -qF " $path "; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
  done
  echo "$bench_name: pid $pid does not listen on $path" >&2
  return 1
}

# bench_hello_conf DIR MERGENETIMP NETTHREAD THREADS MAXCONNS [CERTDIR [UNIXPATH]]: writes
# DIR/HelloServer.conf, a HelloServer listening on 127.0.0.1 at an ephemeral port, logging
# errors only. With CERTDIR (made by tests/tls/make_certs.sh) the endpoint is an ssl one
# with CERTDIR's server.pem and server.key (TLS; no client certificate asked for). With
# UNIXPATH (CERTDIR empty) it listens on that Unix-domain socket instead.
bench_hello_conf() {
  local dir=$1 merge=$2 netthread=$3 threads=$4 maxconns=$5 certs=${6:-} unix_path=${7:-}
  local transport=tcp tls="" address="-h 127.0.0.1 -p 0"
  if [ -n "$certs" ]; then
    transport=ssl
    tls="cert = $certs/server.pem
      key = $certs/server.key"
  elif [ -n "$unix_path" ]; then
    transport=unix
    address="-h $unix_path"
  fi
  mkdir -p "$dir/log"
  cat >"$dir/HelloServer.conf" <<EOF
<tars>
  <application>
    <server>
      app = TestApp
      server = HelloServer
      localip = 127.0.0.1
      basepath = $dir
      datapath = $dir
      logpath = $dir/log
      logLevel = ERROR
      netthread = $netthread
      mergenetimp = $merge
      $tls
      <TestApp.HelloServer.HelloObjAdapter>
        endpoint = $transport $address -t 600000
        servant = TestApp.HelloServer.HelloObj
        protocol = tars
        threads = $threads
        maxconns = $maxconns
        queuecap = 100000
        queuetimeout = 5000
      </TestApp.HelloServer.HelloObjAdapter>
    </server>
  </application>
</tars>
EOF
}

# bench_start_collector: an OpenTelemetry collector stand-in, tests/bench/otlp_sink of
# $build (answers 200 to every POST, keeps nothing, keeps connections open as HTTP/1.1
# allows, as the real collector does), on an ephemeral loopback port; its pid goes to pids,
# its traces URL to collector_url. A compiled one: it runs on the same cores as the
# benchmark, and costs it far less CPU than a Python stand-in did.
bench_start_collector() {
  local sink=$build/tests/bench/otlp_sink pid
  [ -x "$sink" ] || { echo "$bench_name: $sink is missing (target otlp_sink)" >&2; exit 1; }
  "$sink" >"$work/collector.out" 2>&1 &
  pid=$!
  pids+=("$pid")
  collector_url="http://127.0.0.1:$(bench_listen_port "$pid")/v1/traces"
}

# bench_free_port: a loopback TCP port free at the moment of asking.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
