#!/usr/bin/env bash
# TOAST benchmark: inserting and reading values larger than a page, side by
# side with PostgreSQL 15 on this machine, run ALTERNATELY (PostgreSQL,
# Modgres, ...; each cell the median of the runs), one client, pgbench custom
# scripts, -M prepared.
#
#   bench/toast-compare/run.sh [seconds-per-run] [repetitions]
#
# Source values (one row each, made once by SQL, identical on both servers):
#   s10k   text, 10 240 bytes of md5 hex chains: does not compress (out of line)
#   s1m    bytea, 1 MiB of md5 digests: does not compress (526 chunks)
#   s1mc   text, 1 MiB of short decimal numbers: compresses (pglz)
# Workloads:
#   insN   INSERT INTO dN SELECT b FROM sN   (detoast the source, toast again:
#          compression attempt, chunks, WAL)
#   selN   SELECT b FROM sN                  (detoast and send to the client)
# Both servers: shared_buffers 128MB, data checksums, default_toast_compression
# pglz; clients connect over Unix sockets (over TCP Modgres does not set
# TCP_NODELAY yet, and a result over one segment then waits for the client's
# delayed ACK: ~40 ms per SELECT of a 10 kB value, whatever the storage). Output: the table on stdout and in bench/results/toast-compare-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
REPS=${2:-2}
PGBIN=/usr/lib/postgresql/15/bin
JAR=$PWD/launcher/target/modgres.jar
HERE=$PWD/bench/toast-compare
[ -x "$PGBIN/pgbench" ] || { echo "needs postgresql-15 (apt-get install postgresql-15)"; exit 2; }
[ -f "$JAR" ] || { echo "build first: mvn -q install -DskipTests"; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
STAMP=$(date +%Y-%m-%d-%H%M)
mkdir -p bench/results
OUT=bench/results/toast-compare-$STAMP.txt
WORK=$(mktemp -d /tmp/toast-compare.XXXXXX)
chmod 755 "$WORK"; [ "$(id -u)" = 0 ] && chown postgres "$WORK"
PG_PORT=$(free_port); MG_PORT=$(free_port)
SETTINGS="-c shared_buffers=128MB -c max_connections=100 -c unix_socket_directories=$WORK"
MG_PID=
pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; }
mg_stop() { # fast shutdown; after 60 s the launcher and its child JVM are killed
  local pm=
  [ -f "$WORK/mg/postmaster.pid" ] && pm=$(head -1 "$WORK/mg/postmaster.pid")
  [ -n "$pm" ] && kill -INT "$pm" 2>/dev/null || true
  for _ in $(seq 1 120); do { [ -n "$MG_PID" ] && kill -0 "$MG_PID" 2>/dev/null; } || break; sleep 0.5; done
  if [ -n "$MG_PID" ] && kill -0 "$MG_PID" 2>/dev/null; then
    echo "Modgres did not stop within 60 s; killing it" >&2
    [ -n "$pm" ] && kill -9 "$pm" 2>/dev/null || true
    kill -9 "$MG_PID" 2>/dev/null || true
  fi
  [ -n "$MG_PID" ] && wait "$MG_PID" 2>/dev/null || true
  MG_PID=
}
cleanup() { pg_stop; mg_stop; rm -rf "$WORK"; }
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust --data-checksums >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -o "-p $PG_PORT $SETTINGS" -w start >/dev/null
java -jar "$JAR" -D "$WORK/mg" -p "$MG_PORT" --no-console $SETTINGS > "$WORK/mg.log" 2>&1 &
MG_PID=$!
for _ in $(seq 1 1200); do grep -q "ready to accept connections" "$WORK/mg.log" && break; sleep 0.05; done

for port in $PG_PORT $MG_PORT; do
  psql -q -h "$WORK" -p "$port" -U postgres postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE s10k (b text);
INSERT INTO s10k SELECT string_agg(md5(g::text), '') FROM generate_series(1, 320) g;
CREATE TABLE s1m (b bytea);
INSERT INTO s1m SELECT decode(string_agg(md5(g::text), ''), 'hex') FROM generate_series(1, 65536) g;
CREATE TABLE s1mc (b text);
INSERT INTO s1mc SELECT left(string_agg((g % 9973)::text, ' '), 1048576) FROM generate_series(1, 300000) g;
CREATE TABLE d10k (b text);
CREATE TABLE d1m (b bytea);
CREATE TABLE d1mc (b text);
SQL
  psql -X -At -h "$WORK" -p "$port" -U postgres postgres -c \
    "SELECT 'stored sizes on port $port: ' || (SELECT pg_column_size(b) FROM s10k) || ' ' || (SELECT pg_column_size(b) FROM s1m) || ' ' || (SELECT pg_column_size(b) FROM s1mc)" | tee -a "$OUT"
done

run() { # port script -> "tps latency_ms"
  local out
  out=$(pgbench -n -h "$WORK" -p "$1" -U postgres -f "$HERE/$2.sql" -M prepared -c 1 -T "$SECS" postgres 2>&1) || true
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
tps = re.search(r"^tps = ([\d.]+)", out, re.M)
lat = re.search(r"^latency average = ([\d.]+)", out, re.M)
print(f"{float(tps.group(1)) if tps else 0:.1f} {float(lat.group(1)) if lat else float('nan'):.4f}")
PY
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.4f}')" "$@"; }

printf "\n%-30s %10s %10s %6s %11s %11s\n" "workload ($SECS s x $REPS, median)" "PG tps" "MG tps" "MG/PG" \
  "PG ms" "MG ms" | tee -a "$OUT"
for q in ins10k sel10k ins1m sel1m ins1mc sel1mc; do
  pg_t=(); mg_t=(); pg_l=(); mg_l=()
  for rep in $(seq 1 "$REPS"); do
    read -r t l <<<"$(run "$PG_PORT" "$q")"; pg_t+=("$t"); pg_l+=("$l")
    read -r t l <<<"$(run "$MG_PORT" "$q")"; mg_t+=("$t"); mg_l+=("$l")
  done
  p=$(median "${pg_t[@]}"); m=$(median "${mg_t[@]}")
  printf "%-30s %10.1f %10.1f %6s %11.3f %11.3f\n" "$q" "$p" "$m" \
    "$(python3 -c "print(f'{$m/$p:.2f}' if $p else '-')")" "$(median "${pg_l[@]}")" "$(median "${mg_l[@]}")" | tee -a "$OUT"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; results in $OUT"
