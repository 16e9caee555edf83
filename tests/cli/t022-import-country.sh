# t022-import-country: an import's country column decides a unit's
# country, and its sector's and district's majority below unit level, so
# that the English parts of border districts are not out of area and the
# Scottish parts of TD15 are.  Real postcodes (their countries as in ONSPD);
# the coordinates are made up, near the real places.
. tests/cli/lib.sh

# locate TEXT: "geocode level|geocode country|match kind|match country"
locate() {
	out=$(gw locate --json "$1")
	echo "$(jget "$out" '$.geocode.level')|$(jget "$out" '$.geocode.country')|$(jget "$out" '$.match.kind')|$(jget "$out" '$.match.country')"
}

# NSPL's shape, cut down: the columns by name, not by position.
E=E92000001 S=S92000003
cat >"$T/nspl.csv" <<CSV
pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,laua,ctry,rgn,lat,long
TD151AA,TD15 1AA,TD15 1AA,198001,,0,,,1,E06000057,$E,E12000001,55.769,-2.001
TD151AB,TD15 1AB,TD15 1AB,198001,,0,,,1,E06000057,$E,E12000001,55.768,-2.003
TD151AD,TD15 1AD,TD15 1AD,198001,,0,,,1,E06000057,$E,E12000001,55.770,-2.006
TD152AA,TD15 2AA,TD15 2AA,198001,,0,,,1,E06000057,$E,E12000001,55.766,-2.010
TD151TD,TD15 1TD,TD15 1TD,198001,,0,,,1,S12000026,$S,S99999999,55.768,-2.134
TD151XJ,TD15 1XJ,TD15 1XJ,198001,,0,,,1,S12000026,$S,S99999999,55.739,-2.165
TD124RA,TD12 4RA,TD12 4RA,198001,,0,,,1,E06000057,$E,E12000001,55.646,-2.228
TD124QA,TD12 4QA,TD12 4QA,198001,,0,,,1,E06000057,$E,E12000001,55.647,-2.224
TD124AA,TD12 4AA,TD12 4AA,198001,,0,,,1,S12000026,$S,S99999999,55.653,-2.252
TD124AB,TD12 4AB,TD12 4AB,198001,,0,,,1,S12000026,$S,S99999999,55.652,-2.251
TD124AD,TD12 4AD,TD12 4AD,198001,,0,,,1,S12000026,$S,S99999999,55.652,-2.252
TD9 0TJ,TD9  0TJ,TD9 0TJ,198001,,0,,,1,E06000057,$E,E12000001,55.137,-2.823
TD9 0AA,TD9  0AA,TD9 0AA,198001,,0,,,1,S12000026,$S,S99999999,55.421,-2.789
DG165HT,DG16 5HT,DG16 5HT,198001,,0,,,1,E07000028,$E,E12000002,55.003,-3.043
DG165HU,DG16 5HU,DG16 5HU,198001,,0,,,1,E07000028,$E,E12000002,55.001,-3.033
DG165JA,DG16 5JA,DG16 5JA,198001,,0,,,1,E07000028,$E,E12000002,54.994,-3.048
TD5 8AR,TD5  8AR,TD5 8AR,198001,,0,,,1,E06000057,$E,E12000001,55.603,-2.286
TD5 8AA,TD5  8AA,TD5 8AA,198001,,0,,,1,S12000026,$S,S99999999,55.552,-2.392
JE2 4WD,JE2  4WD,JE2 4WD,198001,,0,,,9,L99999999,L93000001,L99999999,99.999999,0.000000
CSV
gw postcodes import "$T/nspl.csv" >"$T/out" 2>"$T/err"
check_eq "NSPL-shaped import" "0" "$?"
check_contains "says where countries came from" "countries from column ctry" "$(cat "$T/out")"
check_eq "units stored with countries" "19|19" "$(sql 'SELECT count(*), count(country) FROM postcodes')"

# Unit level: the unit's own country, whatever its district's is.
check_eq "English TD15 unit" "unit|England|region|England" "$(locate 'Jo TD15 1AA')"
check_eq "Scottish TD15 unit" "unit|Scotland|out_of_area|Scotland" "$(locate 'Jo TD15 1TD')"
check_eq "English TD12 unit" "unit|England|national|England" "$(locate 'Jo TD12 4RA')"
check_eq "Scottish TD12 unit" "unit|Scotland|out_of_area|Scotland" "$(locate 'Jo TD12 4AA')"
check_eq "English TD9 unit" "unit|England|national|England" "$(locate 'Jo TD9 0TJ')"
check_eq "English DG16 unit" "unit|England|national|England" "$(locate 'Jo DG16 5HT')"
check_eq "English TD5 unit" "unit|England|national|England" "$(locate 'Jo TD5 8AR')"
check_eq "Scottish TD5 unit" "unit|Scotland|out_of_area|Scotland" "$(locate 'Jo TD5 8AA')"
# ONS's one Channel Islands code, Jersey by its area; no coordinates.
check_eq "Jersey unit" "none|Jersey|out_of_area|Jersey" "$(locate 'Jo JE2 4WD')"
out=$(gw locate 'Jo TD15 1TD')
check_contains "text output names the country" "out_of_area, Scotland" "$out"

