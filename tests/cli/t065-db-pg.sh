# t065-db-pg: the database interface's cases (tests/unit/test_db.c) against
# a real PostgreSQL: a scratch server of this test's own (tests/pg.sh),
# stopped by the last case to see a lost connection reported, not a crash.
# Skipped where PostgreSQL cannot run (scripts/deps.sh postgres).
set -u
TEST_DB=${TEST_DB:-build/tests/test_db}
[ -x "$TEST_DB" ] || { echo "FAIL: $TEST_DB not built (make $TEST_DB)"; exit 1; }
. tests/pg.sh
"$TEST_DB" pg
