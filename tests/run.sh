#!/bin/sh
# Run every test: the cmocka unit binaries given as arguments, then the
# command-line tests in tests/cli/.  Prints each test program's own output
# and closes with one line "total: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

export SHARED_DIR="${SHARED_DIR:-../shared}"
export GATEWAY="${GATEWAY:-build/gateway-san}"
# Leaks are failures too; the sanitisers' reports say where.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

passed=0
failed=0
broken=""
skipped=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {	# add up the "N passed, N failed" or cmocka summary lines of $log
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\(.*: \)\{0,1\}\([0-9]*\) passed, [0-9]* failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^\(.*: \)\{0,1\}[0-9]* passed, \([0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p))
	failed=$((failed + f))
}

run() {		# run one test program, counting its results
	name=$1; shift
	echo "== $name"
	if "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
	cat "$log"
	count
	# "skipped: WHY" (tests/pg.sh and others that need what may be absent)
	grep -q '^skipped:' "$log" && skipped="$skipped $name"
	if [ "$rc" -ne 0 ]; then
		broken="$broken $name"
		# A crash that printed no failure still counts as one.
		grep -q 'FAILED\|[1-9][0-9]* failed' "$log" || failed=$((failed + 1))
	fi
}

for t in "$@"; do
	run "$(basename "$t")" "$t"
done
for t in tests/cli/t*.sh; do
	[ -f "$t" ] && run "$(basename "$t")" sh "$t"
done
# The store, pipeline and end-to-end suites again on PostgreSQL
# (tests/cli/lib.sh's GW_ENGINE=pg; each says "skipped" where PostgreSQL
# cannot run).  Each costs its scratch cluster too (about 15 s here):
# the set that covers the store's files, the pipeline and the admin API.
# t200-outbox, t400-notify and t510-forget pass too: PG_SUITES="..." to
# choose, PG_SUITES="" for none.
PG_SUITES=${PG_SUITES-t020-postcodes-import t100-serve t300-conversation
    t310-same-batch t500-leads-optouts t600-admin-api}
for t in $PG_SUITES; do
	[ -f "tests/cli/$t.sh" ] && run "$t.sh (postgresql)" env GW_ENGINE=pg \
	    sh "tests/cli/$t.sh"
done

echo
[ -n "$skipped" ] && echo "skipped, in part or whole:$skipped"
[ -n "$broken" ] && echo "failing:$broken"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$broken" ]
