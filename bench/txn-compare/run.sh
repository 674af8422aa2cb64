#!/usr/bin/env bash
# Issue 6's benchmark: many short read-write transactions, side by side with
# PostgreSQL 15 on this machine, with 1, 8 and 32 clients, run ALTERNATELY
# (PostgreSQL, Modgres, PostgreSQL, ...; each cell the median of the runs),
# at READ COMMITTED and at SERIALIZABLE (where serialization failures are
# retried by pgbench --max-tries and counted).
#
#   bench/txn-compare/run.sh [seconds-per-run] [repetitions] [isolation levels, comma-separated]
#
# The transaction (short-rw.sql, pgbench -M prepared): read one row, update
# another, insert a history row, commit. 100 000 rows in kv; the same key is
# rarely hit twice at once, so the figures measure transaction machinery
# (xid assignment, snapshots, the lock manager, commit and its WAL flush)
# rather than row-lock waits.
#
# Settings on both: shared_buffers=128MB, wal_buffers=4MB, max_connections=100,
# fsync=on, synchronous_commit=on. Output: the table on stdout and in
# bench/results/txn-compare-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-15}
REPS=${2:-2}
LEVELS=${3:-read committed,serializable}
PGBIN=/usr/lib/postgresql/15/bin
JAR=$PWD/launcher/target/modgres.jar
HERE=$PWD/bench/txn-compare
[ -x "$PGBIN/pgbench" ] || { echo "needs postgresql-15 (apt-get install postgresql-15)"; exit 2; }
[ -f "$JAR" ] || { echo "build first: mvn -q install -DskipTests"; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

STAMP=$(date +%Y-%m-%d-%H%M)
mkdir -p bench/results
OUT=bench/results/txn-compare-$STAMP.txt
WORK=$(mktemp -d /tmp/txn-compare.XXXXXX)
chmod 755 "$WORK"; [ "$(id -u)" = 0 ] && chown postgres "$WORK"
PG_PORT=$(free_port); MG_PORT=$(free_port)
SETTINGS="-c shared_buffers=128MB -c wal_buffers=4MB -c max_connections=100 -c fsync=on -c synchronous_commit=on"
MG_PID=

pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; }
mg_stop() {
  [ -f "$WORK/mg/postmaster.pid" ] && kill -INT "$(head -1 "$WORK/mg/postmaster.pid")" 2>/dev/null || true
  [ -n "$MG_PID" ] && wait "$MG_PID" 2>/dev/null || true
  MG_PID=
}
cleanup() { pg_stop; mg_stop; rm -rf "$WORK"; }
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust --data-checksums >/dev/null  # Modgres always checksums pages
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -o "-p $PG_PORT -k $WORK $SETTINGS" -w start >/dev/null
java -jar "$JAR" -D "$WORK/mg" -p "$MG_PORT" --no-console $SETTINGS > "$WORK/mg.log" 2>&1 &
MG_PID=$!
for _ in $(seq 1 1200); do grep -q "ready to accept connections" "$WORK/mg.log" && break; sleep 0.05; done

for port in $PG_PORT $MG_PORT; do
  psql -q -h 127.0.0.1 -p "$port" -U postgres postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE kv (id integer PRIMARY KEY, v bigint NOT NULL);
INSERT INTO kv SELECT g, 0 FROM generate_series(1, 100000) g;
CREATE TABLE kv_history (id integer, delta integer, at timestamptz);
VACUUM ANALYZE kv;
SQL
done

run() { # port clients isolation -> "tps avg_ms failures"
  local port=$1 clients=$2 iso=$3
  local out
  out=$(PGOPTIONS="-c default_transaction_isolation=${iso// /\\ }" pgbench -n -h 127.0.0.1 -p "$port" -U postgres \
        -f "$HERE/short-rw.sql" -M prepared -c "$clients" -j "$(( clients < 4 ? clients : 4 ))" -T "$SECS" \
        --max-tries=10 postgres 2>&1) || true
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
tps = re.search(r"^tps = ([\d.]+)", out, re.M)
avg = re.search(r"^latency average = ([\d.]+)", out, re.M)
failed = re.search(r"^number of failed transactions: (\d+)", out, re.M)
retried = re.search(r"^number of transactions retried: (\d+)", out, re.M)
print(f"{float(tps.group(1)) if tps else 0:.0f} {float(avg.group(1)) if avg else float('nan'):.2f} "
      f"{int(failed.group(1)) if failed else -1} {int(retried.group(1)) if retried else 0}")
PY
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }

printf "%-34s %9s %9s %6s %9s %9s %14s\n" "workload ($SECS s x $REPS, median)" "PG tps" "MG tps" "MG/PG" \
  "PG ms" "MG ms" "MG fail/retry" | tee "$OUT"
IFS=, read -r -a LEVEL_LIST <<<"$LEVELS"
for iso in "${LEVEL_LIST[@]}"; do
  for clients in 1 8 32; do
    pg_tps=(); mg_tps=(); pg_ms=(); mg_ms=(); mg_bad=
    for rep in $(seq 1 "$REPS"); do
      read -r t a f r <<<"$(run "$PG_PORT" "$clients" "$iso")"; pg_tps+=("$t"); pg_ms+=("$a")
      read -r t a f r <<<"$(run "$MG_PORT" "$clients" "$iso")"; mg_tps+=("$t"); mg_ms+=("$a"); mg_bad="$f/$r"
    done
    p=$(median "${pg_tps[@]}"); m=$(median "${mg_tps[@]}")
    printf "%-34s %9s %9s %6s %9s %9s %14s\n" "short rw, $iso, -c $clients" "$p" "$m" \
      "$(python3 -c "print(f'{$m/$p:.2f}' if $p else '-')")" "$(median "${pg_ms[@]}")" "$(median "${mg_ms[@]}")" \
      "$mg_bad" | tee -a "$OUT"
  done
done
# both must have counted the same thing: every committed transaction left one history row
for port in $PG_PORT $MG_PORT; do
  psql -At -h 127.0.0.1 -p "$port" -U postgres postgres -c \
    "SELECT CASE WHEN (SELECT sum(v) FROM kv) = (SELECT coalesce(sum(delta), 0) FROM kv_history)
            THEN 'invariant ok' ELSE 'INVARIANT BROKEN' END" | sed "s/^/port $port: /" | tee -a "$OUT"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; results in $OUT"
