#!/usr/bin/env bash
# Executor memory side by side (issue 8): PostgreSQL 15 and Modgres on this
# machine with equal settings, the same ~1 GB table loaded into each, then
# queries that must spill to temporary files under work_mem, run ALTERNATELY
# (PostgreSQL, Modgres, PostgreSQL, ...), the median of the repetitions
# printed in one table.
#
#   bench/spill-compare/run.sh [--quick] [--rows N] [--reps N] [--work-mem "4MB 64MB"]
#                              [--workloads "sort window hashjoin hashagg"] [--jfr "WORKLOAD..."]
#
# Data (load.sql; identical on both servers, no random()):
#   big(id bigint, k integer, pad text)  --rows rows (default 12 000 000, ≈ 1 GB
#                                        in PostgreSQL's heap), k in [0, rows/3)
#   dim(k integer, v integer, name text)  rows/4 rows, k = 0 .. rows/4 - 1
# Workloads (one SQL file each, run with SET work_mem first):
#   sort      sort.sql      whole rows ORDER BY k, id, counted    -> Sort "external merge"
#   window    window.sql    the same sort under row_number(); the result depends
#                           on the order of every row, so equal results = equal order
#   hashjoin  hashjoin.sql  big JOIN dim USING (k), aggregated   -> Hash "Batches" > 1
#   hashagg   hashagg.sql   GROUP BY k (rows/3 groups)           -> HashAggregate "Batches" > 1
# For each work_mem and workload: one EXPLAIN ANALYZE on each server first
# (checks the spill really happens, shows the spill line; also warms the
# caches), then --reps timed runs per server, alternating. Per run: wall time
# of psql (connection included, negligible against seconds), the result
# (compared between the servers), pg_stat_database.temp_bytes before/after,
# and the server's peak proportional set size (PSS, sampled every 0.25 s;
# PostgreSQL: postmaster and all its children, so shared_buffers count once;
# Modgres: the server JVM).
# --jfr "WORKLOAD...": afterwards one more Modgres run of each (first work_mem)
# under JFR (settings=profile), with the hottest top frames and the hottest
# modgres methods (inclusive) appended to the results.
# --quick: 1 000 000 rows, 1 repetition, work_mem 4MB (a smoke run, ~2 min).
#
# Settings on both: shared_buffers=128MB, work_mem (per run), hash_mem_multiplier=2
# (PostgreSQL 15's default), max_parallel_workers_per_gather=0 (Modgres has no
# parallel query: this compares one backend's executor with another's), fsync on.
# PostgreSQL's JIT stays at its default (on).
# Output: the table on stdout and in bench/results/spill-compare-<date>.txt
# (plans and profile beside it). Needs Debian's postgresql-15 and a built launcher.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.."
ROWS=12000000
REPS=3
WORK_MEMS="4MB 64MB"
WORKLOADS="sort window hashjoin hashagg"
JFR_WORKLOAD=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) ROWS=1000000; REPS=1; WORK_MEMS=4MB ;;
    --rows) ROWS=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --work-mem) WORK_MEMS=$2; shift ;;
    --workloads) WORKLOADS=$2; shift ;;
    --jfr) JFR_WORKLOAD=$2; shift ;;
    *) sed -n '2,40p' "$0"; exit 2 ;;
  esac
  shift
done
KEYS=$((ROWS / 3)); DIMROWS=$((ROWS / 4))
PGBIN=/usr/lib/postgresql/15/bin
JAR=$PWD/launcher/target/modgres.jar
[ -x "$PGBIN/initdb" ] || { echo "needs postgresql-15 (apt-get install postgresql-15)"; exit 2; }
[ -f "$JAR" ] || { echo "build first: mvn -q install -DskipTests"; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%N; }

