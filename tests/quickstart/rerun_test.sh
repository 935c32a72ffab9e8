#!/usr/bin/env bash
# deploy/quickstart.sh run again: from another build directory while the first run's
# framework is up, and from the same directory after its registry and node died and left
# their servers running. Each run must end with the framework and HelloServer running
# that build's programs with that build's store, and say what it replaced. Each run leaves
# the console's login in <build>/quickstart/console.txt (mode 0600, three lines) that logs
# in to tarsweb, and never prints the password; a run in the same directory keeps it.
#
#   rerun_test.sh BUILD_DIR WORK_DIR
#
# The two "build directories" are copies of BUILD_DIR's programs (the quickstart's fixed
# ports: 17890 ...). Skipped (77) when one of those ports is in use (a quickstart of the
# user's runs). Everything this test starts is stopped at the end, by pid.
set -uo pipefail
build=$(cd "$1" && pwd -P)
work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd -P)
export TARS_QUICKSTART_RECORD="$work/record"
export TARS_QUICKSTART_SKIP_BUILD=1

for port in 17890 17891 12000 18193 18293 18393 18493 18593 18693 18793 18893 18993 19385 19386 17897 17899 18197 19387 20001 20003; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "SKIP: 127.0.0.1:$port is in use (a quickstart of yours?): not touching it"
    exit 77
  fi
done

programs=(tools/tars2cpp/tars2cpp examples/codec/codec_demo framework/registry/tarsregistry
  framework/registry/tarsregistry.conf framework/node/tarsnode framework/node/tarsnode.conf
  framework/config/tarsconfig framework/admin/tarsadmin examples/hello/HelloServer examples/hello/HelloServer.tgz
  examples/hello/HelloClient framework/stat/tarsstat framework/property/tarsproperty
  framework/notify/tarsnotify framework/log/tarslog framework/query/tarsquery framework/patch/tarspatch
  framework/web/tarsweb)
for b in A B; do
  for p in "${programs[@]}"; do
    mkdir -p "$work/build$b/$(dirname "$p")"
    cp "$build/$p" "$work/build$b/$p"
  done
  cp -r "$build/framework/web/assets" "$work/build$b/framework/web/"  # the console's page