# Below unit level: the majority of the sector's, else district's, units.
check_eq "majorities stored" "TD15|1 TD12|3 DG16|1" "$(sql "SELECT group_concat(code || '|' || country, ' ') FROM (SELECT code, country FROM postcode_districts WHERE code IN ('TD15', 'TD12', 'DG16') ORDER BY code DESC)")"
check_eq "TD15 1 sector: 3 English, 2 Scottish" "sector|England|region|England" "$(locate 'Jo TD15 1ZZ')"
check_eq "TD12 4 sector: 3 Scottish, 2 English" "sector|Scotland|out_of_area|Scotland" "$(locate 'Jo TD12 4ZZ')"
# DG16's imported units are all English here: its majority wins over the
# area table (DG is Scotland), at sector and district level.
check_eq "DG16 5 sector majority" "sector|England|national|England" "$(locate 'Jo DG16 5ZZ')"
check_eq "DG16 district majority" "district|England|national|England" "$(locate 'Jo DG16 6AA')"
check_eq "DG16 outcode" "district|England|national|England" "$(locate 'Jo DG16')"
check_eq "TD12 outcode" "district|Scotland|out_of_area|Scotland" "$(locate 'Jo TD12')"
# A tie (TD9 0: one each) is no majority: the area table decides.
check_eq "tie falls back" "sector|null|out_of_area|Scotland" "$(locate 'Jo TD9 0ZZ')"
# Not in the import: the built-in district, with the built-in tables'
# country.
check_eq "built-in level" "district|null|out_of_area|Scotland" "$(locate 'Jo TD1 1AA')"

# Country names, as a postcodes.io-shaped extract has them, and ONS's
# year-suffixed header.
cat >"$T/names.csv" <<CSV
postcode,country,latitude,longitude
TD15 1AA,England,55.769,-2.001
TD15 1TD,scotland,55.768,-2.134
TD12 4RA,ENGLAND,55.646,-2.228
CSV
check_status "names import" 0 gw postcodes import "$T/names.csv"
check_eq "names: English" "unit|England|national|England" "$(locate 'Jo TD12 4RA')"
check_eq "names: Scottish" "unit|Scotland|out_of_area|Scotland" "$(locate 'Jo TD15 1TD')"
printf 'pcds,ctry25cd,lat,long\nTD12 4RA,E92000001,55.646,-2.228\n' >"$T/ctry25.csv"
check_status "ctry25cd import" 0 gw postcodes import "$T/ctry25.csv"
check_contains "ctry25cd column" "countries from column ctry25cd" "$(cat "$T/out")"
check_eq "ctry25cd: English" "unit|England|national|England" "$(locate 'Jo TD12 4RA')"

# An unknown value fails the whole import, named by its line, and what
# was there stays.
gw postcodes import "$T/nspl.csv" >/dev/null 2>&1
before=$(sql 'SELECT group_concat(postcode || country, " ") FROM postcodes')
cat >"$T/bad.csv" <<CSV
pcds,ctry,lat,long
TD15 1AA,E92000001,55.769,-2.001
NOT A POSTCODE,E92000001,55.7,-2.0
TD15 1TD,E12000001,55.768,-2.134
TD12 4RA,E92000001,55.646,-2.228
CSV
check_status "unknown country fails" 1 gw postcodes import "$T/bad.csv"
check_contains "named by its line" 'bad.csv:4: unknown country "E12000001"' "$(cat "$T/err")"
check_contains "says nothing was imported" "nothing imported" "$(cat "$T/err")"
check_eq "old data kept" "$before" "$(sql 'SELECT group_concat(postcode || country, " ") FROM postcodes')"
check_eq "no side tables left" "0" "$(sql "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%\_new' ESCAPE '\\'")"

# Without a country column, as before: the area table and overrides.
cat >"$T/plain.csv" <<CSV
postcode,latitude,longitude
TD15 1AA,55.769,-2.001
TD15 1TD,55.768,-2.134
TD12 4RA,55.646,-2.228
CSV
gw postcodes import "$T/plain.csv" >"$T/out" 2>"$T/err"
check_eq "plain import" "0" "$?"
check_contains "says so" "no country column" "$(cat "$T/out")"
check_eq "no countries stored" "3|0" "$(sql 'SELECT count(*), count(country) FROM postcodes')"
check_eq "plain: TD15 by override" "unit|null|region|England" "$(locate 'Jo TD15 1TD')"
check_eq "plain: TD12 by area" "unit|null|out_of_area|Scotland" "$(locate 'Jo TD12 4RA')"
check_eq "plain: sector" "sector|null|region|England" "$(locate 'Jo TD15 1ZZ')"
finish
