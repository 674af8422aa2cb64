#!/usr/bin/env bash
#
# Modgres conformance runner: runs PostgreSQL 15's own regression files
# (../shared/conformance/pg_regress, beside the repository) with Debian's
# pg_regress --use-existing against a server it starts itself: Modgres by
# default, a real PostgreSQL 15 with --against-postgres (the reference: a test
# that fails there is a bug of this runner). See conformance/README.md.
#
# Life cycle of one run (everything lives in one temporary directory):
#
#   pick free loopback port -> start server (fresh data dir) -> wait ready
#     -> create/choose database -> psql -f setup.sql -> pg_regress per test
#     -> compare results/*.out with expected/*.out and *_N.out -> summary
#   trap EXIT/INT/TERM: stop server (SIGINT/pg_ctl, then SIGKILL), rm tmp dir
#
set -u

usage() {
    cat <<'EOF'
Usage: conformance/run.sh [OPTION]... [TEST]...

Runs PostgreSQL's regression tests (all of sql/ except test_setup, in the
order of conformance/schedule, or the TESTs named) against a fresh server.

Options:
  --against-postgres     run against a real PostgreSQL 15 (the reference)
                         instead of Modgres (launcher/target/modgres.jar)
  --expect-pass LIST     only these tests must pass: the exit status is non-zero
                         only if one of them fails. LIST is a space-separated list
                         of names or the path of a file of names (one or more per
                         line, # comments), e.g. conformance/expected-pass
  --allow-fail           exit 0 even if tests fail (still prints the results)
  --timeout SECONDS      time limit per test (default 60; setup gets 4x)
  --keep                 keep the temporary directory (results, diffs, server log)
  --show-diffs           print the diff of each failed test
  -h, --help             show this help

Environment: PG_BINDIR (default /usr/lib/postgresql/15/bin), PG_REGRESS
(default Debian's pg_regress), MODGRES_JAR (default launcher/target/modgres.jar),
JAVA (default java).
EOF
}

# ---------------------------------------------------------------- locations
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
SUITE_DIR="$(dirname "$REPO_ROOT")/shared/conformance/pg_regress"
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
PG_REGRESS=${PG_REGRESS:-/usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress}
MODGRES_JAR=${MODGRES_JAR:-$REPO_ROOT/launcher/target/modgres.jar}
JAVA=${JAVA:-java}

# ---------------------------------------------------------------- options
against_postgres=0
keep=0
allow_fail=0
show_diffs=0
expect_pass_arg=
expect_pass_given=0
per_test_timeout=60
tests=()

die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --against-postgres) against_postgres=1 ;;
        --keep) keep=1 ;;
        --allow-fail) allow_fail=1 ;;
        --show-diffs) show_diffs=1 ;;
        --expect-pass) [ $# -ge 2 ] || die "--expect-pass needs an argument"
                       expect_pass_arg=$2; expect_pass_given=1; shift ;;
        --expect-pass=*) expect_pass_arg=${1#*=}; expect_pass_given=1 ;;
        --timeout) [ $# -ge 2 ] || die "--timeout needs an argument"
                   per_test_timeout=$2; shift ;;
        --timeout=*) per_test_timeout=${1#*=} ;;
        -h|--help) usage; exit 0 ;;
        --) shift; tests+=("$@"); break ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) tests+=("$1") ;;
    esac
    shift
done
case "$per_test_timeout" in ''|*[!0-9]*|0) die "--timeout needs a positive number of seconds" ;; esac

if ! { [ -d "$SUITE_DIR/sql" ] && [ -d "$SUITE_DIR/expected" ]; }; then
    # The files are not part of the repository: a checkout without the workspace's shared/ beside it (a CI
    # clone elsewhere) has nothing to check against. As a guard (--expect-pass) that is not a failure.
    if [ "${expect_pass_given:-0}" = 1 ]; then
        echo "conformance: regression files not found in $SUITE_DIR; nothing to check (guard skipped)"
        exit 0
    fi
    die "regression files not found in $SUITE_DIR (expected ../shared/conformance/pg_regress beside the repository)"
fi
[ -x "$PG_REGRESS" ] || die "pg_regress not found at $PG_REGRESS (Debian package postgresql-client-15 / postgresql-server-dev-15)"
[ -x "$PG_BINDIR/psql" ] || die "psql not found in $PG_BINDIR"
command -v timeout >/dev/null || die "timeout (coreutils) is required"

