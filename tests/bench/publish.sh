#!/usr/bin/env bash
# Issue 21 point 8: how long a 50 MB package takes to reach three nodes. One tarsregistry
# (embedded store), one tarspatch and three tarsnode processes, each node with a data root
# of its own and its own loopback address (127.0.0.2, .3, .4: HelloServer listens on the
# same port on each), TestApp.HelloServer deployed on the three without an executable
# path. The package is HelloServer's (tars_package()) plus a file of random bytes
# (incompressible), about PACKAGE_MB MiB as a .tgz. Each run publishes it as a new version
# with `tarsadmin publish --json` and times it from the start of the command until it
# exits, which is when every node has downloaded, checked, unpacked, switched, restarted
# HelloServer and reported the version (the run fails unless all three report ok, each
# node's bin/ points at the version, and `tarsadmin list` shows the three active after).
# Prints every run and the median.
#
#   tests/bench/publish.sh [BUILD_DIR]
#
# BUILD_DIR (or TARS_BENCH_BUILD_DIR; default build): built (tarsregistry, tarsnode,
# tarspatch, tarsadmin, HelloServer and its package) unless TARS_BENCH_NO_BUILD=1.
# Settings (environment):
#   RUNS=5  PACKAGE_MB=50  CHUNKSIZE=1048576 (tarspatch's download chunk, bytes)
#   TARS_BENCH_KEEP_LOGS=DIR  copies every process's output, the configs and logs there
# Every process it starts is stopped by pid when it exits (trap EXIT); the servers the
# nodes started are stopped through tarsadmin first, then by the nodes' pid files.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TARS_BENCH_BUILD_DIR:-$root/build}}
runs=${RUNS:-5}
package_mb=${PACKAGE_MB:-50}
chunksize=${CHUNKSIZE:-1048576}
for v in runs package_mb chunksize; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "publish.sh: $v must be a whole number, not '${!v}'" >&2; exit 2; }
done

