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
trap 'rm -rf "$T"' EXIT
PASS=0
FAIL=0

# A config for a fresh database in the scratch directory.
cat >"$T/gateway.conf" <<CONF
[database]
path = $T/gateway.db
synchronous = normal
example_data = yes
CONF

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

# sql QUERY: ask the test's database.
sql() {
	sqlite3 "$T/gateway.db" "$1"
}

finish() {
	echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}
