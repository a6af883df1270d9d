# Shell functions that install and run throwaway PostgreSQL clusters on loopback.
# Sourced by scripts/test.sh, scripts/demo.sh and bench/run.sh.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_postgres_installed() {
  if [ -z "$(pg_bin_dir)" ]; then
    echo "PostgreSQL is not installed; installing postgresql-15 from Debian..." >&2
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: installing PostgreSQL needs root. Run: sudo apt-get install -y postgresql-15" >&2
      return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  fi
  pg_bin_dir >/dev/null || { echo "error: no initdb found under /usr/lib/postgresql after installing" >&2; return 1; }
  ensure_postgis_installed
  ensure_pgvector_installed
}

# The extension tests migrate PostGIS's configuration rows (a custom SRID in spatial_ref_sys); contrib, which
# the other extension tests use, comes with the server package.
ensure_postgis_installed() {
  local major
  major=$(basename "$(dirname "$(pg_bin_dir)")")
  if [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ]; then
    echo "PostGIS is not installed; installing postgresql-$major-postgis-3 from Debian..." >&2
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: installing PostGIS needs root. Run: sudo apt-get install -y postgresql-$major-postgis-3" >&2
      return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-postgis-3" >/dev/null
  fi
}

# The extension tests migrate pgvector's types and indexes. Debian 12 packages pgvector for no PostgreSQL
# (Debian 13 on: for 17 and 18 only), and the mirror does not serve Debian's source package, so where no
# binary package postgresql-<major>-pgvector is available, the copy in third_party/pgvector is built against
# postgresql-server-dev-<major> of the server's own version (a newer one would upgrade the server's packages
# under running clusters) and installed into the server's folders.
ensure_pgvector_installed() {
  local major build source
  major=$(basename "$(dirname "$(pg_bin_dir)")")
  [ -f "/usr/share/postgresql/$major/extension/vector.control" ] && return 0
  echo "pgvector is not installed; installing it for PostgreSQL $major..." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: installing pgvector needs root. Run: sudo bash scripts/test.sh" >&2
    return 1
  fi
  if [ -n "$(apt-cache policy "postgresql-$major-pgvector" 2>/dev/null | grep -E 'Candidate: [0-9]')" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-pgvector" >/dev/null && return 0
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make \
    "postgresql-server-dev-$major=$(dpkg-query -W -f='${Version}' "postgresql-$major")" >/dev/null \
    || { echo "error: installing postgresql-server-dev-$major (the headers pgvector builds against) failed; run apt-get update and try again" >&2; return 1; }
  source="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/third_party/pgvector"
  build=$(mktemp -d)
  cp -r "$source/." "$build/"
  (cd "$build" && make OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" >"$build/make.log" 2>&1 \
     && make OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" install >>"$build/make.log" 2>&1) \
    || { echo "error: building pgvector (third_party/pgvector) for PostgreSQL $major failed:" >&2; tail -n 20 "$build/make.log" >&2; rm -rf "$build"; return 1; }
  rm -rf "$build"
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# Runs a command as the unprivileged 'postgres' user when we are root (PostgreSQL refuses root).
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_postgres DIR PORT PASSWORD [BIN] [SIZE]: initialises DIR (if new) and starts a server on
# 127.0.0.1:PORT whose superuser 'postgres' signs in with PASSWORD over TCP. BIN is the server's bin
# folder (default: Debian's newest); SIZE is "large" (the default: the suite's main server, many tests at
# once) or "small" (a server of the version matrix).
start_postgres() {
  local dir=$1 port=$2 password=$3 bin=${4:-$(pg_bin_dir)} size=${5:-large} settings
  settings="-c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB -c wal_level=logical"
  [ "$size" = small ] && settings="-c max_connections=100 -c shared_buffers=64MB"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    local pwfile="$dir/pwfile"
    printf '%s\n' "$password" > "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pwfile"
    as_pg_user "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
    rm -f "$pwfile"
  fi
  as_pg_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
}

# stop_postgres DIR [BIN]
stop_postgres() {
  local dir=$1 bin=${2:-$(pg_bin_dir)}
  [ -f "$dir/data/postmaster.pid" ] && as_pg_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

random_password() {
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# start_source_and_target DIR PASSWORD: starts two throwaway servers, DIR/source and DIR/target, on free
# loopback ports and sets source_port and target_port. Both are stopped, and DIR removed, when the
# calling script exits.
start_source_and_target() {
  local dir=$1 password=$2
  trap "stop_postgres '$dir/source'; stop_postgres '$dir/target'; rm -rf '$dir'" EXIT
  source_port=$(free_port)
  start_postgres "$dir/source" "$source_port" "$password"
  target_port=$(free_port)
  start_postgres "$dir/target" "$target_port" "$password"
}
