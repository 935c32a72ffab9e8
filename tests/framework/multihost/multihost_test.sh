#!/usr/bin/env bash
# Several hosts, one registry: the registry and two nodes on three addresses, each in a
# network namespace of its own joined by a bridge (in a fourth namespace), so nothing of
# the machine's own network is touched. The framework's control objects (RegistryObj,
# AdminRegObj, NodeObj) are reachable from the other hosts, so they talk mutual TLS, each
# accepting only the subjects that should call it; QueryObj stays plain TCP. HelloServer is deployed to both nodes with
# tarsadmin; a client in the registry's namespace calls TestApp.HelloServer.HelloObj by
# name through the locator while one host's server and node are killed. It must keep
# getting answers from the other host: no call may fail later than the refresh bound
# after the kill, and the registry must then report the dead host's instance inactive.
#
#   multihost_test.sh WORKDIR
#     with the programs in TARSREGISTRY, TARSNODE, TARSADMIN, HELLO_SERVER, HELLO_CALLER.
#
# Needs root (network namespaces) and iproute2; exits 77 (skipped, with the reason)
# where namespaces cannot be made. Every wait is bounded; every process it started is
# killed by pid on exit and the namespaces are deleted.
set -uo pipefail

work=${1:?usage: multihost_test.sh WORKDIR}
for var in TARSREGISTRY TARSNODE TARSADMIN HELLO_SERVER HELLO_CALLER; do
  [ -x "${!var:-}" ] || { echo "multihost: \$$var (${!var:-unset}) is not an executable" >&2; exit 1; }
done

skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"

suffix="tm$$"
hub="hub-$suffix"
hosts=(reg n1 n2)
declare -A addr=([reg]=10.201.0.1 [n1]=10.201.0.2 [n2]=10.201.0.3)
pids=()

ns() { echo "$1-$suffix"; }
in_ns() { local h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }
# Starts a program in host h's namespace in the background, output to OUT; sets STARTED
# to its pid. `ip netns exec` may fork, so the pid comes from inside: the shell writes
# its own pid, then becomes the program.
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
now_ms() { date +%s%3N; }
log() { echo "[$(date +%T.%3N)] $*"; }

