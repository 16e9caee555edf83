# t730-stats: GET /admin/api/stats through the real server.  Leads are
# seeded across days, regions, branches, match kinds and campaigns (and
# outside the range asked for); every figure the API gives is checked
# against the database's own count of it.  Then the dashboard in a real
# browser (tests/browser/dashboard.test.mjs).
. tests/cli/lib.sh

VIEWER=stats-viewer-not-real ADMIN=stats-admin-not-real
cat >"$T/tokens.conf" <<CONF
$(token_conf watcher viewer "$VIEWER")
$(token_conf boss admin "$ADMIN")
CONF
gw region list >/dev/null	# the schema and the example branches

# The range the checks ask for: March 2025, 31 days.
SINCE=2025-03-01 UNTIL=2025-03-31
D0=$(date -u -d "$SINCE" +%s)
# day, phone, postcode, branch, region, kind, campaign.  SE1 is Southwark's
# (coverage) and M1 near Manchester; TR18, LL55 and CA1 have no branch
# within 40 km and fall through; IV1 is in Scotland, out of area.
sql "CREATE TABLE seed (day, phone, postcode, branch, region, kind, campaign);
INSERT INTO seed VALUES
 (0, '+447700900101', 'SE1 7PB', 'Southwark', 'London', 'coverage', NULL),
 (0, '+447700900102', 'SE1 9GF', 'Southwark', 'London', 'coverage', 'spring'),
 (0, '+447700900103', 'M1 1AD', 'Manchester', 'North West', 'nearest', 'spring'),
 (1, '+447700900101', 'SE1 7PB', 'Southwark', 'London', 'coverage', NULL),
 (1, '+447700900104', 'TR18 4AA', NULL, 'South West', 'region', 'spring'),
 (1, '+447700900105', 'TR18 2BX', NULL, 'South West', 'region', NULL),
 (2, '+447700900106', 'TR18 3CC', NULL, 'South West', 'region', 'autumn'),
 (2, '+447700900107', 'LL55 1AA', NULL, 'Wales', 'region', NULL),
 (3, '+447700900108', 'LL55 2BB', NULL, NULL, 'national', NULL),
 (3, '+447700900109', 'CA1 1AA', NULL, NULL, 'national', 'autumn'),
 (5, '+447700900110', 'IV1 1AA', NULL, NULL, 'out_of_area', NULL),
 (5, '+447700900111', '', NULL, NULL, '', NULL),
 (9, '+447700900112', 'M1 2AB', 'Manchester', 'North West', 'nearest', NULL),
 (9, '+447700900113', 'BS1 5TR', 'Bristol', 'South West', 'nearest', 'spring'),
 (17, '+447700900114', 'B1 1BB', 'Birmingham', 'West Mids', 'nearest', NULL),
 (17, '+447700900115', 'NE1 8QH', 'Newcastle', 'North East', 'nearest', NULL),
 (24, '+447700900116', 'TR18 5DD', NULL, 'South West', 'region', NULL),
 (30, '+447700900117', 'SE1 2QH', 'Southwark', 'London', 'coverage', NULL),
 (-1, '+447700900118', 'SE1 7PB', 'Southwark', 'London', 'coverage', NULL),
 (31, '+447700900119', 'TR18 4AA', NULL, 'South West', 'region', 'spring'),
 (-40, '+447700900120', 'LL55 1AA', NULL, 'Wales', 'region', NULL);
INSERT INTO leads (phone, postcode, branch_id, region_id, match_kind,
    consent_at, created_at, updated_at, campaign)
SELECT s.phone, s.postcode, b.id, r.id, s.kind, $D0 + s.day * 86400 + 3600 * (s.rowid % 24),
    $D0 + s.day * 86400 + 3600 * (s.rowid % 24), $D0 + s.day * 86400, s.campaign
FROM seed s LEFT JOIN branches b ON b.name = s.branch LEFT JOIN regions r ON r.name = s.region
ORDER BY s.day, s.rowid;
-- Opt-outs: two numbers of the range in it, one after it, one never a lead.
INSERT INTO optouts (phone, opted_out_at, source) VALUES
 ('+447700900104', $D0 + 2 * 86400, 'sms'), ('+447700900112', $D0 + 30 * 86400, 'sms'),
 ('+447700900103', $D0 + 40 * 86400, 'sms'), ('+447700900199', $D0 + 5 * 86400, 'api');
INSERT INTO outbox (idem_key, channel, recipient, body, purpose, state, next_attempt_at, created_at, updated_at)
VALUES ('t730:1', 'sms', '+447700900101', 'x', 'reply', 'dead', 0, $D0, $D0),
 ('t730:2', 'sms', '+447700900102', 'x', 'reply', 'dead', 0, $D0, $D0),
 ('t730:3', 'sms', '+447700900103', 'x', 'reply', 'sent', 0, $D0, $D0);
