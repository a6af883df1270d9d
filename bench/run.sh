#!/usr/bin/env bash
# Benchmark: pgmigrate against pg_dump | pg_restore, pgcopydb clone and the raw COPY floor, on the same
# data in the same run. For each scale it builds a source database (pgbench -i -s SCALE --foreign-keys
# plus a wide table of mixed types), then times each tool into an empty target database on a second
# server and checks every table's row count there.
#
#   bash bench/run.sh            # scales 5 and 20 (about 100 MB and 400 MB), about five minutes
#   bash bench/run.sh 10 50      # other scales
#   BENCH_JOBS=4 bash bench/run.sh
#   BENCH_ROUNDS=5 bash bench/run.sh      # rounds per tool, best time kept (default 3)
#   BENCH_PGMIGRATE_ARGS='--batch-size 500000' bash bench/run.sh 20   # try pgmigrate options
#   BENCH_PROGRESS_COST=0 bash bench/run.sh   # skip the copy with and without streamed progress
#
# Prints seconds, MB/s (source database size / seconds), pgmigrate's peak RSS and the ratios, and writes
# the same table to bench/results-latest.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/scripts/lib/postgres.sh"

scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(5 20)
jobs=${BENCH_JOBS:-2}

load=$(cut -d' ' -f1-3 /proc/loadavg)
# Shared with the other cases: need_package, bench_workdir, settle, check_counts, src, dst, now, calc. settle makes
# every tool start on quiet servers: without it one tool pays for the last one's background work (autovacuum of
# the rows it just loaded, a checkpoint writing them out), and the order of tools decides the ratios.
source "$repo/bench/lib/compare.sh"
ensure_postgres_installed
need_package pgcopydb pgcopydb
need_package /usr/bin/time time

bin=$(pg_bin_dir)
bench_workdir
password=$(random_password)
start_source_and_target "$work" "$password"
# start_source_and_target's own exit trap would leave the filesystem mounted.
trap bench_cleanup EXIT
export PGPASSWORD=$password PGHOST=127.0.0.1 PGUSER=postgres
echo "source server on port $source_port, target server on port $target_port, $jobs jobs, on $filesystem" >&2

echo "Publishing pgmigrate (Release, self-contained, ReadyToRun composite, as it ships; about 1.5 minutes) ..." >&2
dotnet publish "$repo/src/PgMigration.Cli" -c Release --use-current-runtime --self-contained -o "$work/pgmigrate" -v quiet -nologo >/dev/null
pgmigrate=("$work/pgmigrate/pgmigrate")

seconds_since() { calc '%.2f' "$(now) - $1"; }

rounds=${BENCH_ROUNDS:-3}

# finished TOOL DATABASE: checks the copy's row counts, then drops the copy so it cannot load the next tool.
finished() {
  check_all_ok "$1" "$(check_counts "$db" "$2")"
  dst -d postgres -c "DROP DATABASE $2"
}

# progress_cost: the data phase alone, into the floor's pre-data schema, timed with the rows a batch
# streams counted and reported (the default) and without (PGMIGRATE_STREAMED_PROGRESS=off: committed
# batches only), alternating, best of $rounds each. Sets progress_note. Uses db, scale, jobs, source_url.
progress_cost() {
  local round mode database best_on="" best_off="" seconds
  for round in $(seq 1 "$rounds"); do
    for mode in on off; do
      database="t_progress_${mode}_${scale}_$round"
      dst -d postgres -c "CREATE DATABASE $database"
      "$bin/pg_dump" -p "$source_port" --section=pre-data "$db" | dst -d "$database" >/dev/null
      settle
      PGMIGRATE_STREAMED_PROGRESS=$mode "${pgmigrate[@]}" migrate --mode data --parallelism "$jobs" ${BENCH_PGMIGRATE_ARGS:-} \
        --source "$source_url" --target "postgresql://postgres@127.0.0.1:$target_port/$database" \
        --checkpoints "$state/checkpoints-progress-$mode-$scale-$round" >"$work/progress-$mode-$scale.out" 2>"$work/progress-$mode-$scale.err" \
        || { cat "$work/progress-$mode-$scale.err" >&2; exit 1; }
      seconds=$(sed -n 's/^Data phase:.*rows copied in \([0-9.]*\)s.*/\1/p' "$work/progress-$mode-$scale.out")
      echo "   streamed progress $mode, round $round: rows copied in ${seconds}s ($(check_counts "$db" "$database"))" >&2
      if [ $mode = on ]; then
        { [ -z "$best_on" ] || awk "BEGIN { exit !($seconds < $best_on) }"; } && best_on=$seconds
      else
        { [ -z "$best_off" ] || awk "BEGIN { exit !($seconds < $best_off) }"; } && best_off=$seconds
      fi
      dst -d postgres -c "DROP DATABASE $database"
    done
  done
  progress_note="scale $scale: data phase with streamed progress ${best_on}s, without (PGMIGRATE_STREAMED_PROGRESS=off) ${best_off}s: $(calc '%+.1f' "100 * ($best_on - $best_off) / $best_off")% (best of $rounds each, alternating)"
}

