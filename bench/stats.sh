#!/bin/sh
# GET /admin/api/stats at a million leads: seed them with SQL over a year
# (a lead every 31.5 s, ids in time order as the writer makes them), start
# the server, and time the dashboard's calls for 30, 90 and 366 days; then
# the same without the index, and what the index costs an insert.  Prints
# figures; asserts nothing.
#
# The leads' "phones" are bench-NNNNNN, which no one can be texted at, so
# that the distinct numbers are as many as a real year's (400,000), where
# the drama range would give a thousand and flatter the count.
set -eu
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-5}
T=$(mktemp -d)
GW_PID=""
trap '[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null; rm -rf "$T"' EXIT
TOKEN=bench-token-not-real

cat >"$T/gateway.conf" <<CONF
[server]
listen = 127.0.0.1:0
[database]
path = $T/gateway.db
example_data = yes
[token bench]
role = viewer
sha256 = $(printf '%s' "$TOKEN" | openssl dgst -sha256 -r | cut -d' ' -f1)
CONF
build/gateway --config "$T/gateway.conf" region list >/dev/null

now=$(date +%s)
start=$((now - 365 * 86400))
# One row a lead, as the pipeline writes it: a unit postcode in a real
# district (some districts far more often than others), the branch and
# region it matched, one in eight falling through to a region and one in
# forty to the national contact, a campaign on a third, a reply's words.
seed() {	# seed FIRST LAST START STEP
	sqlite3 "$T/gateway.db" "
	CREATE TEMP TABLE d AS SELECT row_number() OVER (ORDER BY district) - 1 AS k,
	    district FROM district_centroids;
	CREATE TEMP TABLE b AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id,
	    region_id FROM branches;
	WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
	INSERT INTO leads (phone, name, postcode, branch_id, region_id, match_kind,
	    consent_ext_id, consent_text, consent_at, consent_reply, created_at,
	    updated_at, campaign)
	SELECT 'bench-' || (i % 400000), 'Sam Example', d.district || ' 1AA',
	    CASE WHEN i % 40 = 0 OR i % 8 = 1 THEN NULL ELSE b.id END,
	    CASE WHEN i % 40 = 0 THEN NULL ELSE coalesce(b.region_id, 1 + i % 11) END,
	    CASE WHEN i % 40 = 0 THEN 'national' WHEN i % 8 = 1 THEN 'region'
	        WHEN i % 5 = 0 THEN 'coverage' ELSE 'nearest' END,
	    'bench:' || i, 'Sam Example ' || d.district || ' 1AA', $3 + (i - $1) * $4,
	    'Thanks Sam! Your nearest branch meets on Thursdays at 7pm at the ' ||
	    'Community Centre. Your organiser will be in touch. Reply STOP to opt out.',
	    $3 + (i - $1) * $4, $3 + (i - $1) * $4,
	    CASE i % 3 WHEN 0 THEN 'spring-' || (i % 2) ELSE NULL END
	FROM n JOIN d ON d.k = (i * i) % (SELECT count(*) FROM d) % ((i % 7 + 1) * 450)
	JOIN b ON b.k = i % (SELECT count(*) FROM b);"
}
t0=$(date +%s.%N)
seed 1 "$N" "$start" 31
sqlite3 "$T/gateway.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
    INSERT INTO optouts (phone, opted_out_at, source) SELECT 'bench-' || (i * 19), $start + i * 1570, 'sms' FROM n;
    INSERT INTO outbox (idem_key, channel, recipient, body, purpose, state, next_attempt_at, created_at, updated_at)
    SELECT 'bench:dead:' || id, 'sms', phone, 'x', 'reply', 'dead', 0, created_at, created_at FROM leads WHERE id % 5000 = 0;
    ANALYZE;"
t1=$(date +%s.%N)
echo "== stats: $(sqlite3 "$T/gateway.db" "SELECT count(*) FROM leads") leads over 365 days, seeded in $(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s; database $(du -m "$T/gateway.db" | cut -f1) MB"