# Test list: the names given, else conformance/schedule's order followed by
# any other sql/*.sql (test_setup is replaced by setup.sql).
if [ ${#tests[@]} -eq 0 ]; then
    declare -A seen=()
    if [ -f "$SCRIPT_DIR/schedule" ]; then
        while read -r line; do
            line=${line%%#*}
            for t in $line; do
                if [ -f "$SUITE_DIR/sql/$t.sql" ] && [ -z "${seen[$t]:-}" ]; then
                    tests+=("$t"); seen[$t]=1
                fi
            done
        done < "$SCRIPT_DIR/schedule"
    fi
    for f in "$SUITE_DIR"/sql/*.sql; do
        t=$(basename "$f" .sql)
        [ "$t" = test_setup ] && continue
        [ -z "${seen[$t]:-}" ] && { tests+=("$t"); seen[$t]=1; }
    done
else
    for t in "${tests[@]}"; do
        [ -f "$SUITE_DIR/sql/$t.sql" ] || die "no such test: $t ($SUITE_DIR/sql/$t.sql)"
    done
fi

# Expected-pass list: a file of names or the names themselves.
expect_pass=()
if [ $expect_pass_given -eq 1 ]; then
    ep_file=
    if [ -f "$expect_pass_arg" ]; then
        ep_file=$expect_pass_arg
    elif [ -f "$REPO_ROOT/$expect_pass_arg" ]; then
        ep_file=$REPO_ROOT/$expect_pass_arg
    elif [[ "$expect_pass_arg" == */* ]]; then
        die "--expect-pass: no such file: $expect_pass_arg"
    fi
    if [ -n "$ep_file" ]; then
        while read -r line; do
            line=${line%%#*}
            for t in $line; do expect_pass+=("$t"); done
        done < "$ep_file"
    else
        for t in $expect_pass_arg; do expect_pass+=("$t"); done
    fi
    for t in "${expect_pass[@]}"; do
        [ -f "$SUITE_DIR/sql/$t.sql" ] || echo "run.sh: warning: expected-pass test $t does not exist" >&2
    done
fi

if [ $against_postgres -eq 0 ]; then
    [ -f "$MODGRES_JAR" ] || die "$MODGRES_JAR is missing: build it first (cd $REPO_ROOT && mvn -q install -DskipTests)"
    command -v "$JAVA" >/dev/null || die "java not found (set JAVA)"
else
    [ -x "$PG_BINDIR/postgres" ] && [ -x "$PG_BINDIR/initdb" ] \
        || die "PostgreSQL 15 server not found in $PG_BINDIR (Debian package postgresql-15)"
fi

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d "${TMPDIR:-/tmp}/modgres-conformance.XXXXXX") || die "cannot create a temporary directory"
DATA=$TMP/data
OUT=$TMP/out
mkdir -p "$OUT/results" "$OUT/logs"
SERVER_LOG=$TMP/server.log
server_pid=
server_started=0

# as_pg: run a PostgreSQL server binary; as root, as user postgres (initdb and
# postgres refuse to run as root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_server() {
    [ $server_started -eq 1 ] || return 0
    server_started=0
    if [ $against_postgres -eq 1 ]; then
        as_pg "$PG_BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 20 stop >/dev/null 2>&1 \
            || as_pg "$PG_BINDIR/pg_ctl" -D "$DATA" -m immediate -w -t 10 stop >/dev/null 2>&1
        return 0
    fi
    # Modgres: a watcher JVM ($server_pid, leader of its own process group)
    # and the server JVM, whose pid is in postmaster.pid. SIGINT to the server
    # is a fast shutdown; SIGTERM to the watcher is passed on as a smart one.
    local pm=
    [ -f "$DATA/postmaster.pid" ] && pm=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)
    [ -n "$pm" ] && kill -INT "$pm" 2>/dev/null
    kill -TERM "$server_pid" 2>/dev/null
    local i
    for i in $(seq 1 100); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: Modgres did not stop within 20 s; killing it" >&8
        kill -KILL -- "-$server_pid" 2>/dev/null
        [ -n "$pm" ] && kill -KILL "$pm" 2>/dev/null
    fi
    wait "$server_pid" 2>/dev/null
    return 0
}

cleanup() {
    stop_server
    if [ $keep -eq 1 ]; then
        echo "kept: $TMP (out/results, out/regression.diffs, server.log)" >&7
    else
        rm -rf "$TMP"
    fi
}
# Traps may run inside a function whose output is redirected to a log
# (run_limited ... >log): they write to the script's own stdout/stderr, saved
# here as fds 7 and 8 (closed for the server processes).
exec 7>&1 8>&2