results="$work/results.md"
{
  echo "| scale | source MB | tool | seconds | MB/s | vs pgmigrate | rows check | pgmigrate peak RSS |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |"
} > "$results"
notes="$work/notes.txt"
: > "$notes"

for scale in "${scales[@]}"; do
  db="bench_s$scale"
  echo "== scale $scale: building the source database ..." >&2
  src -d postgres -c "CREATE DATABASE $db"
  "$bin/pgbench" -i -q -s "$scale" --foreign-keys -p "$source_port" "$db" >/dev/null 2>&1
  src -d "$db" <<SQL
CREATE TABLE wide (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  n integer, big bigint, amount numeric(14,2), ratio double precision, flag boolean,
  label text, code varchar(16), day date, at timestamptz, token uuid, doc jsonb, tags integer[], blob bytea, addr inet
);
INSERT INTO wide (n, big, amount, ratio, flag, label, code, day, at, token, doc, tags, blob, addr)
SELECT i, i::bigint * 7919, (i % 100000) / 100.0, i / 7.0, i % 2 = 0,
       'label ' || md5(i::text), left(md5((i * 3)::text), 16), date '2020-01-01' + i % 1500, now() - i * interval '1 minute',
       md5(i::text)::uuid, jsonb_build_object('i', i, 'kind', 'k' || i % 10, 'ok', i % 3 = 0), ARRAY[i, i + 1, i + 2],
       decode(md5(i::text), 'hex'), ('10.' || (i % 250) || '.' || (i % 200) || '.1')::inet
  FROM generate_series(1, $scale * 20000) AS s(i);