serve() {
	build/gateway --config "$T/gateway.conf" serve >"$T/gw.out" 2>"$T/gw.err" &
	GW_PID=$!
	PORT=""
	while [ -z "$PORT" ]; do
		kill -0 "$GW_PID" || { cat "$T/gw.err"; exit 1; }
		PORT=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$T/gw.out")
		[ -n "$PORT" ] || sleep 0.1
	done
}
stop() {
	kill -TERM "$GW_PID"; wait "$GW_PID" || true; GW_PID=""
}
# time_call LABEL QUERY: the best and the median of RUNS calls, after one to
# warm the cache.
time_call() {
	url="http://127.0.0.1:$PORT/admin/api/stats$2"
	curl -s -o "$T/stats.json" -H "Authorization: Bearer $TOKEN" "$url"
	for r in $(seq "$RUNS"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$url"
	done | sort -n | awk -v l="$1" -v b="$(wc -c <"$T/stats.json")" '
	    { t[NR] = $1 } END { printf "%-34s best %6.1f ms, median %6.1f ms (%d bytes)\n",
	    l, 1000 * t[1], 1000 * t[int((NR + 1) / 2)], b }'
}
day() { date -u -d "@$1" +%Y-%m-%d; }
today=$(day "$now")
calls() {
	time_call "last 30 days (the default)" ""
	echo "  (that is $(sed -n 's/.*"leads_total":\([0-9]*\).*/\1/p' "$T/stats.json") leads)"
	time_call "last 90 days" "?since=$(day $((now - 89 * 86400)))&until=$today"
	time_call "last 90 days, one campaign" "?since=$(day $((now - 89 * 86400)))&until=$today&campaign=spring-1"
	time_call "366 days (every lead)" "?since=$(day $((now - 365 * 86400)))&until=$today"
}
serve

calls
stop

echo
# Without the index each day's read is a scan of the table: one call.
echo "== without leads_created (what the index saves)"
sqlite3 "$T/gateway.db" "DROP INDEX leads_created"
serve
RUNS=1 time_call "last 30 days (the default)" ""
stop

# What the index costs the writer: the same 100,000 leads appended with and
# without it, in transactions of 100 as the writer's batches are.
echo
echo "== ingest: 100,000 leads appended in batches of 100"
insert_time() {
	cp "$T/gateway.db" "$T/ingest.db"
	[ "$1" = with ] && sqlite3 "$T/ingest.db" "CREATE INDEX leads_created ON leads(created_at)"
	: >"$T/ingest.sql"
	i=0 first=$((N + 1))
	while [ $i -lt 1000 ]; do
		a=$((first + i * 100)) z=$((first + i * 100 + 99))
		echo "BEGIN; INSERT INTO leads (phone, postcode, branch_id, region_id, match_kind, consent_at, consent_reply, created_at, updated_at)
		    SELECT 'bench-' || value, 'SE1 7PB', 1, 1, 'nearest', $now + value, 'Thanks! Reply STOP to opt out.', $now + value, $now + value
		    FROM generate_series($a, $z); COMMIT;"
		i=$((i + 1))
	done >"$T/ingest.sql"
	s=$(date +%s.%N)
	sqlite3 "$T/ingest.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" >/dev/null
	sqlite3 -cmd "PRAGMA synchronous=NORMAL" "$T/ingest.db" <"$T/ingest.sql"
	e=$(date +%s.%N)
	awk -v w="$1" -v s="$s" -v e="$e" 'BEGIN { printf "%-7s leads_created: %6.0f ms, %.2f us a lead\n",
	    w, 1000 * (e - s), 1e6 * (e - s) / 100000 }'
	rm -f "$T/ingest.db" "$T/ingest.db-wal" "$T/ingest.db-shm"
}
insert_time without
insert_time with
