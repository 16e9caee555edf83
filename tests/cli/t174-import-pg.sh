# t174-import-pg: `gateway postcodes import` on PostgreSQL while the server
# serves: the new units answer the next text (unit, then sector level),
# the derived centroids and countries are there, a failed import keeps
# the old data, and the next import replaces it (the ONSPD sample from
# the shared data, where present).  Skipped where PostgreSQL cannot run.
GW_ENGINE=pg
. tests/cli/lib.sh

cat >"$T/fk.conf" <<CONF
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/fk.conf"

branch_for() {	# branch_for N TEXT: the branch the server matched number N to
	n=$1
	shift
	phone="+4477009007$(printf '%02d' "$n")"
	code=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "from=$phone" \
	    --data-urlencode "text=$1" --data-urlencode "id=i$n" "$URL/webhooks/fk")
	[ "$code" = 200 ] || { echo "status $code"; return; }
	sql "SELECT coalesce(b.name, l.match_kind) FROM leads l LEFT JOIN branches b ON b.id = l.branch_id WHERE l.phone = '$phone'"
}

# Before any import M1 9ZZ is placed by its district: Manchester.
check_eq "district before" "Manchester" "$(branch_for 1 "Jo Bloggs M1 9ZZ")"

# A unit of M1 placed, for the test, at Leeds: the unit's own place wins.
cat >"$T/small.csv" <<CSV
pcds,lat,long,ctry
M1 9ZZ,53.7999,-1.5497,E92000001
M1 9ZX,53.8001,-1.5499,E92000001
M1 9ZX,53.8001,-1.5499,E92000001
CF10 1AA,51.4816,-3.1791,W92000004
CSV
check_status "import on PostgreSQL" 0 gw postcodes import "$T/small.csv"
check_contains "the duplicate named" "small.csv:4: skipped: postcode appears twice" "$(cat "$T/err")"
check_eq "units" "3" "$(sql 'SELECT count(*) FROM postcodes')"
check_eq "unit's country" "1" "$(sql "SELECT country FROM postcodes WHERE postcode = 'M1 9ZZ'")"
check_eq "sector centroid" "M1 9|2|1" "$(sql "SELECT code, units, country FROM postcode_sectors WHERE code = 'M1 9'")"
check_eq "district centroids" "CF10|1|2 M1|2|1" "$(sql 'SELECT code, units, country FROM postcode_districts ORDER BY code' | paste -sd' ')"
check_eq "area centroids" "CF M" "$(sql 'SELECT code FROM postcode_area_centroids ORDER BY code' | paste -sd' ')"
check_eq "import recorded" "1" "$(sql 'SELECT count(*) FROM postcode_imports')"
check_eq "no side tables left" "0" "$(sql "SELECT count(*) FROM pg_tables WHERE tablename LIKE '%\\_new' OR tablename LIKE '%\\_old'")"
check_eq "the serving gateway: unit" "Leeds" "$(branch_for 2 "Jo Bloggs M1 9ZZ")"
check_eq "the serving gateway: sector" "Leeds" "$(branch_for 3 "Jo Bloggs M1 9ZY")"

# A failed import keeps what was there.
printf 'pcds,lat,long,ctry\nM1 1AA,53.47,-2.24,Atlantis\n' >"$T/bad.csv"
check_status "failed import" 1 gw postcodes import "$T/bad.csv"
check_contains "says so" "kept" "$(cat "$T/err")"
check_eq "old units kept" "3" "$(sql 'SELECT count(*) FROM postcodes')"
check_eq "still answered from them" "Leeds" "$(branch_for 4 "Jo Bloggs M1 9ZZ")"

# The next import replaces the last, not adds to it.
ONSPD=$SHARED_DIR/data/postcodes/onspd_sample_postcodesio_2025-09.csv
if [ -f "$ONSPD" ]; then
	check_status "ONSPD import" 0 gw postcodes import "$ONSPD"
	check_eq "ONSPD rows" "$(($(wc -l <"$ONSPD") - 1))" "$(sql 'SELECT count(*) FROM postcodes')"
	check_eq "replaced" "0" "$(sql "SELECT count(*) FROM postcodes WHERE postcode = 'M1 9ZZ'")"
	check_eq "terminated kept" "199606" "$(sql "SELECT terminated FROM postcodes WHERE postcode = 'AB1 0AA'")"
	check_eq "districts derived" "1" "$(sql "SELECT CAST(count(*) > 10 AS integer) FROM postcode_districts")"
	check_eq "M1 by its district again" "Manchester" "$(branch_for 5 "Jo Bloggs M1 9ZZ")"
	check_eq "an ONSPD unit" "Southwark" "$(branch_for 6 "Jo Bloggs SE1 2DL")"
else
	echo "skip: $ONSPD not found; ONSPD import on PostgreSQL not tested"
fi

stop_server
finish
