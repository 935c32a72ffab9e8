#!/usr/bin/env bash
# Three hosts, a rolling publish, zero failed calls. The registry and tarspatch share one
# network namespace; three nodes have one each (joined by a bridge in a fifth), each with
# its own data root. HelloServer is deployed without an executable (nothing of the build
# tree is named on the nodes) and published with `tarsadmin publish` of the package the
# build makes. A client in the registry's namespace calls TestApp.HelloServer.HelloObj by
# name without pause while a second version (the same package with one more file, so
# another MD5) is published with `--rolling` (one node at a time, each waited for until it
# is active again), and then `tarsadmin rollback --rolling` brings the first version back.
# Not one call may fail: every stop is
# drained (the node has the registry drop the instance and waits drainWait before it
# stops it) and calls never written to a connection that closed are re-sent. At the end
# every node runs the first version again.
#
#   rolling_test.sh WORKDIR
#     with the programs in TARSREGISTRY, TARSNODE, TARSADMIN, TARSPATCH, HELLO_CALLER and
#     the package in HELLO_PACKAGE.
#
# Needs root (network namespaces) and iproute2; exits 77 (skipped, with the reason)
# where namespaces cannot be made. Every wait is bounded; every process it started is
# killed by pid on exit and the namespaces are deleted.
set -uo pipefail

work=${1:?usage: rolling_test.sh WORKDIR}
for var in TARSREGISTRY TARSNODE TARSADMIN TARSPATCH HELLO_CALLER; do
  [ -x "${!var:-}" ] || { echo "rolling: \$$var (${!var:-unset}) is not an executable" >&2; exit 1; }
done
[ -f "${HELLO_PACKAGE:-}" ] || { echo "rolling: \$HELLO_PACKAGE (${HELLO_PACKAGE:-unset}) is not a file" >&2; exit 1; }

skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"

suffix="tr$$"
hub="hub-$suffix"
hosts=(reg n1 n2 n3)
nodes=(n1 n2 n3)
declare -A addr=([reg]=10.202.0.1 [n1]=10.202.0.2 [n2]=10.202.0.3 [n3]=10.202.0.4)
pids=()

ns() { echo "$1-$suffix"; }
in_ns() { local h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }
log() { echo "[$(date +%T.%3N)] $*"; }