if [ "${TARS_BENCH_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$build" -j "${TARS_JOBS:-2}" --target tarsregistry tarsnode tarspatch tarsadmin HelloServer \
    HelloServer-tar
fi
registry_exe=$build/framework/registry/tarsregistry
node_exe=$build/framework/node/tarsnode
patch_exe=$build/framework/patch/tarspatch
admin_exe=$build/framework/admin/tarsadmin
hello_tar=$build/examples/hello/HelloServer-tar/HelloServer
for exe in "$registry_exe" "$node_exe" "$patch_exe" "$admin_exe" "$hello_tar/HelloServer"; do
  [ -x "$exe" ] || { echo "publish.sh: $exe is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tars-publish-bench.XXXXXX")
bench_name=publish.sh
# shellcheck source=lib.sh
source "$root/tests/bench/lib.sh"
nodes=(node1 node2 node3)

# Stops HelloServer on every node (so the nodes do not start it again), the nodes' servers
# still running (by the pid files under their data roots), then the processes in pids.
stop_everything() {
  if [ -n "${adminreg:-}" ]; then
    "$admin_exe" --registry="$adminreg" --timeout=20000 stop TestApp.HelloServer >/dev/null 2>&1 || true
  fi
  local file pid
  for file in "$work"/node*/data/*/*.pid; do
    [ -s "$file" ] || continue
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$work/" || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
  bench_stop_all
}
trap stop_everything EXIT

fail() {
  echo "publish.sh: $*" >&2
  local f
  for f in "$work"/*.out "$work"/run*.err; do
    [ -s "$f" ] && { echo "---- $f" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}
wait_for() {  # wait_for WHAT SECONDS COMMAND...: polls every 0.1 s, bounded
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "$what: not within $seconds s"
}

# ---- registry
query_port=$(bench_free_port); registry_port=$(bench_free_port); adminreg_port=$(bench_free_port)
mkdir -p "$work/registry"
cat >"$work/registry/tarsregistry.conf" <<EOF
<tars>
  <application>
    <server>
      app = tars
      server = tarsregistry
      localip = 127.0.0.1
      basepath = $work/registry
      datapath = $work/registry/data
      logpath = $work/registry/log
      logLevel = ERROR
      <tars.tarsregistry.QueryObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $query_port -t 60000
        servant = tars.tarsregistry.QueryObj
        threads = 2
      </tars.tarsregistry.QueryObjAdapter>
      <tars.tarsregistry.RegistryObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $registry_port -t 60000
        servant = tars.tarsregistry.RegistryObj
        threads = 2
      </tars.tarsregistry.RegistryObjAdapter>
      <tars.tarsregistry.AdminRegObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $adminreg_port -t 60000
        servant = tars.tarsregistry.AdminRegObj
        threads = 4
      </tars.tarsregistry.AdminRegObjAdapter>
    </server>
  </application>
  <reap>
    loadObjectsInterval1 = 1
  </reap>
</tars>
EOF
"$registry_exe" --config="$work/registry/tarsregistry.conf" >"$work/registry.out" 2>&1 &
pids+=("$!")
bench_listen_port "$!" "$adminreg_port" >/dev/null || fail "the registry did not start"
adminreg="tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p $adminreg_port -t 60000"
admin() { "$admin_exe" --registry="$adminreg" "$@"; }

# ---- tarspatch
patch_port=$(bench_free_port)
mkdir -p "$work/patch"
cat >"$work/patch/tarspatch.conf" <<EOF
<tars>
  <application>
    <server>
      app = tars
      server = tarspatch
      localip = 127.0.0.1
      basepath = $work/patch
      datapath = $work/patch/data
      logpath = $work/patch/log
      logLevel = ERROR
      <tars.tarspatch.PatchObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $patch_port -t 60000
        servant = tars.tarspatch.PatchObj
        threads = 4
      </tars.tarspatch.PatchObjAdapter>
    </server>
  </application>
  <patch>
    chunksize = $chunksize
  </patch>
</tars>
EOF
"$patch_exe" --config="$work/patch/tarspatch.conf" >"$work/patch.out" 2>&1 &
pids+=("$!")
patch_pid=$!
bench_listen_port "$!" "$patch_port" >/dev/null || fail "tarspatch did not start"
patch_obj="tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p $patch_port -t 60000"

# ---- three nodes
node_pids=()
for n in "${nodes[@]}"; do
  dir=$work/$n
  mkdir -p "$dir"
  node_port=$(bench_free_port); server_port=$(bench_free_port)
  cat >"$dir/tarsnode.conf" <<EOF
<tars>
  <application>
    <client>
      locator = tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p $query_port -t 60000
    </client>
    <server>
      app = tars
      server = tarsnode
      localip = 127.0.0.1
      basepath = $dir
      datapath = $dir/data
      logpath = $dir/log
      logLevel = ERROR
      <tars.tarsnode.ServerObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $server_port -t 60000
        servant = tars.tarsnode.ServerObj
        threads = 2
      </tars.tarsnode.ServerObjAdapter>
      <tars.tarsnode.NodeObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p $node_port -t 60000
        servant = tars.tarsnode.NodeObj
        threads = 4
        queuetimeout = 70000
      </tars.tarsnode.NodeObjAdapter>
    </server>
  </application>
  <node>
    registryObj = tars.tarsregistry.RegistryObj@tcp -h 127.0.0.1 -p $registry_port -t 60000
    nodename = $n
    <keepalive>
      monitorInterval = 1
      reportAliveInterval = 2
    </keepalive>
  </node>
  <app_conf>
    <default>
      # HelloServer cannot start before its first version: no punishment for that
      ActivatorMaxCount = 100000
    </default>
  </app_conf>
</tars>
EOF
  "$node_exe" --config="$dir/tarsnode.conf" >"$work/$n.out" 2>&1 &
  pids+=("$!")
  node_pids+=("$!")
  bench_listen_port "$!" "$node_port" >/dev/null || fail "$n did not start"
done
all_registered() {
  local names
  names=$(admin nodes) || return 1
  for n in "${nodes[@]}"; do grep -qw "$n" <<<"$names" || return 1; done
}
wait_for "the three nodes registered" 30 all_registered

# ---- HelloServer on the three nodes (each on a port of its own), without an executable
# path (a published server)
# (one file per node: a deploy file names a servant once)
for n in "${nodes[@]}"; do
  cat >"$work/hello-deploy-$n.conf" <<EOF
<deploy>
  app = TestApp
  server = HelloServer
  node = $n
  setting = active
  <adapters>
    <TestApp.HelloServer.HelloObjAdapter>
      endpoint = tcp -h 127.0.0.1 -p $(bench_free_port) -t 60000
      servant = TestApp.HelloServer.HelloObj
      threads = 2
    </TestApp.HelloServer.HelloObjAdapter>
  </adapters>
</deploy>
EOF
  # --no-wait: HelloServer cannot start before its first version is published
  admin --no-wait deploy "$work/hello-deploy-$n.conf" >>"$work/deploy.out" 2>&1 ||
    fail "tarsadmin deploy on $n: $(cat "$work/deploy.out")"
done

# ---- the package: HelloServer's, plus random bytes
mkdir -p "$work/package/HelloServer"
cp -a "$hello_tar"/. "$work/package/HelloServer/"
exe_bytes=$(du -sb "$work/package/HelloServer" | cut -f1)
random_bytes=$((package_mb * 1048576 - exe_bytes / 2))  # the executable compresses to about half
((random_bytes > 0)) || random_bytes=1
head -c "$random_bytes" /dev/urandom >"$work/package/HelloServer/payload.bin"
tar -czf "$work/HelloServer.tgz" -C "$work/package" HelloServer
rm -rf "$work/package"
package_bytes=$(stat -c %s "$work/HelloServer.tgz")

echo "publish.sh: $(nproc) CPU(s) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $runs runs"
echo "package: $package_bytes bytes ($(awk -v b="$package_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)," \
  "3 nodes, tarspatch chunksize $chunksize"

# cpu_seconds PID...: the CPU time (user + system) the processes used so far.
cpu_seconds() {
  local pid ticks=0 fields
  for pid in "$@"; do
    read -ra fields < <(sed 's/.*) //' "/proc/$pid/stat")
    ticks=$((ticks + fields[11] + fields[12]))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
all_active() { [ "$(admin list | grep -c '^TestApp.HelloServer .* active  *active ')" = 3 ]; }
times=()
for ((run = 1; run <= runs; run++)); do
  version=bench-$run-$$
  patch_cpu=$(cpu_seconds "$patch_pid"); nodes_cpu=$(cpu_seconds "${node_pids[@]}")
  start=$(date +%s.%N)
  status=0
  TIMEFORMAT='%3U %3S'
  { time admin --wait=300 publish TestApp.HelloServer "$work/HelloServer.tgz" --patch "$patch_obj" \
    --version "$version" --json >"$work/run$run.json" 2>"$work/run$run.err" || status=$?; } 2>"$work/run$run.time"
  end=$(date +%s.%N)
  [ "$status" = 0 ] || fail "run $run: tarsadmin publish exited with $status: $(cat "$work/run$run.json")"
  ok=$(grep -c '"ok": true' "$work/run$run.json" || true)
  [ "$ok" = 3 ] || fail "run $run: $ok of 3 nodes took $version: $(cat "$work/run$run.json")"
  for n in "${nodes[@]}"; do
    target=$(readlink "$work/$n/data/TestApp.HelloServer/bin" || true)
    [ "$target" = "versions/$version/HelloServer" ] || fail "run $run: $n's bin/ is '$target', not $version"
  done
  wait_for "HelloServer $version active on the three nodes" 30 all_active
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  times+=("$seconds")
  # Where the time went: the upload ends when tarspatch wrote the version's last byte (its
  # mtime); each node switched bin/ (the link's own mtime) after downloading and unpacking.
  uploaded=$(stat -c '%.3Y' "$work/patch/data/patchs/tars.upload/TestApp.HelloServer/$version.tgz")
  switched=""
  for n in "${nodes[@]}"; do
    switched+=" $n $(awk -v a="$start" -v b="$(stat -c '%.3Y' "$work/$n/data/TestApp.HelloServer/bin")" \
      'BEGIN { printf "%.2f", b - a }')"
  done
  echo "run $run: $seconds s (upload done at $(awk -v a="$start" -v b="$uploaded" 'BEGIN { printf "%.2f", b - a }') s;" \
    "bin/ switched at:$switched s)"
  echo "  CPU seconds: tarsadmin $(awk '{ printf "%.2f", $1 + $2 }' "$work/run$run.time")," \
    "tarspatch $(awk -v a="$patch_cpu" -v b="$(cpu_seconds "$patch_pid")" 'BEGIN { printf "%.2f", b - a }')," \
    "3 nodes $(awk -v a="$nodes_cpu" -v b="$(cpu_seconds "${node_pids[@]}")" 'BEGIN { printf "%.2f", b - a }')"
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median: $median s from the start of tarsadmin publish to every node reporting the version"
