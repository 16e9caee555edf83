#!/bin/sh
# Run the libFuzzer drivers built by `make fuzz-build`, FUZZ_JOBS (2) at a
# time, each for SECONDS over its seeds and its corpus.  Prints a line per
# driver with its runs and rate, then "N passed, N failed".
#
#   tests/fuzz/run.sh [-c CORPUS_ROOT] [-a ARTIFACTS] SECONDS [NAME...]
#
# CORPUS_ROOT/NAME keeps what the fuzzer finds (default: a scratch folder,
# removed afterwards); the seeds in build/fuzz/seeds/NAME are only read.
# A crash, leak or sanitizer report fails the driver; its input is written
# to ARTIFACTS (default build/fuzz/artifacts) and its log is shown.
set -u
cd "$(dirname "$0")/../.."

corpus="" artifacts=build/fuzz/artifacts
while getopts c:a: opt; do
	case $opt in
	c) corpus=$OPTARG ;;
	a) artifacts=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
secs=${1:?usage: run.sh [-c corpus] [-a artifacts] SECONDS [NAME...]}
shift
names=${*:-$(for f in build/fuzz/fuzz_*; do [ -x "$f" ] && basename "$f" | sed 's/^fuzz_//'; done)}
jobs=${FUZZ_JOBS:-2}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
[ -n "$corpus" ] || corpus=$logs/corpus
# The drivers' scratch folders: gone afterwards, even after a crash.
export TMPDIR=$logs/tmp
mkdir -p "$TMPDIR"
mkdir -p "$artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

one() {		# one NAME: run it; its log and exit status in $logs
	mkdir -p "$corpus/$1"
	"build/fuzz/fuzz_$1" -max_total_time="$secs" -timeout=20 \
	    -print_final_stats=1 -artifact_prefix="$artifacts/$1-" \
	    "$corpus/$1" "build/fuzz/seeds/$1" >"$logs/$1.log" 2>&1
	echo $? >"$logs/$1.rc"
}

n=0
for name in $names; do
	one "$name" &
	n=$((n + 1))
	[ $((n % jobs)) -eq 0 ] && wait
done
wait

passed=0 failed=0
for name in $names; do
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$name.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$name.log")
	if [ "$(cat "$logs/$name.rc")" = 0 ] && [ -n "$runs" ]; then
		echo "fuzz_$name: ok, $runs runs in ${secs}s, $rate exec/s"
		passed=$((passed + 1))
	else
		echo "FAIL: fuzz_$name (exit $(cat "$logs/$name.rc")):"
		grep -v '^#\|^INFO:\|^stat::' "$logs/$name.log" | head -60
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
