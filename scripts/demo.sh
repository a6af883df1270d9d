#!/usr/bin/env bash
# Demo: starts two throwaway PostgreSQL servers on free loopback ports, loads a sample database with
# every object kind pgmigrate migrates (and a few thousand rows) into the first, migrates it (schema,
# data, post-data, verification) to the second with pgmigrate, compares pg_dump --schema-only of both,
# and runs pgmigrate verify on its own. Stops the servers after.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/scripts/lib/postgres.sh"

ensure_postgres_installed
bin=$(pg_bin_dir)
work=$(mktemp -d /tmp/pgmigrate-demo.XXXXXX)
chmod 755 "$work"
export PGPASSWORD=$(random_password)
start_source_and_target "$work" "$PGPASSWORD"
echo "== Source server on 127.0.0.1:$source_port, target server on 127.0.0.1:$target_port"

fixtures="$repo/tests/PgMigration.Core.Tests/Fixtures"
psql_on() { "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -v ON_ERROR_STOP=1 -q "${@:2}"; }
psql_on "$source_port" -d postgres -c "CREATE DATABASE sample"
psql_on "$target_port" -d postgres -c "CREATE DATABASE sample"
# The fixture's notices (extensions installed, inherited columns merged) are expected; errors still stop.
PGOPTIONS="-c client_min_messages=error" psql_on "$source_port" -d sample -f "$fixtures/fidelity.sql"
PGOPTIONS="-c client_min_messages=error" psql_on "$source_port" -d sample -f "$fixtures/sample-data.sql"
# An exact count (n_live_tup is an estimate that lags behind the load).
rows=$(psql_on "$source_port" -d sample -Atc "SELECT sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM ONLY %s', c.oid::regclass), false, true, '')))[1]::text::bigint) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")
echo "== Loaded the sample database (fixture plus $rows rows)"

source_url="postgresql://postgres@127.0.0.1:$source_port/sample"
target_url="postgresql://postgres@127.0.0.1:$target_port/sample"
cd "$repo"
echo "== pgmigrate plan"
dotnet run --project src/PgMigration.Cli -c Release -- plan --source "$source_url" | head -n 45
echo "== pgmigrate migrate --mode all"
dotnet run --project src/PgMigration.Cli -c Release -- migrate --mode all --source "$source_url" --target "$target_url" \
  --checkpoints "$work/checkpoints" --parallelism 2

dump() {
  "$bin/pg_dump" -h 127.0.0.1 -p "$1" -U postgres --schema-only --no-owner --no-privileges sample \
    | grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog.set_config' -e '^\\restrict' -e '^\\unrestrict' | cat -s
}
dump "$source_port" > "$work/source.sql"
dump "$target_port" > "$work/target.sql"
if diff -u "$work/source.sql" "$work/target.sql" > "$work/schema.diff"; then
  echo "== OK: pg_dump --schema-only of source and target are identical ($(grep -c . "$work/source.sql") lines of DDL)"
else
  echo "== FAILED: the schemas differ:" >&2
  cat "$work/schema.diff" >&2
  exit 1
fi
echo "== pgmigrate verify (row counts and checksums of every table, source against target)"
dotnet run --project src/PgMigration.Cli -c Release -- verify --source "$source_url" --target "$target_url"