fail() {
  echo "FAILED: $*" >&2
  for f in "$work"/*.out; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 30 "$f"; }; done >&2
  exit 1
}

# Starts a program in host h's namespace in the background, output to OUT; sets STARTED
# to its pid (written from inside: `ip netns exec` may fork).
start_bg() {
  local h=$1 out=$2; shift 2
  rm -f "$out.pid"
  ip netns exec "$(ns "$h")" bash -c 'echo $$ >"$0.pid"; exec "$@"' "$out" "$@" >"$out" 2>&1 &
  local deadline=$(( $(date +%s) + 10 ))
  while [ ! -s "$out.pid" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$*: did not start"
    sleep 0.05
  done
  STARTED=$(<"$out.pid")
  pids+=("$STARTED")
}

cleanup() {
  local pid f
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  # The servers the nodes started run in sessions of their own: their pid files name them.
  while IFS= read -r f; do
    pid=$(tr -dc 0-9 <"$f")
    [ -n "$pid" ] && grep -qs -- "$work" "/proc/$pid/cmdline" && kill -9 "$pid" 2>/dev/null
  done < <(find "$work" -name '*.pid' 2>/dev/null)
  for h in "${hosts[@]}"; do ip netns del "$(ns "$h")" 2>/dev/null; done
  ip netns del "$hub" 2>/dev/null
  return 0
}
trap cleanup EXIT

wait_for() {  # what seconds command...: bounded
  local what=$1 seconds=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not within ${seconds}s"
    sleep 0.2
  done
}
port_open() { in_ns "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

# ---- the network
ip netns add "$hub" 2>/dev/null || skip "cannot create network namespaces here ($(ip netns add "$hub" 2>&1))"
ip -n "$hub" link add br0 type bridge || fail "bridge"
ip -n "$hub" link set br0 up
for h in "${hosts[@]}"; do
  ip netns add "$(ns "$h")" || fail "netns $h"
  ip link add "e-$h-$$" type veth peer name "b-$h-$$" || skip "cannot create veth pairs here"
  ip link set "e-$h-$$" netns "$(ns "$h")"
  ip link set "b-$h-$$" netns "$hub"
  ip -n "$hub" link set "b-$h-$$" master br0
  ip -n "$hub" link set "b-$h-$$" up
  ip -n "$(ns "$h")" link set "e-$h-$$" name eth0
  ip -n "$(ns "$h")" addr add "${addr[$h]}/24" dev eth0
  ip -n "$(ns "$h")" link set eth0 up
  ip -n "$(ns "$h")" link set lo up
done
log "namespaces up: registry and tarspatch ${addr[reg]}, nodes ${addr[n1]} ${addr[n2]} ${addr[n3]}"

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
locator="tars.tarsregistry.QueryObj@tcp -h ${addr[reg]} -p 17890"
adminreg="tars.tarsregistry.AdminRegObj@ssl -h ${addr[reg]} -p 12000"
patchobj="tars.tarspatch.PatchObj@ssl -h ${addr[reg]} -p 18793"

# ---- certificates: one CA; a certificate per host (server and client), one for tarsadmin
certs=$work/certs
mkdir -p "$certs"
make_cert() {  # name subject [subjectAltName]
  local name=$1 subject=$2 san=${3:-}
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/$name.key" 2>/dev/null || return 1
  openssl req -new -key "$certs/$name.key" -subj "$subject" -out "$certs/$name.csr" 2>/dev/null || return 1
  { echo "extendedKeyUsage=serverAuth,clientAuth"; [ -n "$san" ] && echo "subjectAltName=$san"; } >"$certs/$name.ext"
  openssl x509 -req -in "$certs/$name.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial -days 2 \
    -extfile "$certs/$name.ext" -out "$certs/$name.pem" 2>/dev/null
}
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/ca.key" 2>/dev/null &&
  openssl req -x509 -new -key "$certs/ca.key" -subj "/CN=rolling-ca" -days 2 -out "$certs/ca.pem" 2>/dev/null ||
  fail "making the test CA"
make_cert reg "/CN=tarsregistry" "IP:${addr[reg]}" || fail "certificate reg"
for h in "${nodes[@]}"; do make_cert "$h" "/CN=tarsnode-$h" "IP:${addr[$h]}" || fail "certificate $h"; done
make_cert admin "/CN=tarsadmin" || fail "certificate admin"
tls_keys() {  # host: the TLS keys of its server and client sections
  printf 'ca = %s\ncert = %s\nkey = %s\n' "$certs/ca.pem" "$certs/$1.pem" "$certs/$1.key"
}
admin() {
  in_ns reg "$TARSADMIN" --registry="$adminreg" --timeout=10000 \
    --ca="$certs/ca.pem" --cert="$certs/admin.pem" --key="$certs/admin.key" "$@"
}
node_subjects="CN=tarsnode-n1;CN=tarsnode-n2;CN=tarsnode-n3"

# ---- the registry (embedded store) and tarspatch, on the first host
mkdir -p "$work/reg" "$work/patch"
cat >"$work/reg/tarsregistry.conf" <<EOF
<tars>
  <application>
    <server>
      app = tars
      server = tarsregistry
      localip = ${addr[reg]}
      local = tcp -h 127.0.0.1 -p 17897 -t 10000
      basepath = $work/reg
      datapath = $work/reg/data
      logpath = $work/reg/log
$(tls_keys reg)
      verifyclient = 1
      <tars.tarsregistry.QueryObjAdapter>
        endpoint = tcp -h ${addr[reg]} -p 17890 -t 60000
        servant = tars.tarsregistry.QueryObj
        threads = 2
      </tars.tarsregistry.QueryObjAdapter>
      <tars.tarsregistry.RegistryObjAdapter>
        endpoint = ssl -h ${addr[reg]} -p 17891 -t 60000
        servant = tars.tarsregistry.RegistryObj
        threads = 2
        allowsubjects = $node_subjects
      </tars.tarsregistry.RegistryObjAdapter>
      <tars.tarsregistry.AdminRegObjAdapter>
        endpoint = ssl -h ${addr[reg]} -p 12000 -t 60000
        servant = tars.tarsregistry.AdminRegObj
        threads = 2
        allowsubjects = CN=tarsadmin
      </tars.tarsregistry.AdminRegObjAdapter>
    </server>
    <client>
$(tls_keys reg)
    </client>
  </application>
  <reap>
    loadObjectsInterval1 = 1
    nodeTimeout = 10
  </reap>
</tars>
EOF
cat >"$work/patch/tarspatch.conf" <<EOF
<tars>
  <application>
    <server>
      app = tars
      server = tarspatch
      localip = ${addr[reg]}
      local = tcp -h 127.0.0.1 -p 18797 -t 10000
      basepath = $work/patch
      datapath = $work/patch/data
      logpath = $work/patch/log
$(tls_keys reg)
      verifyclient = 1
      <tars.tarspatch.PatchObjAdapter>
        endpoint = ssl -h ${addr[reg]} -p 18793 -t 60000
        servant = tars.tarspatch.PatchObj
        threads = 2
        allowsubjects = CN=tarsadmin;$node_subjects
      </tars.tarspatch.PatchObjAdapter>
    </server>
  </application>
</tars>
EOF
start_bg reg "$work/registry.out" "$TARSREGISTRY" --config="$work/reg/tarsregistry.conf"
start_bg reg "$work/tarspatch.out" "$TARSPATCH" --config="$work/patch/tarspatch.conf"
wait_for "registry listening" 20 port_open reg "${addr[reg]}" 12000
wait_for "tarspatch listening" 20 port_open reg "${addr[reg]}" 18793

# ---- three nodes, each with a data root of its own; drainWait above the client's refresh
refresh_ms=5000
drain_ms=7000
start_node() {
  local h=$1 ip=${addr[$1]}
  mkdir -p "$work/$h"
  cat >"$work/$h/tarsnode.conf" <<EOF
<tars>
  <application>
    <client>
      locator = $locator
      refresh-endpoint-interval = 5000
$(tls_keys "$h")
    </client>
    <server>
      app = tars
      server = tarsnode
      localip = $ip
      local = tcp -h 127.0.0.1 -p 19387 -t 10000
      basepath = $work/$h
      datapath = $work/$h/data
      logpath = $work/$h/log
$(tls_keys "$h")
      verifyclient = 1
      allowsubjects = CN=tarsregistry
      <tars.tarsnode.ServerObjAdapter>
        endpoint = tcp -h 127.0.0.1 -p 19386 -t 60000
        servant = tars.tarsnode.ServerObj
        threads = 2
      </tars.tarsnode.ServerObjAdapter>
      <tars.tarsnode.NodeObjAdapter>
        endpoint = ssl -h $ip -p 19385 -t 60000
        servant = tars.tarsnode.NodeObj
        threads = 2
      </tars.tarsnode.NodeObjAdapter>
    </server>
  </application>
  <node>
    registryObj = tars.tarsregistry.RegistryObj@ssl -h ${addr[reg]} -p 17891
    patchObj = $patchobj
    drainWait = $drain_ms
    <keepalive>
      heartTimeout = 20
      monitorInterval = 1
      reportAliveInterval = 2
      synStatInterval = 5
      serverKeepAliveInterval = 1000
    </keepalive>
  </node>
</tars>
EOF
  start_bg "$h" "$work/node-$h.out" "$TARSNODE" --config="$work/$h/tarsnode.conf" --nodeid="$ip"
}
for h in "${nodes[@]}"; do start_node "$h"; done
nodes_registered() {
  local names h
  names=$(admin nodes) || return 1
  for h in "${nodes[@]}"; do grep -qF "${addr[$h]}" <<<"$names" || return 1; done
}
wait_for "three nodes registered" 30 nodes_registered
log "nodes registered"

# ---- the two packages: the build's, and the same with one more file (another MD5)
v1_pkg=$work/HelloServer-1.tgz
v2_pkg=$work/HelloServer-2.tgz
cp "$HELLO_PACKAGE" "$v1_pkg"
mkdir -p "$work/repack"
tar -xzf "$HELLO_PACKAGE" -C "$work/repack" || fail "unpacking $HELLO_PACKAGE"
[ -x "$work/repack/HelloServer/HelloServer" ] || fail "$HELLO_PACKAGE has no HelloServer/HelloServer"
echo "second version" >"$work/repack/HelloServer/RELEASE"
tar -czf "$v2_pkg" -C "$work/repack" HelloServer || fail "packing the second version"
[ "$(md5sum <"$v1_pkg")" != "$(md5sum <"$v2_pkg")" ] || fail "both packages have one MD5"

# ---- HelloServer deployed to the three nodes without an executable, then published
cat >"$work/hello-deploy.conf" <<EOF
<deploy>
  app = TestApp
  server = HelloServer
  node = ${addr[n1]};${addr[n2]};${addr[n3]}
  setting = active
  <adapters>
    <HelloObjAdapter>
      endpoint = tcp -h localip -p 20001 -t 60000
      servant = TestApp.HelloServer.HelloObj
      threads = 2
    </HelloObjAdapter>
  </adapters>
</deploy>
EOF
grep -q "executable" "$work/hello-deploy.conf" && fail "the deploy file names an executable"
admin --no-wait deploy "$work/hello-deploy.conf" >"$work/deploy.out" 2>&1 ||
  fail "tarsadmin deploy: $(cat "$work/deploy.out")"

# publish FILE VERSION [--node N]: the version id is given, so that one version published
# node by node is one version (and the first one published again is the kept one).
publish() {
  local file=$1 version=$2 out=$work/publish-$RANDOM.txt
  shift 2
  admin --wait=60 publish TestApp.HelloServer "$file" --version "$version" --patch "$patchobj" "$@" >"$out" 2>&1 ||
    fail "tarsadmin publish $file $version $*: $(cat "$out")"
  grep -q "version $version " "$out" || fail "tarsadmin publish $file $version $*: $(cat "$out")"
}
instance_active() {  # node: its instance's present state is active (list --json: one object a line)
  admin list --json | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
sys.exit(0 if any(r.get("server") == "HelloServer" and r.get("node") == sys.argv[1] and r.get("present") == "active"
                  for r in rows) else 1)' "${addr[$1]}"
}
# The version the HelloServer of a node runs: the versions/<id>/ folder of its executable.
running_version() {  # node
  local f p exe
  while IFS= read -r f; do
    p=$(tr -dc 0-9 <"$f")
    [ -n "$p" ] || continue
    exe=$(readlink -f "/proc/$p/exe" 2>/dev/null) || continue
    case "$exe" in */HelloServer) sed -n 's|.*/versions/\([^/]*\)/.*|\1|p' <<<"$exe"; return 0 ;; esac
  done < <(find "$work/$1" -name 'TestApp.HelloServer.pid')
  return 1
}
runs_version() { [ "$(running_version "$1")" = "$2" ]; }

