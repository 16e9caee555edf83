# t015-districts: before any import the built-in district centroids place a
# postcode (England, Wales, both sides of the Scottish border), the area
# table still answers where there is no district row, an import's units
# and districts win over the built-in ones, and a database made before the
# table existed gets it on its next start without losing anything.
. tests/cli/lib.sh

DC=$TOP/data/district_centroids.csv
REF=$SHARED_DIR/data/postcodes/outcode_centroids.csv

# near WHAT LAT LON JSON MAXDEG: the geocode of JSON is within MAXDEG
# degrees of LAT, LON in both directions.
near() {
	got_lat=$(jget "$4" '$.geocode.lat') got_lon=$(jget "$4" '$.geocode.lon')
	if awk -v a="$got_lat" -v b="$got_lon" -v c="$2" -v d="$3" -v m="$5" \
	    'BEGIN { x = a - c; y = b - d; exit !(x < m && -x < m && y < m && -y < m) }'
	then ok; else bad "$1: at $got_lat,$got_lon, expected near $2,$3"; fi
}

# centroid DISTRICT FILE: "lat lon" of an outward code in a centroid file
# (ours or the ONS-derived one: both have latitude and longitude columns).
centroid() {
	awk -F, -v d="$1" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$1 == d { print $col["latitude"], $col["longitude"]; exit }' "$2"
}

# The committed file is what the script makes from the shared data.
if [ -r "$REF" ]; then
	check_status "script runs" 0 sh scripts/make-district-centroids.sh "$T/dc.csv"
	if cmp -s "$T/dc.csv" "$DC"; then ok; else
		bad "data/district_centroids.csv is not what the script makes"
	fi
else
	echo "skip: $REF absent (set SHARED_DIR): the script is not re-run"
fi