done

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
quickstart() {  # quickstart BUILD_DIR LOG [stop]
  local dir=$1 log=$2
  shift 2
  (cd "$root" && TARS_BUILD_DIR="$dir" timeout 300 bash deploy/quickstart.sh "$@") >"$log" 2>&1
}
pid_of() { cat "$1/quickstart/pids/$2.pid" 2>/dev/null; }
# The pid the registry of the running quickstart lists for APP SERVER.
listed_pid() {
  "$work/buildB/framework/admin/tarsadmin" list --json 2>/dev/null | grep "\"app\":\"$1\"" |
    grep "\"server\":\"$2\"" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p'
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# Every program of the running framework is BUILD's copy, started by BUILD's run.
runs_build() {
  local b=$1 pid name exe
  for name in registry/tarsregistry node/tarsnode; do
    pid=$(pid_of "$work/build$b" "${name#*/}")
    exe=$(readlink -f "/proc/$pid/exe" 2>/dev/null)
    [ "$exe" = "$work/build$b/framework/$name" ] || fail "${name#*/} (pid $pid) runs '$exe', not build$b's"
  done
  [ "$(readlink -f "/proc/$(pid_of "$work/build$b" tarsregistry)/cwd")" = "$work/build$b/quickstart/framework" ] ||
    fail "the registry does not run in build$b's run directory (its store)"
  # HelloServer runs the version build$b's quickstart published: its node's bin link.
  for name in "tars tarsconfig framework/config/tarsconfig" "tars tarsstat framework/stat/tarsstat" \
    "TestApp HelloServer quickstart/node/data/TestApp.HelloServer/bin/HelloServer"; do
    set -- $name
    pid=$(listed_pid "$1" "$2")
    exe=$(readlink -f "/proc/$pid/exe" 2>/dev/null)
    [ "$exe" = "$(readlink -f "$work/build$b/$3")" ] || fail "$1.$2 (pid '$pid') runs '$exe', not build$b's $3"
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$work/build$b/quickstart/node/" ||
      fail "$1.$2 (pid $pid) does not run with build$b's node config"
  done
}

# console.txt of BUILD: mode 0600, exactly url=, user=admin, password= lines; its login is
# taken by tarsweb (curl, the body on stdin); LOG never shows the password. Sets password.
check_console() {
  local b=$1 log=$2 file="$work/build$1/quickstart/console.txt" url user code
  password=
  [ -f "$file" ] && [ ! -L "$file" ] || { fail "build$b: no console.txt"; return; }
  [ "$(stat -c %a "$file")" = 600 ] || fail "build$b: console.txt has mode $(stat -c %a "$file"), not 600"
  [ "$(wc -l <"$file")" -eq 3 ] || fail "build$b: console.txt has $(wc -l <"$file") lines, not 3"
  url=$(sed -n '1s/^url=//p' "$file")
  user=$(sed -n '2s/^user=//p' "$file")
  password=$(sed -n '3s/^password=//p' "$file")
  [ "$url" = http://127.0.0.1:18893/ ] || fail "build$b: console.txt's first line is not url=http://127.0.0.1:18893/"
  [ "$user" = admin ] || fail "build$b: console.txt's second line is not user=admin"
  [ ${#password} -ge 20 ] || fail "build$b: console.txt's password has fewer than 20 characters"
  grep -qF -- "$password" "$log" && fail "build$b: the quickstart's output shows the password"
  grep -qF "$url" "$log" && grep -qF "$file" "$log" || fail "build$b: the output does not name the URL and $file"
  code=$(printf '{"user":"%s","password":"%s"}' "$user" "$password" |
    curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' --data-binary @- \
      "${url}api/login")
  [ "$code" = 200 ] || fail "build$b: logging in with console.txt answered $code, not 200"
}

cleanup() {
  quickstart "$work/buildB" "$work/stopB.log" stop
  quickstart "$work/buildA" "$work/stopA.log" stop
}
trap cleanup EXIT

# 1. A first run from build A.
quickstart "$work/buildA" "$work/runA.log" || { fail "run A exited $?"; tail -n 40 "$work/runA.log"; exit 1; }
runs_build A
check_console A "$work/runA.log"
a_registry=$(pid_of "$work/buildA" tarsregistry)
a_node=$(pid_of "$work/buildA" tarsnode)
a_hello=$(listed_pid TestApp HelloServer)
a_config=$(listed_pid tars tarsconfig)
echo "run A: registry $a_registry, node $a_node, HelloServer $a_hello, tarsconfig $a_config"

# 2. Build B while A's framework is up: A's framework and servers are replaced.
quickstart "$work/buildB" "$work/runB.log" || { fail "run B exited $?"; tail -n 40 "$work/runB.log"; }
grep -q "replacing the framework a quickstart in $work/buildA/quickstart left running" "$work/runB.log" ||
  fail "run B does not say what it replaced"
for pid in "$a_registry" "$a_node" "$a_hello" "$a_config"; do
  alive "$pid" && fail "run A's process $pid still runs after run B"
done
runs_build B
check_console B "$work/runB.log"
b_password=$password
echo "run B: replaced run A; registry $(pid_of "$work/buildB" tarsregistry), HelloServer $(listed_pid TestApp HelloServer)"

# 3. B's registry and node die (SIGKILL), their servers keep running; B again stops those
#    and starts everything anew.
b_hello=$(listed_pid TestApp HelloServer)
b_config=$(listed_pid tars tarsconfig)
kill -KILL "$(pid_of "$work/buildB" tarsnode)" "$(pid_of "$work/buildB" tarsregistry)"
alive "$b_hello" || fail "HelloServer should outlive its node"
quickstart "$work/buildB" "$work/runB2.log" || { fail "run B2 exited $?"; tail -n 40 "$work/runB2.log"; }
grep -q "stopped TestApp.HelloServer (pid $b_hello, left running by the node of" "$work/runB2.log" ||
  fail "run B2 does not say it stopped the HelloServer left running"
alive "$b_hello" && fail "the HelloServer left running ($b_hello) still runs"
alive "$b_config" && fail "the tarsconfig left running ($b_config) still runs"
runs_build B
grep -q "quickstart: done" "$work/runB2.log" || fail "run B2 did not finish"
check_console B "$work/runB2.log"
[ "$password" = "$b_password" ] || fail "run B2 did not keep B's console password"
# Each run showed HelloClient's calls as HelloServer served them (tarsadmin stat).
for run in runA runB runB2; do
  grep -qE '^testHello +[1-9]' "$work/$run.log" || fail "$run did not show testHello in tarsadmin stat"
done

if [ $failures -ne 0 ]; then
  echo "---- run B"; tail -n 30 "$work/runB.log"
  echo "---- run B2"; tail -n 30 "$work/runB2.log"
  exit 1
fi
echo "PASS"
