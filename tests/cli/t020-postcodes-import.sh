# t020-postcodes-import: bad rows are skipped and named, a failed import
# keeps the old data, ONSPD's own format imports as it is.
. tests/cli/lib.sh

cat >"$T/good.csv" <<CSV
postcode,latitude,longitude
SE1 7PB,51.5025,-0.11938
se17pn,51.5010,-0.1190
CSV
check_status "first import" 0 gw postcodes import "$T/good.csv"
check_eq "units stored" "2" "$(sql 'SELECT count(*) FROM postcodes')"
check_eq "normalised" "SE1 7PN" "$(sql "SELECT postcode FROM postcodes WHERE postcode LIKE 'SE1 7PN'")"
check_eq "sector centroid" "SE1 7|2" "$(sql "SELECT code, units FROM postcode_sectors")"

# Bad rows: each named by its line; the good ones still go in.
cat >"$T/mixed.csv" <<CSV
postcode,latitude,longitude
SE1 7PB,51.5025,-0.11938
NOT A POSTCODE,51.5,-0.1
M1 1AD,53.48069,-2.23618
M1 1AE,fifty,-2.2
M1 1AF,40.0,-2.2
"M1 1AG,53.4,-2.2
CSV
gw postcodes import "$T/mixed.csv" >"$T/out" 2>"$T/err"
check_eq "mixed import succeeds" "0" "$?"
err=$(cat "$T/err")
check_contains "line 3 named" "mixed.csv:3: skipped: not a postcode" "$err"
check_contains "line 5 named" "mixed.csv:5: skipped: latitude or longitude is not a number" "$err"
check_contains "line 6 named" "mixed.csv:6: skipped: latitude or longitude outside the UK" "$err"
check_contains "line 7 named" "mixed.csv:7: skipped: unterminated quoted field" "$err"
check_contains "counted" "skipped 4 bad rows" "$(cat "$T/out")"
check_eq "replaced, not added to" "M1 1AD SE1 7PB" "$(sql 'SELECT postcode FROM postcodes ORDER BY 1' | paste -sd' ')"

# An import with nothing usable fails and keeps what was there.
printf 'postcode,latitude,longitude\nXX,1,2\n' >"$T/bad.csv"
check_status "all-bad import fails" 1 gw postcodes import "$T/bad.csv"
check_contains "says the data is kept" "kept" "$(cat "$T/err")"
check_eq "old data kept" "2" "$(sql 'SELECT count(*) FROM postcodes')"
printf 'name,lat\nfoo,1\n' >"$T/nohdr.csv"
check_status "unknown header fails" 1 gw postcodes import "$T/nohdr.csv"
check_contains "header error" "nohdr.csv:1: the header needs a postcode column" "$(cat "$T/err")"
check_eq "still kept" "2" "$(sql 'SELECT count(*) FROM postcodes')"
check_status "missing file" 1 gw postcodes import "$T/nope.csv"

# From stdin.
printf 'pcds,lat,long\nB1 1AA,52.4778,-1.8990\n' | gw postcodes import - >"$T/out" 2>&1
check_eq "stdin import" "B1 1AA" "$(sql 'SELECT postcode FROM postcodes')"

# The ONS Postcode Directory sample, as ONS publishes it.
ONSPD=$SHARED_DIR/data/postcodes/onspd_sample_postcodesio_2025-09.csv
if [ -f "$ONSPD" ]; then
	check_status "ONSPD import" 0 gw postcodes import "$ONSPD"
	check_eq "ONSPD rows" "$(($(wc -l <"$ONSPD") - 1))" "$(sql 'SELECT count(*) FROM postcodes')"
	check_eq "terminated kept" "199606" "$(sql "SELECT terminated FROM postcodes WHERE postcode = 'AB1 0AA'")"
	check_eq "no coordinates" "1" "$(sql "SELECT CAST(lat IS NULL AS integer) FROM postcodes WHERE postcode = 'JE2 4WD'")"
	out=$(gw locate --json "Jo AB1 0AA")
	check_eq "terminated geocodes" "1" "$(jget "$out" '$.geocode.terminated')"
	check_eq "Aberdeen out of area" "out_of_area" "$(jget "$out" '$.match.kind')"
	out=$(gw locate --json "Jo SE1 2DL")
	check_eq "ONSPD unit" "unit" "$(jget "$out" '$.geocode.level')"
else
	echo "skip: $ONSPD not found; ONSPD import not tested"
fi
finish
