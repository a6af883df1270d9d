# Shell functions shared by the benchmark cases bench/many-tables.sh and bench/big-table.sh: two throwaway
# servers, a published pgmigrate, and one timed run of each tool into a fresh target database, with its
# peak memory (/usr/bin/time -v) and a row check. Sourced; sets source_port, target_port, bin, work.
#
#   BENCH_PORT=56400          the source server's port; the target's is the next one
#   BENCH_JOBS=2              parallelism of every tool
#   BENCH_PGMIGRATE_DIR=DIR   an already published pgmigrate (skips the 1.5 minute publish)
#   BENCH_TOOLS="pgmigrate pg_dump pgcopydb"   the tools to time

bench_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$bench_repo/scripts/lib/postgres.sh"
jobs=${BENCH_JOBS:-2}
tools=${BENCH_TOOLS:-pgmigrate pg_dump pgcopydb}

src() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -p "$source_port" "$@"; }
dst() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -p "$target_port" "$@"; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

need_package() {
  local command=$1 package=$2
  if ! command -v "$command" >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "error: $command is missing. Run: sudo apt-get install -y $package" >&2; exit 1; }
    echo "Installing $package ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
}

# bench_workdir: a new folder for one run's servers, logs and dumps, on a filesystem of its own (a fresh
# ext4 image on a loop device) where this user can mount one. On a filesystem that has had many files created
# and deleted, creating thousands of files is slower by a factor that depends on where the new database's folder
# lands: pg_restore's pre-data for 5,000 tables took 13.5, 3.2, 13.6 and 3.6 s in four restores in a row on this
# machine's root filesystem, 2.9 to 3.5 s on a fresh one, so with thousands of tables chance set the ratios.
# Sets work, state and filesystem (what the results say the servers ran on); bench_cleanup undoes it.
#
# The tools' own working files (pgmigrate's checkpoints, pgcopydb's --dir) go to state, on tmpfs where there is
# one: in use they live on the machine that runs the tool, not on a disk that two servers running with fsync=off
# fill with gigabytes of unwritten pages. Here they shared that disk, and every durable checkpoint write waited
# for the servers' writeback: pgmigrate's finish phase (its last durable writes) took 0.40, 0.93 and 1.05 s with its
# checkpoints on the servers' filesystem and 0.01-0.02 s on tmpfs, in alternating scale-50 runs.
bench_workdir() {
  work=$(mktemp -d /tmp/pgmigrate-bench.XXXXXX)
  image=""
  filesystem="the filesystem of /tmp (a fresh one needs root and a loop device)"
  if [ "$(id -u)" -eq 0 ] && command -v mkfs.ext4 >/dev/null 2>&1 && losetup -f >/dev/null 2>&1; then
    image=$(mktemp /var/tmp/pgmigrate-bench.XXXXXX.img)
    truncate -s "${BENCH_FS_GB:-32}G" "$image"
    # Inode tables written now, not by a kernel thread in the background while the tools run.
    if mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$image" && mount -o loop "$image" "$work"; then
      filesystem="a fresh ext4 filesystem of ${BENCH_FS_GB:-32} GB (loop device)"
    else
      rm -f "$image"
      image=""
    fi
  fi
  chmod 755 "$work"
  state_place="on the servers' filesystem"
  if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && state=$(mktemp -d /dev/shm/pgmigrate-bench-state.XXXXXX 2>/dev/null); then
    state_place="on tmpfs"
  else
    state="$work/state"
    mkdir -p "$state"
  fi
  filesystem="$filesystem, the tools' checkpoints and working folders $state_place"
  trap bench_cleanup EXIT
}

bench_cleanup() {
  stop_postgres "$work/source"
  stop_postgres "$work/target"
  if [ -n "$image" ]; then
    umount "$work" && rm -f "$image"
  fi
  rm -rf "$work" "$state"
}

