# Sourced by deploy/quickstart.sh and tests/run.sh: installs the Debian packages the
# build needs when they are missing. Safe to run again; prints nothing when all is there.

tars_build_packages=(
  cmake ninja-build g++ clang-14 libclang-rt-14-dev clang-format-14 flex bison pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  libprotobuf-dev protobuf-compiler libspdlog-dev libfmt-dev
  libssl-dev openssl zlib1g-dev libsqlite3-dev libmariadb-dev mariadb-server libarchive-dev
  prometheus
)

# What the tests need beyond the build: the web console's browser test drives Debian's
# chromium with playwright-core from npm (tests/web/setup.sh, which also installs node and
# npm when the commands are missing).
tars_test_packages=(chromium)

# The gRPC peer of the load benchmarks (tests/bench/compare.sh, -DTARS_BENCH_GRPC=ON).
tars_bench_packages=(libgrpc++-dev protobuf-compiler-grpc)

tars_install_missing() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || return 1
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}