# Time-limited commands run in the background and are waited for, so that a
# signal to this script is handled at once (bash defers traps while a
# foreground child runs); the trap passes it on to timeout, which passes it
# on to the command and its process group.
child_pid=
run_limited() {
    local secs=$1; shift
    timeout -k 5 "$secs" "$@" &
    child_pid=$!
    wait "$child_pid"
    local rc=$?
    child_pid=
    return $rc
}
on_signal() {
    echo "run.sh: $1" >&8
    [ -n "$child_pid" ] && kill -TERM "$child_pid" 2>/dev/null && wait "$child_pid" 2>/dev/null
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM HUP

# ---------------------------------------------------------------- port
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
    local p i
    for i in $(seq 1 100); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}
PORT=$(pick_port) || die "no free port found"

# Settings that pg_regress gives the databases it creates (ALTER DATABASE ...
# SET); with --use-existing it does not, so the server gets them instead.
SETTINGS=(lc_messages=C lc_monetary=C lc_numeric=C lc_time=C bytea_output=hex
          timezone_abbreviations=Default)

# ---------------------------------------------------------------- start the server
start_time=$(date +%s)
if [ $against_postgres -eq 1 ]; then
    SERVER_NAME="PostgreSQL $("$PG_BINDIR/postgres" --version | grep -o -E '[0-9]+\.[0-9]+' | head -n 1)"
    DBNAME=regression
    [ "$(id -u)" -eq 0 ] && chown postgres: "$TMP"
    as_pg "$PG_BINDIR/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale \
        --no-sync >"$TMP/initdb.log" 2>&1 \
        || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
    opts="-p $PORT -c listen_addresses=127.0.0.1 -k '$TMP' -c fsync=off -c max_connections=20"
    for s in "${SETTINGS[@]}"; do opts="$opts -c $s"; done
    server_started=1
    as_pg "$PG_BINDIR/pg_ctl" -D "$DATA" -o "$opts" -l "$SERVER_LOG" -w -t 60 start >/dev/null 2>&1 7>&- 8>&- \
        || { tail -n 20 "$SERVER_LOG" >&2; die "PostgreSQL did not start"; }
else
    SERVER_NAME="Modgres ($MODGRES_JAR)"
    DBNAME=postgres
    args=(-D "$DATA" -p "$PORT" --no-console -c listen_addresses=127.0.0.1
          -c "unix_socket_directories=$TMP")
    for s in "${SETTINGS[@]}"; do args+=(-c "$s"); done
    # Own session/process group, so that a last-resort SIGKILL reaches both JVMs.
    setsid "$JAVA" -jar "$MODGRES_JAR" "${args[@]}" </dev/null >"$SERVER_LOG" 2>&1 7>&- 8>&- &
    server_pid=$!
    server_started=1
fi

# Wait until the server accepts connections (Modgres: JVM start and initdb).
ready=0
deadline=$(( $(date +%s) + 60 ))
while [ "$(date +%s)" -lt $deadline ]; do
    if "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2 >/dev/null 2>&1; then
        ready=1; break
    fi
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
        break
    fi
    sleep 0.25
done
if [ $ready -eq 0 ]; then
    echo "run.sh: $SERVER_NAME did not accept connections on 127.0.0.1:$PORT; last lines of its log:" >&2
    tail -n 30 "$SERVER_LOG" >&2
    exit 2
fi

# The environment pg_regress gives its psql runs (it sets PGTZ, PGDATESTYLE,
# LC_MESSAGES itself); the client encoding is fixed so the locale of the
# caller does not matter.
export PGTZ=PST8PDT PGDATESTYLE="Postgres, MDY" LC_MESSAGES=C PGCLIENTENCODING=UTF8
unset LANGUAGE LC_ALL PGOPTIONS PGDATABASE PGSERVICE PGPASSWORD PGSSLMODE PGHOSTADDR
PSQL=("$PG_BINDIR/psql" -X -h 127.0.0.1 -p "$PORT" -U postgres)

if [ $against_postgres -eq 1 ]; then
    "${PSQL[@]}" -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE \"$DBNAME\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" \
        >"$OUT/createdb.log" 2>&1 || { cat "$OUT/createdb.log" >&2; die "CREATE DATABASE failed"; }
fi

echo "server: $SERVER_NAME on 127.0.0.1:$PORT, database $DBNAME"

