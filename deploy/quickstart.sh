#!/usr/bin/env bash
# The main job: installs what is missing, builds the tools and the Hello example, starts
# HelloServer from its config file, calls it in every call mode with HelloClient, stops
# the server and exits 0 when every step worked. Safe to run again.
#
#   deploy/quickstart.sh                  TARS_BUILD_DIR=build (default), TARS_JOBS=2
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tests/lib/deps.sh
tars_install_missing "${tars_build_packages[@]}"

build=${TARS_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "${TARS_JOBS:-2}" --target tars2cpp codec_demo HelloServer HelloClient

echo
echo "== tars2cpp: the IDL compiler =="
"$build/tools/tars2cpp/tars2cpp" --version
echo
echo "== examples/codec: a struct from Account.tars, encoded, decoded, printed =="
"$build/examples/codec/codec_demo"

# ---- Hello end to end: the server from examples/hello/HelloServer.conf (port 20001,
# admin port 20002), in a run directory of its own (its log goes to ./log there).
run_dir="$root/$build/quickstart"
mkdir -p "$run_dir"
cp examples/hello/HelloServer.conf "$run_dir/HelloServer.conf"
hello_port=20001

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_open "$hello_port"; then
  echo "quickstart: 127.0.0.1:$hello_port is already in use (a HelloServer still running?);" \
       "stop that process and run again" >&2
  exit 1
fi

echo
echo "== examples/hello: HelloServer --config=HelloServer.conf =="
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  return $status
}
trap stop_server EXIT
(cd "$run_dir" && exec "$root/$build/examples/hello/HelloServer" --config=HelloServer.conf) \
  >"$run_dir/HelloServer.out" 2>&1 &
server_pid=$!

# Ready when the port accepts a connection: polled for at most 15 s.
for _ in $(seq 1 150); do
  port_open "$hello_port" && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "quickstart: HelloServer exited at start:" >&2
    cat "$run_dir/HelloServer.out" >&2
    server_pid=""
    exit 1
  fi
  sleep 0.1
done
if ! port_open "$hello_port"; then
  echo "quickstart: HelloServer did not listen on $hello_port within 15 s" >&2
  exit 1
fi
echo "HelloServer is up (pid $server_pid), serving TestApp.HelloServer.HelloObj on 127.0.0.1:$hello_port"

echo
echo "== examples/hello: HelloClient, every call mode =="
client_status=0
"$build/examples/hello/HelloClient" --obj="TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p $hello_port" \
  || client_status=$?

echo
echo "== stopping HelloServer (SIGTERM) =="
server_status=0
stop_server || server_status=$?
trap - EXIT
echo "HelloServer exited with status $server_status; its log: $run_dir/log/TestApp/HelloServer/"

if [ $client_status -ne 0 ] || [ $server_status -ne 0 ]; then
  echo "quickstart: FAILED (HelloClient $client_status, HelloServer $server_status)" >&2
  exit 1
fi
echo
echo "quickstart: done. Generate code for your own IDL with:"
echo "  $build/tools/tars2cpp/tars2cpp --dir=OUT_DIR your.tars"