-- Today's leads, for the default range.
INSERT INTO leads (phone, postcode, branch_id, region_id, match_kind, consent_at, created_at, updated_at)
SELECT '+447700900121', 'SE1 7PB', id, region_id, 'coverage', unixepoch(), unixepoch(), unixepoch() FROM branches WHERE name = 'Southwark';
UPDATE branches SET active = 0 WHERE name = 'Norwich';
DROP TABLE seed;"

start_server "$T/tokens.conf"
# stats QUERY [TOKEN]: GET /admin/api/stats?QUERY into $T/stats.json; the
# status on stdout.
stats() {
	curl -s -o "$T/stats.json" -w '%{http_code}' -H "Authorization: Bearer ${2:-$VIEWER}" \
	    "$URL/admin/api/stats${1:+?$1}"
}
# j SQL: a query over the answer, whose text is the table-valued j(...).
j() {
	sqlite3 :memory: "$(printf '%s' "$1" | sed "s|J(|json_each(readfile('$T/stats.json'), |g; s|JX(|json_extract(readfile('$T/stats.json'), |g")"
}
R="created_at >= $D0 AND created_at < $D0 + 31 * 86400"
RL="l.created_at >= $D0 AND l.created_at < $D0 + 31 * 86400"

check_eq "a viewer may read them" 200 "$(stats "since=$SINCE&until=$UNTIL")"
cp "$T/stats.json" "$T/march.json"
check_eq "the range" "$SINCE $UNTIL" "$(j "SELECT JX('\$.since') || ' ' || JX('\$.until')")"
check_eq "leads_total" "$(sql "SELECT count(*) FROM leads WHERE $R")" "$(j "SELECT JX('\$.leads_total')")"
check_eq "per_day: every day of the range" 31 "$(j "SELECT count(*) FROM J('\$.per_day')")"
check_eq "per_day: the first" "$SINCE" "$(j "SELECT json_extract(value, '\$.date') FROM J('\$.per_day') LIMIT 1")"
check_eq "per_day" \
    "$(sql "SELECT group_concat(d || '=' || n, ' ') FROM (SELECT date(created_at, 'unixepoch') d, count(*) n FROM leads WHERE $R GROUP BY d ORDER BY d)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.date') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.per_day') WHERE json_extract(value, '\$.leads') > 0")"
check_eq "by_region" \
    "$(sql "SELECT group_concat(n || '=' || c, ' ') FROM (SELECT coalesce(r.name, '(none)') n, count(*) c FROM leads l LEFT JOIN regions r ON r.id = l.region_id WHERE $RL GROUP BY n ORDER BY c DESC, n)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.name') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.by_region')")"
check_eq "by_branch" \
    "$(sql "SELECT group_concat(n || '=' || c, ' ') FROM (SELECT coalesce(b.name, '(none)') n, count(*) c FROM leads l LEFT JOIN branches b ON b.id = l.branch_id WHERE $RL GROUP BY n ORDER BY c DESC, n)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.name') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.by_branch')")"
check_eq "by_campaign" \
    "$(sql "SELECT group_concat(n || '=' || c, ' ') FROM (SELECT coalesce(campaign, '') n, count(*) c FROM leads WHERE $R GROUP BY n ORDER BY c DESC, n)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.campaign') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.by_campaign')")"
check_eq "by_match_kind" \
    "$(sql "SELECT group_concat(n || '=' || c, ' ') FROM (SELECT CASE match_kind WHEN '' THEN 'no_postcode' ELSE match_kind END n, count(*) c FROM leads WHERE $R GROUP BY n ORDER BY c DESC, n)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.kind') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.by_match_kind')")"
check_eq "by_match_kind: the fall-throughs marked" "national region" \
    "$(j "SELECT group_concat(json_extract(value, '\$.kind'), ' ') FROM (SELECT value FROM J('\$.by_match_kind') WHERE json_extract(value, '\$.fallthrough') ORDER BY json_extract(value, '\$.kind'))")"
check_eq "fallthrough" "$(sql "SELECT count(*) FROM leads WHERE $R AND match_kind IN ('region', 'national')")" \
    "$(j "SELECT JX('\$.fallthrough')")"
numbers=$(sql "SELECT count(DISTINCT phone) FROM leads WHERE $R")
optouts=$(sql "SELECT count(*) FROM optouts WHERE opted_out_at >= $D0 AND opted_out_at < $D0 + 31 * 86400 AND phone IN (SELECT phone FROM leads WHERE $R)")
check_eq "numbers" "$numbers" "$(j "SELECT JX('\$.numbers')")"
check_eq "optouts: those numbers', in the range" "2 $optouts" "$(j "SELECT 2 || ' ' || JX('\$.optouts')")"
check_eq "optout_rate" "$(sqlite3 :memory: "SELECT printf('%.6f', 1.0 * $optouts / $numbers)")" \
    "$(j "SELECT printf('%.6f', JX('\$.optout_rate'))")"