VACUUM ANALYZE;
SQL
  bytes=$(src -d "$db" -Atc "SELECT pg_database_size(current_database())")
  mb=$(calc '%.0f' "$bytes / 1000000")
  source_url="postgresql://postgres@127.0.0.1:$source_port/$db"
  declare -A took=() checked=()
  # Each tool runs $rounds times, alternating, and keeps its best time: this machine's noise is large.
  for round in $(seq 1 "$rounds"); do
    echo "== scale $scale, round $round of $rounds" >&2

    echo "   pgmigrate (schema, data, post-data, verify; --parallelism $jobs) ..." >&2
    dst -d postgres -c "CREATE DATABASE t_pgmigrate_${scale}_$round"
    settle
    start=$(now)
    # shellcheck disable=SC2086 # BENCH_PGMIGRATE_ARGS holds extra options, split on purpose
    /usr/bin/time -v -o "$work/time-$scale.txt" "${pgmigrate[@]}" migrate --mode all --parallelism "$jobs" ${BENCH_PGMIGRATE_ARGS:-} \
      --source "$source_url" --target "postgresql://postgres@127.0.0.1:$target_port/t_pgmigrate_${scale}_$round" \
      --checkpoints "$state/checkpoints-$scale-$round" >"$work/pgmigrate-$scale.out" 2>"$work/pgmigrate-$scale.err" \
      || { cat "$work/pgmigrate-$scale.err" >&2; exit 1; }
    pgmigrate_now=$(seconds_since "$start")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$scale.txt")
    # The copy alone (first chunk started to last chunk committed), comparable with the raw floor's data-only time.
    data_now=$(sed -n 's/^Data phase:.*rows copied in \([0-9.]*\)s.*/\1/p' "$work/pgmigrate-$scale.out")
    verify_now=$(sed -n 's/^Phases:.*verify \([0-9.]*\)s.*/\1/p' "$work/pgmigrate-$scale.out")
    # pgmigrate also verifies every row of both databases, which the others do not do: the clone alone is
    # its wall time minus the verification phase it reports, and that is what the ratios compare.
    keep_best pgmigrate_all "$pgmigrate_now"
    keep_best pgmigrate "$(calc '%.2f' "$pgmigrate_now - ${verify_now:-0}")"
    if [ "$improved" = 1 ]; then
      data_seconds=$data_now
      phases=$(sed -n 's/^Phases: //p' "$work/pgmigrate-$scale.out")
    fi
    finished pgmigrate "t_pgmigrate_${scale}_$round"

    echo "   pg_dump -Fd -j $jobs | pg_restore -j $jobs ..." >&2
    dst -d postgres -c "CREATE DATABASE t_pgdump_${scale}_$round"
    settle
    start=$(now)
    "$bin/pg_dump" -p "$source_port" -Fd -j "$jobs" -f "$work/dump-$scale-$round" "$db"
    "$bin/pg_restore" -p "$target_port" -j "$jobs" -d "t_pgdump_${scale}_$round" "$work/dump-$scale-$round"
    keep_best pg_dump "$(seconds_since "$start")"
    finished pg_dump "t_pgdump_${scale}_$round"

    echo "   pgcopydb clone --table-jobs $jobs --index-jobs $jobs ..." >&2
    dst -d postgres -c "CREATE DATABASE t_pgcopydb_${scale}_$round"
    settle
    start=$(now)
    PATH="$bin:$PATH" pgcopydb clone --source "$source_url" --target "postgresql://postgres@127.0.0.1:$target_port/t_pgcopydb_${scale}_$round" \
      --table-jobs "$jobs" --index-jobs "$jobs" --dir "$state/pgcopydb-$scale-$round" >"$work/pgcopydb-$scale.log" 2>&1 \
      || { tail -20 "$work/pgcopydb-$scale.log" >&2; exit 1; }
    keep_best pgcopydb "$(seconds_since "$start")"
    finished pgcopydb "t_pgcopydb_${scale}_$round"

    echo "   raw COPY floor (psql COPY TO STDOUT | psql COPY FROM STDIN per table, $jobs at a time, data only) ..." >&2
    dst -d postgres -c "CREATE DATABASE t_raw_${scale}_$round"
    "$bin/pg_dump" -p "$source_port" --section=pre-data "$db" | dst -d "t_raw_${scale}_$round" >/dev/null
    src -d "$db" -Atc "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables" > "$work/tables-$scale.txt"
    settle
    start=$(now)
    export bin source_port target_port db scale round
    xargs -P "$jobs" -I{} sh -c '"$bin/psql" -X -q -p "$source_port" -d "$db" -c "COPY {} TO STDOUT" | "$bin/psql" -X -q -p "$target_port" -d "t_raw_${scale}_$round" -c "COPY {} FROM STDIN"' \
      < "$work/tables-$scale.txt"
    keep_best raw "$(seconds_since "$start")"
    finished raw "t_raw_${scale}_$round"

    # The data phase alone, on the floor's terms: the same pre-data schema (no keys or indexes to build
    # while copying), rows only. Its copy time (first chunk started to last committed) is what the
    # floor is compared with.
    echo "   pgmigrate --mode data into the floor's pre-data schema ..." >&2
    dst -d postgres -c "CREATE DATABASE t_data_${scale}_$round"
    "$bin/pg_dump" -p "$source_port" --section=pre-data "$db" | dst -d "t_data_${scale}_$round" >/dev/null
    settle
    "${pgmigrate[@]}" migrate --mode data --parallelism "$jobs" ${BENCH_PGMIGRATE_ARGS:-} \
      --source "$source_url" --target "postgresql://postgres@127.0.0.1:$target_port/t_data_${scale}_$round" \
      --checkpoints "$state/checkpoints-data-$scale-$round" >"$work/pgmigrate-data-$scale.out" 2>"$work/pgmigrate-data-$scale.err" \
      || { cat "$work/pgmigrate-data-$scale.err" >&2; exit 1; }
    keep_best data_only "$(sed -n 's/^Data phase:.*rows copied in \([0-9.]*\)s.*/\1/p' "$work/pgmigrate-data-$scale.out")"
    finished data_only "t_data_${scale}_$round"
    check_all_ok pgmigrate_all "${checked[pgmigrate]}"
  done

  for tool in pgmigrate_all pgmigrate pg_dump pgcopydb raw; do
    label=$tool
    [ $tool = pgmigrate_all ] && label="pgmigrate migrate --mode all, incl. verification"
    [ $tool = pgmigrate ] && label="pgmigrate clone (schema, data, indexes, FKs, ANALYZE)"
    [ $tool = pg_dump ] && label="pg_dump -Fd -j $jobs \\| pg_restore -j $jobs"
    [ $tool = pgcopydb ] && label="pgcopydb clone (0.10)"
    [ $tool = raw ] && label="raw COPY floor (data only)"
    rate=$(calc '%.1f' "$mb / ${took[$tool]}")
    ratio=$(calc '%.2fx' "${took[$tool]} / ${took[pgmigrate]}")
    rss=""
    [ $tool = pgmigrate_all ] && rss="$((rss_kb / 1024)) MB"
    echo "| $scale | $mb | $label | ${took[$tool]} | $rate | $ratio | ${checked[$tool]} | $rss |" >> "$results"
  done
  echo "scale $scale: pgmigrate phases: $phases" >> "$notes"
  echo "scale $scale: data phase, pgmigrate --mode data into the floor's schema: rows copied in ${took[data_only]}s vs raw COPY floor ${took[raw]}s: $(calc '%.0f' "100 * ${took[raw]} / ${took[data_only]}")% of the floor's throughput (rows check ${checked[data_only]})" >> "$notes"
  if [ "${BENCH_PROGRESS_COST:-1}" != 0 ]; then
    echo "== scale $scale: the data phase with and without streamed progress" >&2
    progress_cost
    echo "$progress_note" >> "$notes"
  fi
  if [ -n "$data_seconds" ]; then
    echo "scale $scale: inside the full clone, where each table's keys and indexes are built while the other tables copy, the rows took ${data_seconds}s" >> "$notes"
  fi
  unset took checked
done

echo
cat "$results"
echo
cat "$notes"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores (load average at the start: $load), PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), both servers on this machine on $filesystem, $jobs jobs."
  echo
  cat "$results"
  echo
  sed 's/^/- /' "$notes"
} > "$repo/bench/results-latest.md"
echo "(written to bench/results-latest.md)"
