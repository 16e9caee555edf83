# t900-fuzz: every libFuzzer driver of tests/fuzz/ for a few seconds over
# its seeds, under AddressSanitizer, UBSan and LeakSanitizer: no crash, no
# leak, no undefined behaviour.  Installs clang and libFuzzer when missing
# (scripts/deps.sh fuzz) rather than skipping.
. tests/cli/lib.sh

if ! scripts/deps.sh fuzz >"$T/deps.out" 2>&1; then
	bad "clang/libFuzzer missing and not installable: $(cat "$T/deps.out")"
	finish
fi
if ! make --no-print-directory fuzz-build >"$T/build.out" 2>&1; then
	bad "make fuzz-build: $(tail -20 "$T/build.out")"
	finish
fi
# Each driver's line, then its own "N passed, N failed" (counted once).
tests/fuzz/run.sh -a "$T/artifacts" "${FUZZ_CHECK_SECONDS:-3}" >"$T/fuzz.out" 2>&1
grep -v '^fuzz: [0-9]* passed' "$T/fuzz.out"
for line in $(sed -n 's/^fuzz_\([a-z_]*\): ok.*/\1/p' "$T/fuzz.out"); do ok; done
for line in $(sed -n 's/^FAIL: fuzz_\([a-z_]*\) .*/\1/p' "$T/fuzz.out"); do
	FAIL=$((FAIL + 1))
done
[ "$PASS" -gt 0 ] || bad "no fuzz driver ran"
finish