STAMP=$(date +%Y-%m-%d-%H%M)
mkdir -p bench/results
OUT=bench/results/spill-compare-$STAMP.txt
PLANS=bench/results/spill-compare-$STAMP-plans.txt
PROFILE=bench/results/spill-compare-$STAMP-jfr.txt
WORK=$(mktemp -d /tmp/spill-compare.XXXXXX)
chmod 755 "$WORK"; [ "$(id -u)" = 0 ] && chown postgres "$WORK"
PG_PORT=$(free_port); MG_PORT=$(free_port)
SETTINGS="-c shared_buffers=128MB -c max_connections=100 -c work_mem=4MB -c hash_mem_multiplier=2"
SETTINGS="$SETTINGS -c max_parallel_workers_per_gather=0 -c fsync=on"
MG_PID=
JAR_MTIME=$(stat -c %Y "$JAR")

pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; }
mg_stop() {
  local child=
  [ -f "$WORK/mg/postmaster.pid" ] && child=$(head -1 "$WORK/mg/postmaster.pid")
  [ -n "$child" ] && kill -INT "$child" 2>/dev/null || true
  if [ -n "$MG_PID" ]; then
    for _ in $(seq 1 100); do kill -0 "$MG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$MG_PID" 2>/dev/null || true
    [ -n "$child" ] && kill -9 "$child" 2>/dev/null || true
    wait "$MG_PID" 2>/dev/null || true
  fi
  MG_PID=
}
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  pg_stop; mg_stop; rm -rf "$WORK"
}
trap cleanup EXIT