cleanup() {
  local pid f
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  # The servers the nodes started live in their own sessions: their pid files name them.
  while IFS= read -r f; do
    pid=$(tr -dc 0-9 <"$f")
    [ -n "$pid" ] && grep -qs -- "$work" "/proc/$pid/cmdline" && kill -9 "$pid" 2>/dev/null
  done < <(find "$work" -name '*.pid' 2>/dev/null)
  for h in "${hosts[@]}"; do ip netns del "$(ns "$h")" 2>/dev/null; done
  ip netns del "$hub" 2>/dev/null
  return 0
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  for f in "$work"/*.out; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 30 "$f"; }; done >&2
  exit 1
}

# Waits (bounded) until a command succeeds.
wait_for() {
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
log "namespaces up: registry ${addr[reg]}, nodes ${addr[n1]} ${addr[n2]}"

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
locator="tars.tarsregistry.QueryObj@tcp -h ${addr[reg]} -p 17890"
adminreg="tars.tarsregistry.AdminRegObj@ssl -h ${addr[reg]} -p 12000"

# ---- certificates: one CA; each host's certificate names its address (and serves as its
# client certificate too); tarsadmin has a client certificate of its own.
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
  openssl req -x509 -new -key "$certs/ca.key" -subj "/CN=multihost-ca" -days 2 -out "$certs/ca.pem" 2>/dev/null ||
  fail "making the test CA"
make_cert reg "/CN=tarsregistry" "IP:${addr[reg]}" || fail "certificate reg"
make_cert n1 "/CN=tarsnode-n1" "IP:${addr[n1]}" || fail "certificate n1"
make_cert n2 "/CN=tarsnode-n2" "IP:${addr[n2]}" || fail "certificate n2"
make_cert admin "/CN=tarsadmin" || fail "certificate admin"
make_cert stranger "/CN=tarsadmin-impostor" || fail "certificate stranger"
tls_keys() {  # host: the TLS keys of its server and client sections
  printf 'ca = %s\ncert = %s\nkey = %s\n' "$certs/ca.pem" "$certs/$1.pem" "$certs/$1.key"
}
admin() {
  in_ns reg "$TARSADMIN" --registry="$adminreg" --timeout=10000 \
    --ca="$certs/ca.pem" --cert="$certs/admin.pem" --key="$certs/admin.key" "$@"
}

# ---- the registry (embedded store); nodes time out after 6 s of silence
mkdir -p "$work/reg"
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
        allowsubjects = CN=tarsnode-n1;CN=tarsnode-n2
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
    nodeTimeout = 6
  </reap>
</tars>
EOF
# Without mutual TLS, a registry whose control objects other hosts can reach does not start.
sed 's/endpoint = ssl -h \(.*\) -p 12000/endpoint = tcp -h \1 -p 12000/' "$work/reg/tarsregistry.conf" >"$work/reg/open.conf"
if in_ns reg timeout 20 "$TARSREGISTRY" --config="$work/reg/open.conf" >"$work/open-registry.txt" 2>&1; then
  fail "a registry with AdminRegObj on tcp -h ${addr[reg]} started"
fi
grep -q "mutual TLS" "$work/open-registry.txt" || fail "the refusal does not say why: $(cat "$work/open-registry.txt")"
log "a registry with an open AdminRegObj refuses to start"

start_bg reg "$work/registry.out" "$TARSREGISTRY" --config="$work/reg/tarsregistry.conf"
wait_for "registry listening" 20 port_open reg "${addr[reg]}" 12000

# ---- two nodes
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
start_node n1; node1_pid=$STARTED
start_node n2
nodes_registered() { local names; names=$(admin nodes) && grep -qF "${addr[n1]}" <<<"$names" && grep -qF "${addr[n2]}" <<<"$names"; }
wait_for "both nodes registered" 30 nodes_registered
log "nodes registered"
# A client certificate the registry's CA signed, but for a subject AdminRegObj does not list.
if in_ns reg "$TARSADMIN" --registry="$adminreg" --timeout=5000 --ca="$certs/ca.pem" \
  --cert="$certs/stranger.pem" --key="$certs/stranger.key" nodes >"$work/stranger.txt" 2>&1; then
  fail "tarsadmin with a certificate not in allowsubjects was answered: $(cat "$work/stranger.txt")"
fi
if in_ns reg "$TARSADMIN" --registry="$adminreg" --timeout=5000 --ca="$certs/ca.pem" nodes >"$work/anon.txt" 2>&1; then
  fail "tarsadmin without a client certificate was answered: $(cat "$work/anon.txt")"
fi
log "AdminRegObj refuses a stranger's certificate and a client without one"

# ---- HelloServer on both nodes
cat >"$work/hello-deploy.conf" <<EOF
<deploy>
  app = TestApp
  server = HelloServer
  node = ${addr[n1]};${addr[n2]}
  executable = $HELLO_SERVER
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
admin deploy "$work/hello-deploy.conf" >"$work/deploy.out" 2>&1 || fail "tarsadmin deploy: $(cat "$work/deploy.out")"
both_active() { admin list | grep 'TestApp.HelloServer' | grep -c ' active ' | grep -qx 2; }
wait_for "HelloServer active on both nodes" 60 both_active
admin list
wait_for "HelloServer answering on ${addr[n1]}" 20 port_open reg "${addr[n1]}" 20001
wait_for "HelloServer answering on ${addr[n2]}" 20 port_open reg "${addr[n2]}" 20001

# ---- calls through the locator while host n1 dies
refresh_ms=5000
bound_ms=$(( refresh_ms + 3000 ))   # the client's refresh interval, plus a margin for the kill itself
start_bg reg "$work/caller.out" "$HELLO_CALLER" --locator="$locator" --duration=60000 --interval=20 \
  --timeout=1000 --refresh=$refresh_ms --stop-file="$work/stop-caller"
# The caller's result lines ("<ms> <code>"), without the client's log lines on stderr.
calls() { grep -E '^[0-9]+ -?[0-9]+$' "$work/caller.out"; }
calls_ok() { [ "$(calls | awk '$2 == 0' | wc -l)" -ge "$1" ]; }
wait_for "first 100 answers" 30 calls_ok 100

hello_pid_n1=""
while IFS= read -r f; do
  p=$(tr -dc 0-9 <"$f")
  [ -n "$p" ] && grep -qs HelloServer "/proc/$p/cmdline" && hello_pid_n1=$p
done < <(find "$work/n1" -name '*.pid')
[ -n "$hello_pid_n1" ] || fail "no HelloServer pid file under $work/n1"
# The caller prints the wall-clock time at which each call ended: a call that failed
# because of the kill ended after it.
kill_at=$(now_ms)
kill -9 "$node1_pid" "$hello_pid_n1"
log "killed host n1 (node pid $node1_pid, HelloServer pid $hello_pid_n1)"

# The registry notices the silent node (nodeTimeout 6 s) and reports its instance inactive.
n1_inactive() { admin list | grep 'TestApp.HelloServer' | grep "${addr[n1]}" | grep -q ' inactive '; }
wait_for "registry marks ${addr[n1]} inactive" 30 n1_inactive
# Keep calling past the bound, then stop the caller.
after=$(( kill_at + bound_ms + 5000 ))
calls_after() { calls | awk -v t="$after" '$1 > t' | grep -q .; }
wait_for "calls after the bound" 30 calls_after
touch "$work/stop-caller"
caller_done() { grep -q '^calls ' "$work/caller.out"; }
wait_for "the caller's summary" 10 caller_done
admin list

calls >"$work/calls.txt"
total=$(wc -l <"$work/calls.txt")
failed_total=$(awk '$2 != 0' "$work/calls.txt" | wc -l)
late=$(awk -v t=$(( kill_at + bound_ms )) '$1 > t && $2 != 0' "$work/calls.txt" | wc -l)
before=$(awk -v t="$kill_at" '$1 < t && $2 != 0' "$work/calls.txt" | wc -l)
after_ok=$(awk -v t=$(( kill_at + bound_ms )) '$1 > t && $2 == 0' "$work/calls.txt" | wc -l)
last_fail=$(awk '$2 != 0 {t = $1} END {print t + 0}' "$work/calls.txt")
last_fail_text="none"
[ "$last_fail" -gt 0 ] && last_fail_text="$(( last_fail - kill_at )) ms after the kill"
log "calls $total, failed $failed_total (before the kill $before, after the bound $late); answers after the bound $after_ok; last failure: $last_fail_text (bound ${bound_ms} ms)"
[ "$before" -eq 0 ] || fail "$before calls failed before the kill"
[ "$late" -eq 0 ] || fail "$late calls failed later than ${bound_ms} ms after the kill"
[ "$after_ok" -ge 50 ] || fail "only $after_ok answers after the bound"
echo "PASSED"