v1="1-$(md5sum <"$v1_pkg" | cut -c1-8)"
v2="2-$(md5sum <"$v2_pkg" | cut -c1-8)"
publish "$v1_pkg" "$v1"
for h in "${nodes[@]}"; do
  wait_for "HelloServer $v1 active on $h" 60 instance_active "$h"
  wait_for "HelloServer answering on $h" 20 port_open reg "${addr[$h]}" 20001
  runs_version "$h" "$v1" || fail "$h runs '$(running_version "$h")', not $v1"
done
admin list
log "version $v1 runs on the three nodes"

# ---- a client calls by name all along
start_bg reg "$work/caller.out" "$HELLO_CALLER" --locator="$locator" --duration=600000 --interval=20 \
  --timeout=3000 --refresh=$refresh_ms --stop-file="$work/stop-caller"
calls() { grep -E '^[0-9]+ -?[0-9]+$' "$work/caller.out"; }
calls_ok() { [ "$(calls | awk '$2 == 0' | wc -l)" -ge "$1" ]; }
wait_for "first 100 answers" 30 calls_ok 100

# check_rollout VERSION STARTED_CALLS: every node runs VERSION, active and answering, and
# calls went on while the nodes were replaced.
check_rollout() {
  local version=$1 before=$2 h
  for h in "${nodes[@]}"; do
    wait_for "HelloServer active on $h" 60 instance_active "$h"
    wait_for "HelloServer answering on $h" 20 port_open reg "${addr[$h]}" 20001
    runs_version "$h" "$version" || fail "$h runs '$(running_version "$h")', not $version"
  done
  [ "$(calls | wc -l)" -gt "$before" ] || fail "no call ended during the rollout of $version"
  log "version $version runs on the three nodes; $(calls | awk '$2 != 0' | wc -l) failed calls so far"
}