pss_kb() { # port -> proportional set size (kB) of the whole server (see the header)
  local pm pids
  if [ "$1" = "$PG_PORT" ]; then
    pm=$(head -1 "$WORK/pg/postmaster.pid"); pids="$pm $(ps -o pid= --ppid "$pm")"
  else
    pm=$(head -1 "$WORK/mg/postmaster.pid"); pids=$pm
  fi
  for p in $pids; do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true; done \
    | awk '{s+=$1} END {print s + 0}'
}
psql_at() { local port=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@" postgres; }
temp_bytes() { psql_at "$1" -c "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()"; }

# ---------------------------------------------------------------- start both
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -o "-p $PG_PORT -k $WORK $SETTINGS" -w start >/dev/null
java -jar "$JAR" -D "$WORK/mg" -p "$MG_PORT" --no-console $SETTINGS > "$WORK/mg.log" 2>&1 &
MG_PID=$!
for _ in $(seq 1 600); do grep -q "ready to accept connections" "$WORK/mg.log" && break; sleep 0.1; done
grep -q "ready to accept connections" "$WORK/mg.log" || { echo "Modgres did not start:"; tail -20 "$WORK/mg.log"; exit 1; }

# ---------------------------------------------------------------- load (one server after the other)
declare -A R
load() { # port -> "big_s dim_s vacuum_s analyze_s"
  psql_at "$1" -f "$HERE/schema.sql" >/dev/null 2>&1
  psql -X -v ON_ERROR_STOP=1 -v rows="$ROWS" -v keys="$KEYS" -v dimrows="$DIMROWS" -h 127.0.0.1 -p "$1" \
    -U postgres -f "$HERE/load.sql" postgres > "$WORK/load.$1.log" 2>&1 \
    || { echo "load failed on port $1:"; tail -5 "$WORK/load.$1.log"; exit 1; }
  python3 - "$WORK/load.$1.log" <<'PY'
import re, sys
sec, t = None, {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line in ("load-big", "load-dim", "vacuum", "analyze", "checkpoint"):
        sec = line
    m = re.match(r"Time: ([\d.]+) ms", line)
    if m and sec:
        t[sec] = t.get(sec, 0) + float(m.group(1)) / 1000
print(" ".join(f"{t.get(s, 0):.1f}" for s in ("load-big", "load-dim", "vacuum", "analyze")))
PY
}
rel_bytes() { # port datadir relname -> bytes of the relation's main fork (all segments), from the files
  local ids; ids=$(psql_at "$1" -F ' ' -c "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),
    relfilenode FROM pg_class WHERE relname = '$3'")
  python3 - "$2" $ids <<'PY'
import glob, os, sys
d, db, node = sys.argv[1:4]
files = [f"{d}/base/{db}/{node}"] + glob.glob(f"{d}/base/{db}/{node}.[0-9]*")
print(sum(os.path.getsize(f) for f in files if os.path.exists(f)))
PY
}
R[load.pg]=$(load "$PG_PORT"); R[load.mg]=$(load "$MG_PORT")
for t in big dim; do
  R[size.pg.$t]=$(rel_bytes "$PG_PORT" "$WORK/pg" "$t"); R[size.mg.$t]=$(rel_bytes "$MG_PORT" "$WORK/mg" "$t")
done

# ---------------------------------------------------------------- runs
sample_start() { # port file: peak PSS sampler in the background
  ( while :; do pss_kb "$1"; sleep 0.25; done > "$2" ) &
  SAMPLER=$!
}
sample_stop() { # file -> peak kB
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=
  local peak; peak=$(sort -n "$1" | tail -1); echo "${peak:-0}"
}
run() { # port work_mem workload -> "seconds temp_bytes peak_pss_kb result"
  local port=$1 wm=$2 wl=$3 t0 t1 b0 b1 res peak
  b0=$(temp_bytes "$port")
  sample_start "$port" "$WORK/pss"
  t0=$(now)
  res=$(psql_at "$port" -c "SET work_mem = '$wm'" -f "$HERE/$wl.sql" 2>&1 | tail -1)
  t1=$(now)
  peak=$(sample_stop "$WORK/pss")
  sleep 0.5   # PostgreSQL's backend flushes its statistics as it exits
  b1=$(temp_bytes "$port")
  echo "$(python3 -c "print(f'{$t1 - $t0:.2f}')") $((b1 - b0)) $peak $res"
}
spill_line() { # port work_mem workload -> the plan's spill evidence, plan appended to $PLANS
  local plan
  plan=$( (echo "SET work_mem = '$2';"; sed -e '/^--/d' "$HERE/$3.sql" | sed -e 's/^SELECT/EXPLAIN (ANALYZE, COSTS OFF) SELECT/') \
    | psql -X -q -h 127.0.0.1 -p "$1" -U postgres -f - postgres 2>&1)
  { echo "=== $3 work_mem=$2 $([ "$1" = "$PG_PORT" ] && echo PostgreSQL || echo Modgres)"; echo "$plan"; } >> "$PLANS"
  echo "$plan" | python3 -c '
import re, sys
p = sys.stdin.read()
m = re.search(r"Sort Method: (external merge|external sort|quicksort)\s+(Disk|Memory): (\d+)kB", p)
if m: print(m.group(1).replace(" ", "-") + ":" + str(int(m.group(3)) // 1024) + "MB"); sys.exit()
b = re.findall(r"Batches: (\d+)", p)
if b: print("batches:" + "/".join(b)); sys.exit()
print("?")'
}
median() { python3 -c "import statistics, sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }

HDR=$(printf "%-9s %8s %8s %8s %6s %9s %9s %8s %8s %-22s %s" workload work_mem "PG s" "MG s" ratio \
  "PG temp" "MG temp" "PG PSS" "MG PSS" "spill PG / MG" result)
{
  echo "# rows=$ROWS keys=$KEYS dim=$DIMROWS reps=$REPS (median), $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB," \
    "$(java -version 2>&1 | head -1), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(date -u '+%F %H:%M UTC')"
  read -r a b c d <<<"${R[load.pg]}"; read -r e f g h <<<"${R[load.mg]}"
  printf "# load (s): insert big %s / %s, insert dim %s / %s, vacuum %s / %s, analyze %s / %s (PostgreSQL / Modgres)\n" \
    "$a" "$e" "$b" "$f" "$c" "$g" "$d" "$h"
  printf "# heap files: big %s MB / %s MB, dim %s MB / %s MB (PostgreSQL / Modgres)\n" \
    "$((${R[size.pg.big]} / 1048576))" "$((${R[size.mg.big]} / 1048576))" \
    "$((${R[size.pg.dim]} / 1048576))" "$((${R[size.mg.dim]} / 1048576))"
  echo "# ratio = PostgreSQL time / Modgres time (= Modgres throughput / PostgreSQL's; above 1: Modgres faster);"
  echo "# temp = pg_stat_database.temp_bytes added by one run (MB); PSS = peak of the whole server (MB)"
  echo "$HDR"
} | tee "$OUT"
: > "$PLANS"
for wm in $WORK_MEMS; do
  for wl in $WORKLOADS; do
    sp_pg=$(spill_line "$PG_PORT" "$wm" "$wl"); sp_mg=$(spill_line "$MG_PORT" "$wm" "$wl")
    PT=(); MT=(); PB=(); MB=(); PP=(); MP=(); same=same
    for _ in $(seq 1 "$REPS"); do
      read -r t b p res_pg <<<"$(run "$PG_PORT" "$wm" "$wl")"; PT+=("$t"); PB+=("$b"); PP+=("$p")
      read -r t b p res_mg <<<"$(run "$MG_PORT" "$wm" "$wl")"; MT+=("$t"); MB+=("$b"); MP+=("$p")
      [ "$res_pg" = "$res_mg" ] || same="DIFF:$res_pg<>$res_mg"
    done
    pt=$(median "${PT[@]}"); mt=$(median "${MT[@]}")
    printf "%-9s %8s %8s %8s %6s %9s %9s %8s %8s %-22s %s\n" "$wl" "$wm" "$pt" "$mt" \
      "$(python3 -c "print(f'{$pt/$mt:.2f}')")" \
      "$(( $(median "${PB[@]}" | cut -d. -f1) / 1048576 ))" "$(( $(median "${MB[@]}" | cut -d. -f1) / 1048576 ))" \
      "$(( $(median "${PP[@]}" | cut -d. -f1) / 1024 ))" "$(( $(median "${MP[@]}" | cut -d. -f1) / 1024 ))" \
      "$sp_pg / $sp_mg" "$same" | tee -a "$OUT"
    echo "#   $wl $wm runs PG: ${PT[*]}  MG: ${MT[*]}  result: $res_pg" >> "$OUT"
  done
done

# ---------------------------------------------------------------- profile of the Modgres side
if [ -n "$JFR_WORKLOAD" ]; then
  wm=${WORK_MEMS%% *}
  child=$(head -1 "$WORK/mg/postmaster.pid")
  : > "$PROFILE"
  for wl in $JFR_WORKLOAD; do
  rm -f "$WORK/spill.jfr"
  jcmd "$child" JFR.start name=spill settings=profile filename="$WORK/spill.jfr" >/dev/null
  read -r t _ <<<"$(run "$MG_PORT" "$wm" "$wl")"
  jcmd "$child" JFR.stop name=spill >/dev/null
  {
    echo "# JFR of Modgres, $wl work_mem=$wm ($t s under the profiler); jdk.ExecutionSample"
    jfr print --events jdk.ExecutionSample --stack-depth 64 "$WORK/spill.jfr" | python3 -c '
import collections, re, sys
top, incl, n = collections.Counter(), collections.Counter(), 0
for ev in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+(\S+)\(.*line:", ev, re.M)
    if not frames: continue
    n += 1
    top[frames[0]] += 1
    for f in set(frames):
        if f.startswith("modgres."): incl[f] += 1
print(f"{n} samples\n-- top frames (self)")
for f, c in top.most_common(25): print(f"{100*c/n:5.1f}%  {f}")
print("-- modgres methods (inclusive)")
for f, c in incl.most_common(40): print(f"{100*c/n:5.1f}%  {f}")'
    echo
  } >> "$PROFILE"
  done
  echo "profile: $PROFILE"
fi
[ "$(stat -c %Y "$JAR")" = "$JAR_MTIME" ] || echo "# note: $JAR was replaced during the run (the server kept the old one)" | tee -a "$OUT"
echo "table: $OUT  plans: $PLANS"