# bench_start SETTINGS...: installs what is missing, starts both servers with the extra settings (the same
# on both, for every tool), and publishes pgmigrate as it ships.
bench_start() {
  ensure_postgres_installed
  need_package pgcopydb pgcopydb
  need_package /usr/bin/time time
  bin=$(pg_bin_dir)
  bench_workdir
  local password
  password=$(random_password)
  source_port=${BENCH_PORT:-56400}
  target_port=$((source_port + 1))
  start_postgres "$work/source" "$source_port" "$password"
  start_postgres "$work/target" "$target_port" "$password"
  export PGPASSWORD=$password PGHOST=127.0.0.1 PGUSER=postgres
  # Settings given are the source's: the target keeps the defaults a managed server would have.
  if [ $# -gt 0 ]; then
    local setting
    for setting in "$@"; do
      "$bin/psql" -X -q -p "$source_port" -d postgres -c "ALTER SYSTEM SET $setting"
    done
    as_pg_user "$bin/pg_ctl" -D "$work/source/data" -w restart >/dev/null
  fi
  echo "source server on port $source_port, target server on port $target_port, $jobs jobs" >&2
  if [ -n "${BENCH_PGMIGRATE_DIR:-}" ]; then
    pgmigrate=("$BENCH_PGMIGRATE_DIR/pgmigrate")
  else
    echo "Publishing pgmigrate (Release, self-contained, as it ships; about 1.5 minutes) ..." >&2
    dotnet publish "$bench_repo/src/PgMigration.Cli" -c Release --use-current-runtime --self-contained -o "$work/pgmigrate" -v quiet -nologo >/dev/null
    pgmigrate=("$work/pgmigrate/pgmigrate")
  fi
}

# settle: every tool starts on quiet servers (no autovacuum worker left from the last one, both checkpointed) and
# on a quiet disk: the servers run with fsync=off, so what a checkpoint wrote (after a source is built, gigabytes)
# is still in the page cache, and the kernel would write it out while the next tool runs.
settle() {
  local port busy
  for port in "$source_port" "$target_port"; do
    for _ in $(seq 1 300); do
      busy=$("$bin/psql" -X -Atq -p "$port" -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
      [ "$busy" = 0 ] && break
      sleep 0.2
    done
    "$bin/psql" -X -q -p "$port" -d postgres -c CHECKPOINT
  done
  sync
}

# Every table's row count in one query (one psql call per table takes minutes at 13,000 tables).
# One count per statement, each its own transaction: a single query over 13,000 tables locks them all at once,
# more than a target with the default max_locks_per_transaction can hold.
table_counts() {
  "$bin/psql" -X -Atq -p "$1" -d "$2" <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) FROM ONLY %I.%I', format('%I.%I', n.nspname, c.relname), n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
 ORDER BY format('%I.%I', n.nspname, c.relname)
\gexec
SQL
}

# check_counts SOURCE_DB TARGET_DB: ok when every table has the same row count on both, else DIFFERENT.
check_counts() {
  if diff <(table_counts "$source_port" "$1") <(table_counts "$target_port" "$2") > "$work/counts.diff"; then
    echo ok
  else
    head -5 "$work/counts.diff" >&2
    echo DIFFERENT
  fi
}

# peak_mb TIME_FILE...: the highest "Maximum resident set size" of the files, in MB.
peak_mb() {
  awk -F': ' '/Maximum resident set size/ { if ($2 > max) max = $2 } END { printf "%d", max / 1024 }' "$@"
}

# time_tool TOOL SOURCE_DB CASE [EXTRA ARGS]: one timed run into a fresh target database. Sets seconds,
# peak (MB), check and, for pgmigrate, phases (its own "Phases:" line).
time_tool() {
  local tool=$1 db=$2 case=$3 target start
  shift 3
  target="t_${tool//[^a-z]/}_$case"
  dst -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $target" -c "CREATE DATABASE $target"
  settle
  phases=""
  start=$(now)
  case $tool in
    pgmigrate)
      /usr/bin/time -v -o "$work/time-$tool.txt" "${pgmigrate[@]}" migrate --mode all --parallelism "$jobs" "$@" \
        --source "postgresql://postgres@127.0.0.1:$source_port/$db" --target "postgresql://postgres@127.0.0.1:$target_port/$target" \
        --checkpoints "$state/checkpoints-$case" >"$work/pgmigrate-$case.out" 2>"$work/pgmigrate-$case.err" \
        || { tail -20 "$work/pgmigrate-$case.err" >&2; exit 1; }
      phases=$(sed -n 's/^Phases: //p' "$work/pgmigrate-$case.out")
      rm -rf "$state/checkpoints-$case"
      ;;
    pg_dump)
      rm -f "$work/time-$tool-restore.txt"
      /usr/bin/time -v -o "$work/time-$tool.txt" "$bin/pg_dump" -p "$source_port" -Fd -j "$jobs" -f "$work/dump-$case" "$db"
      /usr/bin/time -v -o "$work/time-$tool-restore.txt" "$bin/pg_restore" -p "$target_port" -j "$jobs" -d "$target" "$work/dump-$case"
      rm -rf "$work/dump-$case"
      ;;
    pgcopydb)
      PATH="$bin:$PATH" /usr/bin/time -v -o "$work/time-$tool.txt" pgcopydb clone "$@" \
        --source "postgresql://postgres@127.0.0.1:$source_port/$db" --target "postgresql://postgres@127.0.0.1:$target_port/$target" \
        --table-jobs "$jobs" --index-jobs "$jobs" --dir "$state/pgcopydb-$case" >"$work/pgcopydb-$case.log" 2>&1 \
        || { tail -20 "$work/pgcopydb-$case.log" >&2; exit 1; }
      rm -rf "$state/pgcopydb-$case"
      ;;
  esac
  seconds=$(calc '%.2f' "$(now) - $start")
  peak=$(peak_mb "$work"/time-"$tool"*.txt)
  rm -f "$work"/time-"$tool"*.txt
  check=$(check_counts "$db" "$target")
  dst -d postgres -c "DROP DATABASE $target"
}