# A rolling publish: tarsadmin installs one node at a time, each waited for until active.
before=$(calls | wc -l)
log "rolling publish of $v2"
publish "$v2_pkg" "$v2" --rolling --comment "second package"
check_rollout "$v2" "$before"

# A rollback (to the version recorded before the one running), rolling too.
before=$(calls | wc -l)
log "rollback"
out=$work/rollback.txt
admin --wait=60 rollback TestApp.HelloServer --rolling --patch "$patchobj" >"$out" 2>&1 ||
  fail "tarsadmin rollback: $(cat "$out")"
check_rollout "$v1" "$before"
admin versions TestApp.HelloServer
admin list

touch "$work/stop-caller"
caller_done() { grep -q '^calls ' "$work/caller.out"; }
wait_for "the caller's summary" 10 caller_done
calls >"$work/calls.txt"
total=$(wc -l <"$work/calls.txt")
failed=$(awk '$2 != 0' "$work/calls.txt" | wc -l)
log "calls $total, failed $failed"
[ "$failed" -eq 0 ] || fail "$failed calls failed during the rolling publish: $(awk '$2 != 0' "$work/calls.txt" | head -5 | tr '\n' ' ')"
[ "$total" -ge 500 ] || fail "only $total calls were made"
echo "PASSED"
