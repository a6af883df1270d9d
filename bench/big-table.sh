#!/usr/bin/env bash
# Benchmark case: one big table (the common "one giant events table"). For each size in MB it builds a
# source database holding one table of about that size (a bigint key, a timestamp, two integers, a jsonb
# and a text), then times pgmigrate migrate (with its verification; the table is chunked on its key and
# copied by several workers), pg_dump -Fd | pg_restore and pgcopydb clone --split-tables-larger-than
# (the table split into parts copied at once) into empty targets on a second server, with peak memory,
# a row check, and pgmigrate's own per-phase times.
#
#   bash bench/big-table.sh              # 1000 MB
#   bash bench/big-table.sh 500 4000     # other sizes
#   BENCH_SPLIT_MB=256 BENCH_PGMIGRATE_ARGS='--chunk-mb 256' bash bench/big-table.sh 2000
#   BENCH_ROUNDS=1 bash bench/big-table.sh   # rounds per tool, alternating, best time kept (default 3)
#
# Writes bench/results-big-table.md.
set -euo pipefail
source "$(dirname "$0")/lib/compare.sh"

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000)
split_mb=${BENCH_SPLIT_MB:-256}
rounds=${BENCH_ROUNDS:-3}

bench_start

results="$work/results.md"
{
  echo "| table MB | rows | tool | seconds | MB/s | vs pgmigrate | peak RSS | rows check |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"
} > "$results"
notes="$work/notes.txt"
: > "$notes"

for size in "${sizes[@]}"; do
  db="big_$size"
  # About 190 bytes a row on disk, with its share of the key's index.
  rows=$((size * 1000000 / 190))
  echo "== $size MB ($rows rows): building the source database ..." >&2
  started=$(now)
  src -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  src -d "$db" >/dev/null <<SQL
CREATE TABLE events (
  id bigint PRIMARY KEY, at timestamptz NOT NULL, kind integer NOT NULL, user_id integer NOT NULL, props jsonb, note text
);
INSERT INTO events
SELECT g, timestamptz '2024-01-01' + g * interval '1 second', g % 17, (g::bigint * 7919 % 1000003)::integer,
       jsonb_build_object('k', g % 100, 'ok', g % 3 = 0), 'event ' || md5(g::text)
  FROM generate_series(1, $rows) g;
CREATE INDEX ON events (user_id);
VACUUM ANALYZE events;
SQL
  mb=$(calc '%.0f' "$(src -d "$db" -Atc "SELECT pg_total_relation_size('events')") / 1000000")
  echo "   built in $(calc '%.0f' "$(now) - $started") s, $mb MB with its indexes" >&2

  declare -A took=() memory=() checked=()
  # Each tool runs $rounds times, alternating with the others, and keeps its best time: one run of a tool here
  # differs from the next by up to 30%, and the first tool after the build would otherwise pay for its writeback.
  for round in $(seq 1 "$rounds"); do
    for tool in $tools; do
      echo "   $tool (round $round of $rounds) ..." >&2
      case $tool in
        # shellcheck disable=SC2086 # BENCH_PGMIGRATE_ARGS holds extra options, split on purpose
        pgmigrate) time_tool "$tool" "$db" "$size" ${BENCH_PGMIGRATE_ARGS:-} ;;
        pgcopydb) time_tool "$tool" "$db" "$size" --split-tables-larger-than "${split_mb}MB" ;;
        *) time_tool "$tool" "$db" "$size" ;;
      esac
      record_run "$tool"
    done
  done
  note_phases "$size MB"
  for tool in $tools; do
    name=$(label "$tool")
    [ "$tool" = pgcopydb ] && name="$name --split-tables-larger-than ${split_mb}MB"
    echo "| $mb | $rows | $name | ${took[$tool]} | $(calc '%.1f' "$mb / ${took[$tool]}") | $(ratio "$tool") | ${memory[$tool]} MB | ${checked[$tool]} |" >> "$results"
  done
  unset took memory checked
  src -d postgres -c "DROP DATABASE $db"
done

write_results "One table, events: bigint primary key, a second index, timestamptz, two integers, jsonb and text. Best of $rounds alternating rounds per tool." results-big-table.md