check_eq "dead_letters" "$(sql "SELECT count(*) FROM outbox WHERE state = 'dead'")" "$(j "SELECT JX('\$.dead_letters')")"
# Unserved: the districts by their leads, most first; SE1, M1 and the
# other branches' districts are served, IV1 is out of area.
check_eq "unserved_districts" \
    "$(sql "SELECT group_concat(d || '=' || c, ' ') FROM (SELECT substr(postcode, 1, length(postcode) - 4) d, count(*) c FROM leads WHERE $R AND substr(postcode, 1, length(postcode) - 4) IN ('TR18', 'LL55', 'CA1') GROUP BY d ORDER BY c DESC, d)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.district') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.unserved_districts')")"
check_eq "unserved_districts: their fall-throughs and region" "TR18 4 South West" \
    "$(j "SELECT json_extract(value, '\$.district') || ' ' || json_extract(value, '\$.fallthrough') || ' ' || json_extract(value, '\$.region') FROM J('\$.unserved_districts') LIMIT 1")"
# The map: every built-in district, with its leads; the branches placed.
check_eq "districts: every centroid" "$(sql "SELECT count(*) FROM district_centroids")" "$(j "SELECT count(*) FROM J('\$.districts')")"
check_eq "districts: the leads placed" \
    "$(sql "SELECT group_concat(d || '=' || c, ' ') FROM (SELECT substr(postcode, 1, length(postcode) - 4) d, count(*) c FROM leads WHERE $R AND postcode <> '' GROUP BY d ORDER BY d)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.district') || '=' || json_extract(value, '\$.leads'), ' ') FROM (SELECT value FROM J('\$.districts') WHERE json_extract(value, '\$.leads') > 0 ORDER BY json_extract(value, '\$.district'))")"
check_eq "districts: SE1's centroid" "$(sql "SELECT lat || ' ' || lon FROM district_centroids WHERE district = 'SE1'")" \
    "$(j "SELECT json_extract(value, '\$.lat') || ' ' || json_extract(value, '\$.lon') FROM J('\$.districts') WHERE json_extract(value, '\$.district') = 'SE1'")"
check_eq "branches" "$(sql "SELECT group_concat(id || ':' || active, ' ') FROM (SELECT id, active FROM branches WHERE lat IS NOT NULL ORDER BY id)")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.id') || ':' || json_extract(value, '\$.active'), ' ') FROM (SELECT value FROM J('\$.branches') ORDER BY json_extract(value, '\$.id'))")"
check_eq "branches: radius" "40.0" "$(j "SELECT printf('%.1f', json_extract(value, '\$.radius_km')) FROM J('\$.branches') LIMIT 1")"

# A campaign: only its leads.
check_eq "campaign=spring" 200 "$(stats "since=$SINCE&until=$UNTIL&campaign=spring")"
check_eq "campaign=spring: leads_total" "$(sql "SELECT count(*) FROM leads WHERE $R AND campaign = 'spring'")" "$(j "SELECT JX('\$.leads_total')")"
check_eq "campaign=spring: by_campaign" "spring=$(sql "SELECT count(*) FROM leads WHERE $R AND campaign = 'spring'")" \
    "$(j "SELECT group_concat(json_extract(value, '\$.campaign') || '=' || json_extract(value, '\$.leads'), ' ') FROM J('\$.by_campaign')")"
check_eq "campaign=spring: numbers" "$(sql "SELECT count(DISTINCT phone) FROM leads WHERE $R AND campaign = 'spring'")" "$(j "SELECT JX('\$.numbers')")"

# The default range: the last 30 days, today's lead among them.
check_eq "default range" 200 "$(stats "")"
today=$(date -u +%Y-%m-%d)
check_eq "default: ends today, 30 days" "$today 30" "$(j "SELECT JX('\$.until') || ' ' || json_array_length(JX('\$.per_day'))")"
check_eq "default: leads_total" "$(sql "SELECT count(*) FROM leads WHERE created_at >= unixepoch('$today') - 29 * 86400")" "$(j "SELECT JX('\$.leads_total')")"
check_eq "90 days" "90" "$(stats "since=$(date -u -d "$today - 89 days" +%Y-%m-%d)" >/dev/null; j "SELECT json_array_length(JX('\$.per_day'))")"

