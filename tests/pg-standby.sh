# pg-standby.sh -- sourced by tests that need a PostgreSQL primary with a
# synchronous standby: tests/pg.sh's scratch cluster becomes the primary,
# and a standby made from it by pg_basebackup -R streams its WAL, named in
# the primary's synchronous_standby_names, so that a COMMIT returns only
# once the standby has flushed it (synchronous_commit = on, the default).
# Both listen only on Unix sockets in their own folders; both are stopped
# and removed at exit.  Source it after tests/cli/lib.sh.
#
# Sets, beside pg.sh's PG_URL / PG_DIR (the primary):
#   SB_DIR      the standby's socket folder (its data is in SB_DIR/data)
#   SB_URL      a libpq string for its "gateway" database
#   PG_KILL     stops the primary as a crash would (pg_ctl -m immediate)
#   SB_PROMOTE  promotes the standby and waits until it takes writes
# Where a standby cannot be made it prints "skipped: WHY" and exits 0.

. tests/pg.sh

SB_DIR=$PG_DIR/standby
SB_URL="host=$SB_DIR user=gateway dbname=gateway"

pg_standby_cleanup() {
	[ -f "$SB_DIR/data/postmaster.pid" ] && $PG_AS "$PG_BIN/pg_ctl" \
	    -D "$SB_DIR/data" -m immediate -w stop >/dev/null 2>&1
	pg_cleanup
}
trap 'pg_standby_cleanup' EXIT

mkdir "$SB_DIR"
[ -n "$PG_AS" ] && chown "$PG_USER" "$SB_DIR"
chmod 700 "$SB_DIR"
# initdb's trust lines include "local replication all".
$PG_AS "$PG_BIN/pg_basebackup" -h "$PG_DIR" -U gateway -D "$SB_DIR/data" \
    -R -X stream -c fast >"$SB_DIR/basebackup.log" 2>&1 ||
    pg_skip "pg_basebackup failed: $(tail -3 "$SB_DIR/basebackup.log" | tr '\n' ' ')"
# cluster_name is the application_name the standby's WAL receiver gives.
$PG_AS "$PG_BIN/pg_ctl" -D "$SB_DIR/data" -l "$SB_DIR/log" -w -t 60 \
    -o "-c listen_addresses='' -k $SB_DIR -c max_connections=40 -c cluster_name=standby1" \
    start >/dev/null 2>&1 ||
    pg_skip "the standby did not start: $(tail -3 "$SB_DIR/log" | tr '\n' ' ')"

pg_standby_psql() {	# pg_standby_psql DIR SQL: one value
	"$PG_PSQL" -X -q -A -t -h "$1" -U gateway -d postgres -c "$2"
}
"$PG_PSQL" -X -q -h "$PG_DIR" -U gateway -d postgres >/dev/null 2>&1 <<'SQL' ||
ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (standby1)';
ALTER SYSTEM SET synchronous_commit = on;
SELECT pg_reload_conf();
SQL
    pg_skip "cannot make the standby synchronous"
i=0
until [ "$(pg_standby_psql "$PG_DIR" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")" = sync ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && pg_skip "the standby never became synchronous: $(tail -3 "$SB_DIR/log" | tr '\n' ' ')"
	sleep 0.1
done

PG_KILL="$PG_AS $PG_BIN/pg_ctl -D $PG_DIR/data -m immediate -w stop"
SB_PROMOTE="$PG_AS $PG_BIN/pg_ctl -D $SB_DIR/data -w -t 60 promote"
export SB_DIR SB_URL PG_KILL SB_PROMOTE
