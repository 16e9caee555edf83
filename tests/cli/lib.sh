# lib.sh -- sourced by tests/cli/t*.sh: a scratch directory, a config, and
# checks that count.  Each test ends with `finish`, which prints
# "N passed, N failed" and sets the exit status.

set -u
GATEWAY=${GATEWAY:-build/gateway-san}
case $GATEWAY in /*) ;; *) GATEWAY=$PWD/$GATEWAY ;; esac
SHARED_DIR=${SHARED_DIR:-../shared}
case $SHARED_DIR in /*) ;; *) SHARED_DIR=$PWD/$SHARED_DIR ;; esac
TOP=$PWD
T=$(mktemp -d)
SERVER_PID=""
FAKE_PIDS=""
lib_cleanup() {	# tests/pg.sh's trap calls it too
	[ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
	for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap 'lib_cleanup' EXIT
PASS=0
FAIL=0

# GW_ENGINE=pg: the same test on a scratch PostgreSQL (tests/pg.sh, which
# skips the test where PostgreSQL cannot run) instead of a SQLite file;
# the configs below, gw, the server and sql all use it.
GW_ENGINE=${GW_ENGINE:-sqlite}
[ "$GW_ENGINE" = pg ] && . "$TOP/tests/pg.sh"

# db_conf: the [database] keys of this test's database.
db_conf() {
	if [ "$GW_ENGINE" = pg ]; then
		printf 'url = %s\n' "$PG_URL"
	else
		printf 'path = %s\nsynchronous = %s\n' "$T/gateway.db" \
		    "${SYNCHRONOUS:-normal}"
	fi
}

# A config for a fresh database in the scratch directory.
{ printf '[database]\n'; SYNCHRONOUS=normal db_conf; printf 'example_data = yes\n'; } \
    >"$T/gateway.conf"

gw() {
	"$GATEWAY" --config "$T/gateway.conf" "$@"
}

ok() {
	PASS=$((PASS + 1))
}

bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*"
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi
}

# check_contains WHAT NEEDLE HAYSTACK
check_contains() {
	case $3 in
	*"$2"*) ok ;;
	*) bad "$1: [$2] not in [$3]" ;;
	esac
}

# check_status WHAT EXPECTED_STATUS COMMAND...
check_status() {
	what=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else
		bad "$what: exit $got, expected $want; stderr: $(cat "$T/err")"
	fi
}

# jget JSON PATH: one value out of a JSON document, by SQLite's json_extract.
jget() {
	j=$(printf '%s' "$1" | sed "s/'/''/g")
	sqlite3 :memory: "SELECT coalesce(json_extract('$j', '$2'), 'null')"
}

# jlen JSON PATH: the length of the array at PATH.
jlen() {
	j=$(printf '%s' "$1" | sed "s/'/''/g")
	sqlite3 :memory: "SELECT json_array_length('$j', '$2')"
}

# sql QUERY: ask the test's database (on PostgreSQL in psql's unaligned
# form, which prints rows as sqlite3 does: "a|b").
sql() {
	if [ "$GW_ENGINE" = pg ]; then
		"$PG_PSQL" -X -q -A -t -h "$PG_DIR" -U gateway -d gateway -c "$1"
	else
		sqlite3 "$T/gateway.db" "$1"
	fi
}

# dump_db: every row of the test's database, as SQL text.
dump_db() {
	if [ "$GW_ENGINE" = pg ]; then
		"$PG_BIN/pg_dump" -h "$PG_DIR" -U gateway -d gateway --data-only
	else
		sqlite3 "$T/gateway.db" .dump
	fi
}

finish() {
	echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}

# --- the server ------------------------------------------------------------

# start_server [EXTRA_CONFIG_FILE]: write a config with a free port (the
# kernel picks one: listen = 127.0.0.1:0), the database above, and the
# provider sections in EXTRA_CONFIG_FILE; start `gateway serve`; wait until
# /healthz answers.  Sets PORT and URL.  SYNCHRONOUS=full for a test that
# wants the default durability.
start_server() {
	{
		printf '[server]\nlisten = 127.0.0.1:0\nthreads = 2\n'
		printf 'public_url = %s\n' "${PUBLIC_URL:-}"
		printf '[database]\n'
		db_conf
		printf 'example_data = yes\n'
		[ -n "${1:-}" ] && cat "$1"
	} >"$T/serve.conf"
	launch_server
}

# launch_server: start `gateway serve` on $T/serve.conf, however it was
# written, and wait until /healthz answers.  Sets PORT and URL.
launch_server() {
	: >"$T/serve.out"
	"$GATEWAY" --config "$T/serve.conf" serve >"$T/serve.out" 2>>"$T/serve.err" &
	SERVER_PID=$!
	PORT=""
	i=0
	while [ $i -lt 300 ]; do
		PORT=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$T/serve.out")
		[ -n "$PORT" ] && curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	if [ -z "$PORT" ]; then
		bad "server did not start: $(cat "$T/serve.err")"
		finish
	fi
	URL="http://127.0.0.1:$PORT"
}

# stop_server: SIGTERM, and the server must exit 0 by itself.
stop_server() {
	kill -TERM "$SERVER_PID" 2>/dev/null
	if wait "$SERVER_PID"; then ok; else
		bad "server exit status $?: $(grep -A14 'ERROR: \|runtime error' "$T/serve.err" | head -40)"
	fi
	SERVER_PID=""
}

# post PATH BODY [CURL_ARGS...]: POST, print the status code; the body the
# server answered goes to $T/resp.
post() {
	path=$1 body=$2
	shift 2
	curl -s -o "$T/resp" -w '%{http_code}' --data-binary "$body" "$@" "$URL$path"
}

# api TOKEN METHOD PATH [JSON]: a call of the admin API (/admin/api/PATH)
# with a bearer token; prints the status, the body in $T/resp.
api() {
	curl -s -o "$T/resp" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
	    ${4:+-H 'Content-Type: application/json' --data-binary "$4"} "$URL/admin/api/$3"
}

# token_conf NAME ROLE TOKEN: a [token NAME] section for a config, holding
# only the token's SHA-256, as an admin would write it.
token_conf() {
	printf '[token %s]\nrole = %s\nsha256 = %s\n' "$1" "$2" \
	    "$(printf '%s' "$3" | openssl dgst -sha256 -r | cut -d' ' -f1)"
}

# browser_run SCRIPT ARGS...: tests/browser/SCRIPT in Chromium (installed
# by tests/browser/setup.sh first); one check for its exit, its own lines
# shown.  1 when the browser's tools cannot be had.
browser_run() {
	"$TOP/tests/browser/setup.sh" || { bad "cannot install the browser test's tools"; return 1; }
	script=$1; shift
	if node "$TOP/tests/browser/$script" "$@" >"$T/browser.out" 2>&1; then ok; else
		bad "the browser test: $(cat "$T/browser.out")"
	fi
	cat "$T/browser.out"
}

# hmac_hex KEY: HMAC-SHA256 of stdin, hex.
hmac_hex() {
	openssl dgst -sha256 -hmac "$1" -r | cut -d' ' -f1
}

# start_fake NAME [ARGS...]: start build/fakeserver (see tests/tools), its
# requests logged to $T/NAME.log; sets FAKE_PORT and FAKE_PID_NAME.
start_fake() {
	name=$1
	shift
	: >"$T/$name.out"
	"$TOP/build/fakeserver" --log "$T/$name.log" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	eval "FAKE_PID_$name=$!"
	FAKE_PORT=""
	i=0
	while [ -z "$FAKE_PORT" ] && [ $i -lt 100 ]; do
		FAKE_PORT=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$T/$name.out")
		i=$((i + 1))
		[ -z "$FAKE_PORT" ] && sleep 0.05
	done
	[ -n "$FAKE_PORT" ] || { bad "fakeserver $name did not start: $(cat "$T/$name.err")"; finish; }
	FAKE_PIDS="${FAKE_PIDS:-} $(eval echo \$FAKE_PID_$name)"
}

# wait_for WHAT SQL EXPECTED [SECONDS]: poll the database until the query
# gives the expected answer (never a bare sleep); fails after SECONDS.
wait_for() {
	what=$1 q=$2 want=$3 secs=${4:-20}
	i=0
	while [ $i -lt $((secs * 10)) ]; do
		[ "$(sql "$q")" = "$want" ] && { ok; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	bad "$what: waited ${secs}s for [$want], have [$(sql "$q")]"
	return 1
}
