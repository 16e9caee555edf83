# pg.sh -- sourced by tests that need PostgreSQL: a scratch cluster of its
# own, listening only on a Unix socket in a mktemp folder, stopped and
# removed at exit.  Source it after tests/cli/lib.sh when using both; the
# exit trap here runs lib.sh's cleanup too.
#
# Sets PG_URL (a libpq connection string for a fresh database "gateway"),
# PG_DIR (the folder: the socket, data/, log) and PG_STOP (a command that
# stops the server, for tests of a lost connection; pg_stop runs it, and
# pg_start starts it again).
# Where PostgreSQL cannot run it prints "skipped: WHY" and exits 0.
#
# PostgreSQL refuses to run as root: as root, initdb and the server run as
# the postgres user (Debian's package makes it), else nobody, owning the
# folder (PG_RUN_AS: another user).  PG_BIN: where initdb and pg_ctl are
# (Debian's postgresql-15).

# Once a test: lib.sh sources it for GW_ENGINE=pg, and a test of its own
# on PostgreSQL may source it again.
if [ -n "${PG_DIR:-}" ] && [ -n "${PG_URL:-}" ] && [ -d "$PG_DIR" ]; then
	return 0
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""
PG_URL=""
PG_STOP=""

pg_skip() {
	echo "skipped: $(basename "$0" .sh): $*"
	exit 0
}

pg_cleanup() {
	if [ -n "$PG_DIR" ]; then
		[ -f "$PG_DIR/data/postmaster.pid" ] && $PG_AS "$PG_BIN/pg_ctl" \
		    -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
		rm -rf "$PG_DIR"
	fi
	if command -v lib_cleanup >/dev/null 2>&1; then lib_cleanup; fi
}

pg_stop() {
	eval "$PG_STOP" >/dev/null 2>&1
}

# pg_start: the stopped server again, on the same folder and socket.
pg_start() {
	eval "$PG_START" >/dev/null 2>&1
}

[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
    pg_skip "no PostgreSQL in $PG_BIN (scripts/deps.sh postgres installs it)"
command -v psql >/dev/null 2>&1 || [ -x "$PG_BIN/psql" ] ||
    pg_skip "no psql (scripts/deps.sh postgres installs it)"

PG_AS=""
PG_USER=$(id -un)
if [ "$(id -u)" = 0 ]; then
	if [ -n "${PG_RUN_AS:-}" ]; then PG_USER=$PG_RUN_AS
	elif id postgres >/dev/null 2>&1; then PG_USER=postgres
	else PG_USER=nobody; fi
	command -v runuser >/dev/null 2>&1 ||
	    pg_skip "running as root without runuser to drop to $PG_USER"
	PG_AS="runuser -u $PG_USER --"
fi

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gwpg.XXXXXX")
trap 'pg_cleanup' EXIT
trap 'exit 1' INT TERM HUP	# so that the EXIT trap stops the server
[ -n "$PG_AS" ] && chown "$PG_USER" "$PG_DIR"

# trust: only this folder's socket reaches the server.  --no-sync: a
# scratch cluster need not survive a power cut; the server keeps fsync.
if ! $PG_AS "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U gateway \
    -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1; then
	pg_skip "initdb failed: $(tail -3 "$PG_DIR/initdb.log" | tr '\n' ' ')"
fi
if ! $PG_AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-c listen_addresses='' -k $PG_DIR -c max_connections=40" \
    start >/dev/null 2>&1; then
	pg_skip "the server did not start: $(tail -3 "$PG_DIR/log" | tr '\n' ' ')"
fi
PG_STOP="$PG_AS $PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop"
PG_START="$PG_AS $PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -t 60 start -o \"-c listen_addresses='' -k $PG_DIR -c max_connections=40\""
PG_PSQL=$(command -v psql || echo "$PG_BIN/psql")
"$PG_PSQL" -X -q -h "$PG_DIR" -U gateway -d postgres \
    -c 'CREATE DATABASE gateway' >"$PG_DIR/createdb.log" 2>&1 ||
    pg_skip "cannot create a database: $(cat "$PG_DIR/createdb.log")"
PG_URL="host=$PG_DIR user=gateway dbname=gateway"
export PG_URL PG_DIR PG_STOP

# psql_q SQL: the answer of the test's database, unaligned, no header.
psql_q() {
	"$PG_PSQL" -X -q -A -t -h "$PG_DIR" -U gateway -d gateway -c "$1"
}
