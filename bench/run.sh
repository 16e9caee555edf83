#!/bin/sh
# make bench: import the full NSPL file, then time look-ups and locates.
# Prints figures; asserts nothing.  Skips what needs ../shared when absent.
set -eu
cd "$(dirname "$0")/.."
SHARED_DIR=${SHARED_DIR:-../shared}
NSPL=$SHARED_DIR/data/postcodes/nspl_2025_05_postcode_latlong.csv.xz
if [ ! -f "$NSPL" ]; then
	echo "bench: $NSPL not found; skipping the postcode benchmarks"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat >"$T/gateway.conf" <<CONF
[database]
path = $T/bench.db
example_data = yes
CONF

echo "== postcode import (NSPL, $(xz -l --robot "$NSPL" | awk '/^totals/ {print $5}') bytes of CSV)"
xz -dc "$NSPL" | build/gateway --config "$T/gateway.conf" postcodes import -
echo "database size: $(du -m "$T/bench.db" | cut -f1) MB (after import, WAL checkpointed)"

# Every 27th postcode of the file: a spread across the whole country.
xz -dc "$NSPL" | awk -F, 'NR > 1 && NR % 27 == 0 {print $1}' >"$T/postcodes.txt"
echo
echo "== look-ups and locates ($(wc -l <"$T/postcodes.txt") sample postcodes)"
build/bench-locate "$T/gateway.conf" "$T/postcodes.txt" 100000
# The unit sets MemoryDenyWriteExecute, which leaves PCRE2 without its JIT:
# the same locates on the interpreter.
echo
echo "== locates on the PCRE2 interpreter (GATEWAY_NO_JIT, as under MemoryDenyWriteExecute)"
GATEWAY_NO_JIT=1 build/bench-locate "$T/gateway.conf" "$T/postcodes.txt" 100000 |
    grep '^locate (parse'