# Before any import.  text | level | country | match kind | region
while IFS='|' read -r text level country kind region; do
	out=$(gw locate --json "$text")
	pc=$(jget "$out" '$.postcode')
	check_eq "$text: level" "$level" "$(jget "$out" '$.geocode.level')"
	check_eq "$text: country" "$country" "$(jget "$out" '$.match.country')"
	check_eq "$text: match" "$kind" "$(jget "$out" '$.match.kind')"
	check_eq "$text: region" "$region" "$(jget "$out" '$.match.region')"
	[ "$level" = district ] || continue
	d=${pc%% *}
	set -- $(centroid "$d" "$DC")
	if [ $# -eq 2 ]; then near "$text: the built-in centroid" "$1" "$2" "$out" 0.0001
	else bad "$text: $d not in $DC"; fi
	if [ -r "$REF" ]; then
		set -- $(centroid "$d" "$REF")
		near "$text: the ONS centroid" "$1" "$2" "$out" 0.01
	fi
done <<'CASES'
Jane SE1 7PB|district|England|coverage|London
Tom M1 1AD|district|England|nearest|North West
Tom M1|district|England|nearest|North West
Ann TR1 1AA|district|England|region|South West
Siân CF10 1EP|district|Wales|nearest|Wales
Dai LL55 1AA|district|Wales|region|Wales
Sue CH5 4AA|district|Wales|nearest|Wales
Ifor SY23 1AA|district|Wales|region|Wales
Bob TD15 1AA|district|England|region|North East
Bob TD15|district|England|region|North East
Liz CA6 5AA|district|England|region|North West
Ian TD12 4AA|district|Scotland|out_of_area|null
Ian DG16 5AA|district|Scotland|out_of_area|null
Olu EH1 1YZ|district|Scotland|out_of_area|null
Pat BT1 1AA|area|Northern Ireland|out_of_area|null
Jo JE2 4WD|area|Jersey|out_of_area|null
Tom M63 1AA|area|England|nearest|North West
CASES

# A small import: the unit wins where it is known, its district where the
# unit is not, and the built-in district where the import has no units.
cat >"$T/pc.csv" <<CSV
pcds,lat,long,doterm
SE1 7PB,51.502500,-0.119380,
TD15 1AA,55.771000,-2.005000,
CSV
v0=$(sql "SELECT version FROM directory_version")
check_status "import" 0 gw postcodes import "$T/pc.csv"
# The set of known districts now includes the import's: copies of the
# directory must reload.
v1=$(sql "SELECT version FROM directory_version")
if [ "$v1" -gt "$v0" ]; then ok; else bad "an import left the directory version at $v1"; fi
out=$(gw locate --json "Jane SE1 7PB")
check_eq "after import: unit" "unit" "$(jget "$out" '$.geocode.level')"
near "after import: the unit's place" 51.5025 -0.11938 "$out" 0.000001
out=$(gw locate --json "Jane SE1 9ZZ")
check_eq "after import: imported district" "district" "$(jget "$out" '$.geocode.level')"
near "after import: the imported district's centroid" 51.5025 -0.11938 "$out" 0.000001
out=$(gw locate --json "Bob TD15 9ZZ")
near "after import: TD15 from the import" 55.771 -2.005 "$out" 0.000001
check_eq "after import: TD15 still England" "England" "$(jget "$out" '$.match.country')"
out=$(gw locate --json "Tom M1 1AD")
check_eq "after import: built-in district below it" "district" "$(jget "$out" '$.geocode.level')"
set -- $(centroid M1 "$DC")
near "after import: M1 built in" "$1" "$2" "$out" 0.0001
check_eq "import leaves the built-in table" \
    "$(($(wc -l <"$DC") - 1))" "$(sql "SELECT count(*) FROM district_centroids")"

# A database from before migration 005: no district table.  The next
# start adds and fills it, and keeps what was there.
check_status "a branch in Berwick" 0 gw branch add --name "Berwick" \
    --postcode "TD15 1BN" --latitude 55.7705 --longitude -2.0050
before=$(sql "SELECT count(*) FROM branches; SELECT count(*) FROM postcodes; SELECT count(*) FROM region_areas" | tr '\n' ' ')
sql "DROP TABLE district_centroids; DROP TRIGGER postcode_imports_insert_version;
    ALTER TABLE postcodes DROP COLUMN country; ALTER TABLE postcode_sectors DROP COLUMN country;
    ALTER TABLE postcode_districts DROP COLUMN country;
    ALTER TABLE optouts DROP COLUMN evidence; ALTER TABLE outbox DROP COLUMN inline; DROP TABLE IF EXISTS instance_activity; DROP TABLE IF EXISTS alarm_watch; DROP TABLE IF EXISTS reply_templates;
    DROP INDEX inbound_test; DROP INDEX leads_test; DROP INDEX outbox_test; DROP INDEX leads_created;
    ALTER TABLE inbound DROP COLUMN test; ALTER TABLE leads DROP COLUMN test; ALTER TABLE conversations DROP COLUMN test; ALTER TABLE optouts DROP COLUMN test; ALTER TABLE outbox DROP COLUMN test;
    ALTER TABLE leads DROP COLUMN campaign;
    ALTER TABLE outbox DROP COLUMN lease_owner; ALTER TABLE outbox DROP COLUMN lease_until; DROP TABLE IF EXISTS outbox_pace;
    ALTER TABLE conversations DROP COLUMN campaign; ALTER TABLE conversations DROP COLUMN language; DROP TABLE IF EXISTS language_prefs;
    PRAGMA user_version = 4"
check_eq "downgraded" "0" "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'district_centroids'")"
out=$(gw locate --json "Tom M1 1AD")
check_eq "upgraded: district level" "district" "$(jget "$out" '$.geocode.level')"
newest=$(ls data/schema | sed -n 's/^0*\([0-9][0-9]*\)-.*/\1/p' | sort -n | tail -1)
check_eq "upgraded: the newest schema" "$newest" "$(sql "PRAGMA user_version")"
check_eq "upgraded: table filled" "$(($(wc -l <"$DC") - 1))" \
    "$(sql "SELECT count(*) FROM district_centroids")"
check_eq "upgraded: nothing lost" "$before" \
    "$(sql "SELECT count(*) FROM branches; SELECT count(*) FROM postcodes; SELECT count(*) FROM region_areas" | tr '\n' ' ')"
out=$(gw locate --json "Bob TD15 1AA")
check_eq "upgraded: the import still wins" "unit" "$(jget "$out" '$.geocode.level')"
check_eq "upgraded: the new branch answers" "Berwick" "$(jget "$out" '$.match.branch')"

# A branch added by a postcode the import lacks is placed at its
# built-in district, good enough (a few km) where an area is not.
check_status "a branch placed by its district" 0 gw branch add --name "Alnwick" \
    --postcode "NE66 1AA"
set -- $(centroid NE66 "$DC")
check_contains "at the district centroid" "latitude       $1" "$(gw branch show Alnwick)"
finish
