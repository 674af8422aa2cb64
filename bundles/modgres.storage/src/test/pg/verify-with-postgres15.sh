#!/bin/sh
# Checks pages written by Modgres with PostgreSQL 15's own tools (manual; needs
# root, Debian's postgresql-15 and the contrib modules pageinspect and
# pg_freespacemap). Makes a cluster with data checksums, creates an empty table,
# stops the server, lets PostgresExportTest write the table's blocks and free
# space map through Modgres' storage bundle, then: pg_checksums --check, a
# SELECT of every row, pageinspect and pg_freespace.
#
#   sh bundles/modgres.storage/src/test/pg/verify-with-postgres15.sh   (from the repository root)
set -eu
BIN=/usr/lib/postgresql/15/bin
PORT=${PORT:-54392}
WORK=$(mktemp -d /tmp/modgres-pgverify.XXXXXX)
DATA=$WORK/data
chown postgres "$WORK"
pg() { runuser -u postgres -- "$@"; }
psql_() { pg "$BIN/psql" -X -h /tmp -p "$PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

pg "$BIN/initdb" -D "$DATA" --data-checksums -U postgres -E UTF8 --locale=C >"$WORK/initdb.log"
pg "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=''" -l "$WORK/server.log" -w start >/dev/null
psql_ -q -c "CREATE EXTENSION pageinspect" -c "CREATE EXTENSION pg_freespacemap" \
      -c "CREATE TABLE x (id int4, name text, note text)"
FILE=$(psql_ -Atc "select pg_relation_filepath('x')")
NODE=${FILE##*/}
pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null

mvn -q -B -o test -pl bundles/modgres.storage -Dtest=PostgresExportTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmodgres.pgexport.dir="$DATA" -Dmodgres.pgexport.relfilenode="$NODE"
chown -R postgres "$DATA/base/5"
ls -l "$DATA/$FILE" "$DATA/${FILE}_fsm"

echo "== pg_checksums --check"
pg "$BIN/pg_checksums" --check -D "$DATA"
pg "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=''" -l "$WORK/server.log" -w start >/dev/null
echo "== rows"
psql_ -c "select count(*), min(id), max(id), count(note) from x" \
      -c "select * from x where id in (1, 5, 1001, 1002, 1004) order by id"
echo "== page_header"
psql_ -c "select 0 blk, * from page_header(get_raw_page('x', 0)) union all select 1, * from page_header(get_raw_page('x', 1))"
echo "== heap_page_items (block 1, first 6)"
psql_ -c "select lp, lp_off, lp_flags, lp_len, t_xmin, t_ctid, t_infomask2, t_infomask, t_hoff, t_bits from heap_page_items(get_raw_page('x', 1)) limit 6"
echo "== pg_freespace"
psql_ -c "select * from pg_freespace('x')"
echo "== amcheck-free sanity: a new insert goes where the FSM says"
psql_ -c "insert into x values (9999, 'after', 'modgres') returning ctid"
pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
rm -rf "$WORK"
