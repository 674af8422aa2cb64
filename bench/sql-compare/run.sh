#!/usr/bin/env bash
# Issue 5's SQL benchmark: the cost of parsing and planning a point query, and
# the executor's throughput on a filtered full scan and on a hash join, side by
# side with PostgreSQL 15 on this machine, run ALTERNATELY (PostgreSQL,
# Modgres, ...; each cell the median of the runs), one client, through pgbench
# custom scripts.
#
#   bench/sql-compare/run.sh [seconds-per-run] [repetitions]
#
# Workloads (tables: big 200 000 rows with a primary key, small 1 000 rows):
#   point    SELECT a, b FROM big WHERE id = :id  (-M simple: parse + plan +
#            execute each time; -M prepared: execute only). The difference of
#            the two latencies is the parse + plan time of the statement.
#   scan     SELECT count(*) FROM big WHERE a % 7 = 3 AND b LIKE '%5%'
#            (sequential scan with a filter: rows per second of the executor)
#   join     big JOIN small ON big.a = small.id WHERE small.w < 500, count/sum
#            (hash join of the 200 000 rows against 500)
# Both servers: shared_buffers 128MB, work_mem 4MB, parallel query off on
# PostgreSQL (Modgres has none), data checksums, tables VACUUM ANALYZEd and
# read once before the runs. The plans are printed (EXPLAIN) so that a
# difference in plan is visible next to the figures.
# Output: the table on stdout and in bench/results/sql-compare-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
REPS=${2:-2}
PGBIN=/usr/lib/postgresql/15/bin
JAR=$PWD/launcher/target/modgres.jar
HERE=$PWD/bench/sql-compare
[ -x "$PGBIN/pgbench" ] || { echo "needs postgresql-15 (apt-get install postgresql-15)"; exit 2; }
[ -f "$JAR" ] || { echo "build first: mvn -q install -DskipTests"; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
STAMP=$(date +%Y-%m-%d-%H%M)
mkdir -p bench/results
OUT=bench/results/sql-compare-$STAMP.txt
WORK=$(mktemp -d /tmp/sql-compare.XXXXXX)
chmod 755 "$WORK"; [ "$(id -u)" = 0 ] && chown postgres "$WORK"
PG_PORT=$(free_port); MG_PORT=$(free_port)
SETTINGS="-c shared_buffers=128MB -c work_mem=4MB -c max_connections=100"
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
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" \
  -o "-p $PG_PORT -k $WORK $SETTINGS -c max_parallel_workers_per_gather=0" -w start >/dev/null
java -jar "$JAR" -D "$WORK/mg" -p "$MG_PORT" --no-console $SETTINGS > "$WORK/mg.log" 2>&1 &
MG_PID=$!
for _ in $(seq 1 1200); do grep -q "ready to accept connections" "$WORK/mg.log" && break; sleep 0.05; done

for port in $PG_PORT $MG_PORT; do
  psql -q -h 127.0.0.1 -p "$port" -U postgres postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE big (id integer PRIMARY KEY, a integer NOT NULL, b text NOT NULL);
INSERT INTO big SELECT g, g % 1000, md5(g::text) FROM generate_series(1, 200000) g;
CREATE TABLE small (id integer PRIMARY KEY, w integer NOT NULL);
INSERT INTO small SELECT g, g FROM generate_series(0, 999) g;
VACUUM ANALYZE big;
VACUUM ANALYZE small;
SELECT count(*) FROM big;
SQL
done

run() { # port script mode -> "tps latency_ms"
  local out
  out=$(pgbench -n -h 127.0.0.1 -p "$1" -U postgres -f "$HERE/$2.sql" -M "$3" -c 1 -T "$SECS" postgres 2>&1) || true
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
tps = re.search(r"^tps = ([\d.]+)", out, re.M)
lat = re.search(r"^latency average = ([\d.]+)", out, re.M)
print(f"{float(tps.group(1)) if tps else 0:.1f} {float(lat.group(1)) if lat else float('nan'):.4f}")
PY
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.4f}')" "$@"; }

{
  for port in $PG_PORT $MG_PORT; do
    [ "$port" = "$PG_PORT" ] && echo "-- PostgreSQL 15 plans" || echo "-- Modgres plans"
    for q in point scan join; do
      sed -e 's/:id/4242/' "$HERE/$q.sql" | grep -v '^\\' | sed 's/^/EXPLAIN (COSTS OFF) /' |
        psql -X -At -h 127.0.0.1 -p "$port" -U postgres postgres
    done
  done
} | tee "$OUT"

printf "\n%-30s %10s %10s %6s %11s %11s\n" "workload ($SECS s x $REPS, median)" "PG tps" "MG tps" "MG/PG" \
  "PG ms" "MG ms" | tee -a "$OUT"
declare -A LAT
for cell in "point simple" "point prepared" "scan prepared" "join prepared"; do
  read -r q mode <<<"$cell"
  pg_t=(); mg_t=(); pg_l=(); mg_l=()
  for rep in $(seq 1 "$REPS"); do
    read -r t l <<<"$(run "$PG_PORT" "$q" "$mode")"; pg_t+=("$t"); pg_l+=("$l")
    read -r t l <<<"$(run "$MG_PORT" "$q" "$mode")"; mg_t+=("$t"); mg_l+=("$l")
  done
  p=$(median "${pg_t[@]}"); m=$(median "${mg_t[@]}")
  LAT["pg $cell"]=$(median "${pg_l[@]}"); LAT["mg $cell"]=$(median "${mg_l[@]}")
  printf "%-30s %10.0f %10.0f %6s %11.3f %11.3f\n" "$q -M $mode" "$p" "$m" \
    "$(python3 -c "print(f'{$m/$p:.2f}' if $p else '-')")" "${LAT["pg $cell"]}" "${LAT["mg $cell"]}" | tee -a "$OUT"
done
python3 - "${LAT["pg point simple"]}" "${LAT["pg point prepared"]}" "${LAT["mg point simple"]}" \
  "${LAT["mg point prepared"]}" <<'PY' | tee -a "$OUT"
import sys
ps, pp, ms, mp = map(float, sys.argv[1:])
pg, mg = (ps - pp) * 1000, (ms - mp) * 1000
print(f"parse+plan of the point query (simple - prepared latency): PostgreSQL {pg:.0f} us, Modgres {mg:.0f} us"
      + (f", ratio PG/MG {pg/mg:.2f}" if mg > 0 else ""))
PY
echo "scan and join: 200 000 rows per transaction; rows/s = tps x 200 000" | tee -a "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; results in $OUT"
