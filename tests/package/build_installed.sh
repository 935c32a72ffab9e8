#!/usr/bin/env bash
# The library as a team outside this tree meets it. Installs the build folder into a
# fresh prefix, then, against that prefix only:
#   - checks the install: the public headers, no runtime internals, the package files;
#   - compiles every installed header on its own (a public header needs no internal one);
#   - builds examples/hello as a project of its own with find_package(Tars), and its
#     package HelloServer.tgz with tars_package();
#   - builds HelloClient with g++ and pkg-config alone (tars2cpp from the prefix);
#   - with DEB=1, builds the Debian package (cpack -G DEB) and checks that it holds the
#     same files as the install.
# package_test then runs the programs built here against each other.
#
#   tests/package/build_installed.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${TARS_JOBS:-2}

fail() {
  echo "build_installed.sh: $*" >&2
  exit 1
}

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
prefix=$work/prefix

echo "== cmake --install into a fresh prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install failed"; }
(cd "$prefix" && find . -type f -o -type l | sort) >"$work/installed.txt"
for f in include/tars/servant/Application.h include/tars/servant/Communicator.h include/tars/servant/ServantProxy.h \
         include/tars/tup/Tars.h include/tars/util/tc_config.h include/tars/RequestF.h include/tars/BaseF.h \
         lib/cmake/Tars/TarsConfig.cmake lib/cmake/Tars/TarsTargets.cmake lib/cmake/Tars/Tars2Cpp.cmake \
         lib/pkgconfig/tars.pc bin/tars2cpp bin/tarsadmin bin/tarsregistry bin/tarsnode bin/tarsconfig \
         bin/tarsstat bin/tarsproperty bin/tarsnotify bin/tarslog bin/tarsquery bin/tarspatch lib/cmake/Tars/TarsPackage.cmake \
         bin/tarsweb share/tars/web/index.html share/tars/web/console.js \
         share/tars/protocol/RequestF.tars; do
  [ -e "$prefix/$f" ] || fail "the install has no $f"
done
if grep -E '/internal/|NetThread\.h|CommunicatorEpoll\.h|RequestQueue\.h|CallTable\.h' "$work/installed.txt"; then
  fail "runtime internals were installed (above)"
fi
ls "$prefix"/lib*/libtars_servant.* "$prefix"/lib*/libtars_client.* "$prefix"/lib*/libtars_util.* >/dev/null ||
  fail "the libraries were not installed"

echo "== every installed header compiles on its own"
mkdir -p "$work/headers"
headers=()
while IFS= read -r h; do headers+=("$h"); done < <(cd "$prefix/include/tars" && find . -name '*.h' | sed 's|^\./||' | sort)
[ ${#headers[@]} -gt 30 ] || fail "only ${#headers[@]} headers installed"
check_header() {
  local h=$1 out
  out=$work/headers/$(echo "$h" | tr '/.' '__').o
  echo "#include \"$h\"" | g++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror -x c++ -I"$prefix/include/tars" - 2>"$out.err" ||
    { echo "  $h:"; cat "$out.err"; return 1; }
}
export -f check_header
export prefix work
printf '%s\n' "${headers[@]}" | xargs -P "$jobs" -I{} bash -c 'check_header "$1"' _ {} ||
  fail "an installed header does not compile alone (above)"
echo "   ${#headers[@]} headers"

echo "== examples/hello as a project of its own: find_package(Tars)"
cmake -S "$source_dir/examples/hello" -B "$work/hello" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/hello-configure.log" 2>&1 ||
  { cat "$work/hello-configure.log"; fail "configuring examples/hello against the install failed"; }
cmake --build "$work/hello" -j "$jobs" >"$work/hello-build.log" 2>&1 ||
  { cat "$work/hello-build.log"; fail "building examples/hello against the install failed"; }
grep -q "$prefix/bin/tars2cpp" "$work/hello/build.ninja" || fail "examples/hello did not run the installed tars2cpp"
# tars_package() from the installed package config: HelloServer.tgz, built with the project.
bash "$source_dir/tests/package/check_package.sh" "$work/hello/HelloServer.tgz" HelloServer HelloServer.conf ||
  fail "tars_package() of the installed package did not make the package (above)"

echo "== HelloClient with pkg-config only"
mkdir -p "$work/pkgconfig"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --exists tars || fail "pkg-config does not find tars.pc"
"$(pkg-config --variable=tars2cpp tars)" --dir="$work/pkgconfig" "$source_dir/examples/hello/Hello.tars"
# shellcheck disable=SC2046
g++ -O1 -Wall -Wextra -Werror -I"$work/pkgconfig" "$source_dir/examples/hello/HelloClient.cpp" \
  $(pkg-config --cflags --libs tars) -o "$work/pkgconfig/HelloClient" ||
  fail "g++ with \$(pkg-config --cflags --libs tars) failed"

if [ "${DEB:-0}" = 1 ]; then
  echo "== cpack -G DEB"
  (cd "$build" && cpack -G DEB -B "$work/deb" >"$work/cpack.log") || { cat "$work/cpack.log"; fail "cpack failed"; }
  deb=$(ls "$work"/deb/*.deb)
  dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '/$' | sed 's|^\./usr/|./|' | sort >"$work/deb.txt"
  dpkg-deb -f "$deb" Package Version Depends
  diff "$work/installed.txt" "$work/deb.txt" || fail "the Debian package and the install differ (above)"
fi
echo "build_installed.sh: ok"
