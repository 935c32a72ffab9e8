# Sourced by tests/run.sh: a private MariaDB server for the tests that need one (the
# MySQL backend of the framework's store). It listens on 127.0.0.1 only, at a free port,
# with its own data directory; nothing of the machine's own MariaDB is used or touched.
#
#   tars_mariadb_start DIR   install a fresh data directory in DIR/data, start the server,
#                            wait until it answers, create the database db_tars_test and
#                            export TARS_TEST_MYSQL="host=127.0.0.1;port=N;user=root;password=;db=db_tars_test".
#                            Returns non-zero (with the reason on stderr) when it cannot.
#   tars_mariadb_stop        stop that server (by its pid) and wait for it to exit.
#
# Needs the Debian package mariadb-server (mariadbd, mariadb-install-db, mariadb-admin,
# mariadb). Every wait is bounded.

TARS_MARIADB_PID=""
TARS_MARIADB_PORT=""
TARS_MARIADB_DIR=""

_tars_mariadb_tool() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    if [ -x "/usr/sbin/$name" ]; then echo "/usr/sbin/$name"; return 0; fi
  done
  return 1
}

# A port nothing listens on now (the server may still lose it to a race: the caller retries).
_tars_mariadb_free_port() {
  local port tries
  for tries in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

tars_mariadb_start() {
  local dir=$1
  local server install admin client
  server=$(_tars_mariadb_tool mariadbd mysqld) || { echo "mariadb.sh: mariadbd not found (apt-get install mariadb-server)" >&2; return 1; }
  install=$(_tars_mariadb_tool mariadb-install-db mysql_install_db) || { echo "mariadb.sh: mariadb-install-db not found" >&2; return 1; }
  admin=$(_tars_mariadb_tool mariadb-admin mysqladmin) || { echo "mariadb.sh: mariadb-admin not found" >&2; return 1; }
  client=$(_tars_mariadb_tool mariadb mysql) || { echo "mariadb.sh: mariadb client not found" >&2; return 1; }

  mkdir -p "$dir" || return 1
  dir=$(cd "$dir" && pwd)
  TARS_MARIADB_DIR=$dir
  local as_root=()
  [ "$(id -u)" -eq 0 ] && as_root=(--user=root)

  rm -rf "$dir/data"
  if ! "$install" --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
        --skip-test-db "${as_root[@]}" >"$dir/install.log" 2>&1; then
    echo "mariadb.sh: mariadb-install-db failed, see $dir/install.log" >&2
    return 1
  fi

  # Unix socket paths are limited to about 100 bytes.
  local socket="$dir/mysqld.sock"
  [ ${#socket} -gt 100 ] && socket="/tmp/tars-mariadb-$$.sock"

  local attempt port i
  for attempt in 1 2 3 4 5; do
    port=$(_tars_mariadb_free_port) || { echo "mariadb.sh: no free port found" >&2; return 1; }
    : >"$dir/error.log"
    "$server" --no-defaults "${as_root[@]}" --datadir="$dir/data" --socket="$socket" \
      --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$dir/mysqld.pid" \
      --log-error="$dir/error.log" --max-connections=1000 --innodb-buffer-pool-size=64M \
      >"$dir/server.log" 2>&1 &
    TARS_MARIADB_PID=$!
    # Up to 60 s: the first start creates the InnoDB files.
    for i in $(seq 1 600); do
      if ! kill -0 "$TARS_MARIADB_PID" 2>/dev/null; then break; fi
      # Ready when our own socket answers; then make sure the TCP port is ours too (and
      # not another server that took it first).
      if "$admin" --no-defaults --socket="$socket" -u root --connect-timeout=2 ping >/dev/null 2>&1; then
        if [ "$("$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root -N -B \
                 -e "SELECT @@socket" 2>/dev/null)" != "$socket" ]; then
          tars_mariadb_stop
          continue 2
        fi
        TARS_MARIADB_PORT=$port
        if ! "$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root \
             -e "CREATE DATABASE IF NOT EXISTS db_tars_test" >>"$dir/server.log" 2>&1; then
          echo "mariadb.sh: could not create db_tars_test, see $dir/server.log" >&2
          tars_mariadb_stop
          return 1
        fi
        export TARS_TEST_MYSQL="host=127.0.0.1;port=$port;user=root;password=;db=db_tars_test"
        return 0
      fi
      sleep 0.1
    done
    if kill -0 "$TARS_MARIADB_PID" 2>/dev/null; then
      echo "mariadb.sh: the server did not answer within 60 s, see $dir/error.log" >&2
      tars_mariadb_stop
      return 1
    fi
    wait "$TARS_MARIADB_PID" 2>/dev/null
    TARS_MARIADB_PID=""
    # Lost the port to someone else: try another one; any other failure is final.
    grep -qiE "bind on tcp/ip port|address already in use" "$dir/error.log" || break
  done
  echo "mariadb.sh: the server did not start, see $dir/error.log" >&2
  return 1
}

tars_mariadb_stop() {
  [ -n "$TARS_MARIADB_PID" ] || return 0
  local pid=$TARS_MARIADB_PID i
  TARS_MARIADB_PID=""
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "mariadb.sh: server $pid did not stop within 30 s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  unset TARS_TEST_MYSQL
  return 0
}
