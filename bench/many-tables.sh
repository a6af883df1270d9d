#!/usr/bin/env bash
# Benchmark case: many small tables. For each count it builds a source database of N small tables spread
# over 5 schemas (a primary key, a second index and BENCH_ROWS_PER_TABLE rows each), optionally plus one
# partitioned table of P partitions ("N+P"), then times pgmigrate migrate (with its verification),
# pg_dump -Fd | pg_restore and pgcopydb clone into empty targets on a second server, with peak memory
# and a row check of every table, and pgmigrate's own per-phase times.
#
#   bash bench/many-tables.sh                   # 5, 500 and 5000 tables
#   bash bench/many-tables.sh 500 10000+3000    # 500 tables; 10,000 tables plus a table of 3,000 partitions
#   BENCH_ROWS_PER_TABLE=100 BENCH_JOBS=2 bash bench/many-tables.sh 5000
#
# The source gets max_locks_per_transaction = 256 (51,200 lock slots): pg_dump locks every table in one
# transaction, which the default 12,800 slots of these servers cannot hold at 13,000 tables. The target keeps
# the default, as a managed server would: pgmigrate creates the schema in transactions that fit it.
# Writes bench/results-many-tables.md.
set -euo pipefail
source "$(dirname "$0")/lib/compare.sh"

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(5 500 5000)
rows=${BENCH_ROWS_PER_TABLE:-20}

bench_start "max_locks_per_transaction = 256"

results="$work/results.md"
{
  echo "| tables | source MB | tool | seconds | vs pgmigrate | peak RSS | rows check |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | --- |"
} > "$results"
notes="$work/notes.txt"
: > "$notes"

for spec in "${cases[@]}"; do
  plain=${spec%%+*}
  partitions=0
  [[ $spec == *+* ]] && partitions=${spec#*+}
  db="many_${plain}_${partitions}"
  echo "== $spec tables: building the source database ..." >&2
  started=$(now)
  src -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  echo "SELECT format('CREATE SCHEMA s%s', k) FROM generate_series(0, 4) k \gexec" | src -d "$db" >/dev/null
  src -d "$db" >/dev/null <<SQL
SELECT format(\$\$CREATE TABLE s%s.t%s (id integer PRIMARY KEY, name text NOT NULL, amount numeric(12,2), created timestamptz NOT NULL DEFAULT now());
                INSERT INTO s%s.t%s SELECT g, 'name ' || g || ' of table %s', g * 1.25, timestamptz '2024-01-01' + g * interval '1 hour' FROM generate_series(1, $rows) g;
                CREATE INDEX ON s%s.t%s (created)\$\$, i % 5, i, i % 5, i, i, i % 5, i)
  FROM generate_series(1, $plain) i
\gexec
SQL
  if [ "$partitions" -gt 0 ]; then
    src -d "$db" >/dev/null <<SQL
CREATE TABLE s0.parted (id integer NOT NULL, day date NOT NULL, note text, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
SELECT format(\$\$CREATE TABLE s0.parted_%s PARTITION OF s0.parted FOR VALUES FROM (%L) TO (%L)\$\$, d, date '2000-01-01' + d, date '2000-01-01' + d + 1)
  FROM generate_series(0, $partitions - 1) d
\gexec
INSERT INTO s0.parted SELECT g, date '2000-01-01' + g % $partitions, 'note ' || g FROM generate_series(1, $partitions * $rows) g;
SQL
  fi
  src -d "$db" -c "VACUUM ANALYZE" >/dev/null
  mb=$(calc '%.0f' "$(src -d "$db" -Atc "SELECT pg_database_size(current_database())") / 1000000")
  echo "   built in $(calc '%.0f' "$(now) - $started") s, $mb MB" >&2

  declare -A took=() memory=() checked=()
  for tool in $tools; do
    echo "   $tool ..." >&2
    time_tool "$tool" "$db" "${plain}_$partitions"
    record_run "$tool"
  done
  note_phases "$spec tables"
  for tool in $tools; do
    echo "| $spec | $mb | $(label "$tool") | ${took[$tool]} | $(ratio "$tool") | ${memory[$tool]} MB | ${checked[$tool]} |" >> "$results"
  done
  unset took memory checked
  src -d postgres -c "DROP DATABASE $db"
done

write_results "Tables of $rows rows (a primary key and one more index each) in 5 schemas; N+P is N tables plus one partitioned table of P partitions." results-many-tables.md