# ---------------------------------------------------------------- setup
setup_failed=0
# From the data directory: setup.sql \copy-s the data files by relative names.
cd "$SUITE_DIR/data" || die "cannot enter $SUITE_DIR/data"
run_limited $((per_test_timeout * 4)) "${PSQL[@]}" -d "$DBNAME" -q \
    -f "$SCRIPT_DIR/setup.sql" >"$OUT/setup.log" 2>&1
rc=$?
cd "$TMP"
nerr=$(grep -c -E '^psql:.*(ERROR|FATAL|PANIC|error):' "$OUT/setup.log")
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "FAILED setup (timed out after $((per_test_timeout * 4)) s)"
    setup_failed=1
elif [ "$nerr" -gt 0 ] || [ $rc -ne 0 ]; then
    echo "FAILED setup ($nerr errors, psql exit $rc); first errors:"
    grep -E '^psql:.*(ERROR|FATAL|PANIC|error):' "$OUT/setup.log" | head -n 8 | sed "s|$SCRIPT_DIR/||; s/^/    /"
    setup_failed=1
else
    echo "ok   setup"
fi

# ---------------------------------------------------------------- tests
# pg_regress runs once per test so that each has its own time limit; the
# verdict is ours: the result matches expected/T.out or any expected/T_N.out
# ignoring whitespace (pg_regress's own rule, diff -w).
declare -A verdict=()
passed=0
failed=0
: >"$OUT/regression.diffs"
for t in "${tests[@]}"; do
    rm -f "$OUT/results/$t.out"
    run_limited "$per_test_timeout" "$PG_REGRESS" --use-existing \
        --host=127.0.0.1 --port="$PORT" --user=postgres --dbname="$DBNAME" \
        --inputdir="$SUITE_DIR" --outputdir="$OUT" --bindir="$PG_BINDIR" \
        "$t" >"$OUT/logs/$t.log" 2>&1
    rc=$?
    best=-1
    bestfile=
    if [ -f "$OUT/results/$t.out" ]; then
        for exp in "$SUITE_DIR/expected/$t.out" "$SUITE_DIR"/expected/"$t"_[0-9].out; do
            [ -f "$exp" ] || continue
            n=$(diff -w -U3 "$exp" "$OUT/results/$t.out" | wc -l)
            if [ $best -lt 0 ] || [ "$n" -lt $best ]; then best=$n; bestfile=$exp; fi
        done
    fi
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "FAILED $t (timed out after $per_test_timeout s)"
        verdict[$t]=fail; failed=$((failed + 1))
    elif [ $best -eq 0 ]; then
        echo "ok   $t"
        verdict[$t]=ok; passed=$((passed + 1))
    elif [ $best -lt 0 ]; then
        echo "FAILED $t (no output; see logs/$t.log)"
        sed 's/^/    /' "$OUT/logs/$t.log" | tail -n 5
        verdict[$t]=fail; failed=$((failed + 1))
    else
        echo "FAILED $t ($best diff lines)"
        diff -w -U3 "$bestfile" "$OUT/results/$t.out" >>"$OUT/regression.diffs"
        [ $show_diffs -eq 1 ] && diff -w -U3 "$bestfile" "$OUT/results/$t.out"
        verdict[$t]=fail; failed=$((failed + 1))
    fi
done
rm -f "$OUT/regression.out"

elapsed=$(( $(date +%s) - start_time ))
echo "$passed passed, $failed failed (${elapsed} s)"

# ---------------------------------------------------------------- exit status
status=0
if [ $expect_pass_given -eq 1 ]; then
    regressions=()
    newly=()
    for t in "${expect_pass[@]}"; do
        [ "${verdict[$t]:-}" = fail ] && regressions+=("$t")
    done
    for t in "${tests[@]}"; do
        [ "${verdict[$t]}" = ok ] || continue
        listed=0
        for e in "${expect_pass[@]}"; do [ "$e" = "$t" ] && listed=1; done
        [ $listed -eq 0 ] && newly+=("$t")
    done
    if [ ${#regressions[@]} -gt 0 ]; then
        echo "expected to pass but failed: ${regressions[*]}"
        status=1
    fi
    [ ${#newly[@]} -gt 0 ] && echo "passing but not in the expected-pass list: ${newly[*]}"
elif [ $failed -gt 0 ] || [ $setup_failed -eq 1 ]; then
    status=1
fi
[ $allow_fail -eq 1 ] && status=0
exit $status