# Bad dates are named.
while IFS='|' read -r query status field; do
	check_eq "$query: status" "$status" "$(stats "$query")"
	check_eq "$query: names $field" "$field" "$(j "SELECT JX('\$.field')")"
done <<'CASES'
since=2025-13-01|400|since
since=2025-02-30|400|since
since=25-03-01|400|since
since=2025-3-1|400|since
until=yesterday|400|until
until=2025-03-01x|400|until
since=2025-03-02&until=2025-03-01|422|since
since=2024-01-01&until=2025-03-01|422|since
campaign=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|400|campaign
CASES

# Who may read them.
check_eq "no token: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/api/stats")"
check_eq "a wrong token: 401" 401 "$(stats "" not-a-token)"
check_eq "an admin may read them" 200 "$(stats "" "$ADMIN")"
check_eq "a viewer may not post" 403 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $VIEWER" "$URL/admin/api/stats")"
check_eq "nothing to post to" 404 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $ADMIN" "$URL/admin/api/stats")"

# The dashboard in a real browser, against what the database holds.  For
# the screenshots (SCREENSHOTS=DIR), a busier March first: leads in
# districts across the country, more near the cities, fewer at weekends.
if [ -n "${SCREENSHOTS:-}" ]; then
	mkdir -p "$SCREENSHOTS"
	case $SCREENSHOTS in /*) ;; *) SCREENSHOTS=$TOP/$SCREENSHOTS ;; esac
	export SCREENSHOTS
	sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000),
	d AS (SELECT row_number() OVER (ORDER BY district) - 1 k, district FROM district_centroids
	    WHERE country IN ('England', 'Wales'))
	INSERT INTO leads (phone, postcode, branch_id, region_id, match_kind, consent_at, created_at, updated_at, campaign)
	SELECT printf('+447700900%03d', i % 1000), d.district || ' 1AA', NULL, NULL,
	    CASE WHEN i % 9 = 0 THEN 'national' WHEN i % 4 = 0 THEN 'region' ELSE 'nearest' END,
	    t, t, t, CASE i % 3 WHEN 0 THEN 'spring' WHEN 1 THEN 'autumn' END
	FROM (SELECT i, $D0 + ((i * 7919) % 31) * 86400 + (i % 86400) t FROM n) n
	JOIN d ON d.k = (i * i) % (SELECT count(*) FROM d) % (300 + (i % 5) * 400)
	WHERE ((i * 7919) % 31 + 6) % 7 < 5 OR i % 3 = 0;
	UPDATE leads SET branch_id = (SELECT b.id FROM branches b JOIN district_centroids c ON
	    c.district = substr(leads.postcode, 1, length(leads.postcode) - 4)
	    ORDER BY (b.lat - c.lat) * (b.lat - c.lat) + (b.lon - c.lon) * (b.lon - c.lon) LIMIT 1)
	WHERE match_kind = 'nearest' AND branch_id IS NULL;
	UPDATE leads SET region_id = (SELECT region_id FROM region_areas WHERE code =
	    CASE WHEN substr(postcode, 2, 1) GLOB '[0-9]' THEN substr(postcode, 1, 1) ELSE substr(postcode, 1, 2) END)
	WHERE region_id IS NULL AND match_kind <> 'national';"
fi
if "$TOP/tests/browser/setup.sh"; then
	export SINCE UNTIL
	export EXPECT_TOTAL="$(sql "SELECT count(*) FROM leads WHERE $R")"
	export EXPECT_FELL="$(sql "SELECT count(*) FROM leads WHERE $R AND match_kind IN ('region', 'national')")"
	export EXPECT_SOUTHWARK="$(sql "SELECT count(*) FROM leads l JOIN branches b ON b.id = l.branch_id WHERE $RL AND b.name = 'Southwark'")"
	export EXPECT_ACTIVE="$(sql "SELECT count(*) FROM branches WHERE active = 1 AND lat IS NOT NULL")"
	export EXPECT_DEAD="$(sql "SELECT count(*) FROM outbox WHERE state = 'dead'")"
	# The district the API puts first, its leads as the database counts.
	stats "since=$SINCE&until=$UNTIL" >/dev/null
	export EXPECT_TOP_UNSERVED="$(j "SELECT json_extract(value, '\$.district') FROM J('\$.unserved_districts') LIMIT 1")"
	check_eq "the first unserved district's leads" \
	    "$(sql "SELECT count(*) FROM leads WHERE $R AND substr(postcode, 1, length(postcode) - 4) = '$EXPECT_TOP_UNSERVED'")" \
	    "$(j "SELECT json_extract(value, '\$.leads') FROM J('\$.unserved_districts') LIMIT 1")"
	browser_run dashboard.test.mjs "$URL" "$VIEWER"
else
	bad "cannot install the browser test's tools"
fi
stop_server
finish