# label TOOL: what the results table calls it.
label() {
  case $1 in
    pgmigrate) echo "pgmigrate migrate --mode all, incl. verification" ;;
    pg_dump) echo "pg_dump -Fd -j $jobs \\| pg_restore -j $jobs" ;;
    pgcopydb) echo "pgcopydb clone ($(pgcopydb --version 2>&1 | sed -n 's/.*pgcopydb version \([0-9.]*\).*/\1/p' | head -1))" ;;
  esac
}

# header FILE: the run's circumstances, for the results file.
run_header() {
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)), PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), both servers on this machine on $filesystem, $jobs jobs."
}

# keep_best TOOL SECONDS: remembers in the caller's took array the lowest time seen for TOOL; sets improved=1 when
# SECONDS is it.
keep_best() {
  improved=0
  if [ -z "${took[$1]:-}" ] || awk "BEGIN { exit !($2 < ${took[$1]}) }"; then
    took[$1]=$2
    improved=1
  fi
}

# check_all_ok TOOL CHECK: records TOOL's row check in the caller's checked array; one that failed in any round stays failed.
check_all_ok() {
  [ "${checked[$1]:-ok}" = ok ] && checked[$1]=$2
  return 0
}

# record_run TOOL: adds TOOL's last time_tool to the caller's took, memory and checked arrays. Over several
# rounds they keep the best time (and, for pgmigrate, that round's phases in best_phases), the highest peak memory,
# and a row check that failed in any round.
record_run() {
  echo "   $1: ${seconds}s, peak ${peak} MB, rows $check" >&2
  check_all_ok "$1" "$check"
  if [ -z "${memory[$1]:-}" ] || [ "$peak" -gt "${memory[$1]}" ]; then memory[$1]=$peak; fi
  keep_best "$1" "$seconds"
  if [ "$improved" = 1 ] && [ "$1" = pgmigrate ]; then best_phases=$phases; fi
  return 0
}

# note_phases CASE: notes the phase times of pgmigrate's best round under CASE.
note_phases() {
  if [ -n "${took[pgmigrate]:-}" ]; then echo "$1: pgmigrate phases: $best_phases" >> "$notes"; fi
}

# ratio TOOL: TOOL's time over pgmigrate's, empty when pgmigrate did not run.
ratio() {
  if [ -n "${took[pgmigrate]:-}" ]; then calc '%.2fx' "${took[$1]} / ${took[pgmigrate]}"; fi
}

# write_results DESCRIPTION FILE: prints the run's table and notes, and writes them under the run's header and
# DESCRIPTION to bench/FILE.
write_results() {
  echo
  cat "$results"
  echo
  cat "$notes"
  {
    run_header
    echo "$1"
    echo
    cat "$results"
    echo
    sed 's/^/- /' "$notes"
  } > "$bench_repo/bench/$2"
  echo "(written to bench/$2)"
}
