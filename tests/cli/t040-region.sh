# t040-region: regions, organisers and mapping areas and districts.
. tests/cli/lib.sh

gw region list >"$T/list"
check_eq "eleven regions" "11" "$(wc -l <"$T/list")"
for r in Eastern "East Mids" London "North East" "North West" "South East" \
    "South West" Southern Wales "West Mids" Yorkshire; do
	check_contains "region $r" "$r" "$(cat "$T/list")"
done

check_status "set organiser" 0 gw region set "south west" --organiser "Kit Pascoe" \
    --phone "07700 900999" --email kit@example.org
out=$(gw locate --json "Ann TR1 1AA")
check_contains "organiser in reply" "Kit Pascoe" "$(jget "$out" '$.reply')"
check_contains "organiser phone" "+447700900999" "$(jget "$out" '$.reply')"
check_status "bad phone" 1 gw region set London --phone "call me"
check_status "unknown region" 1 gw region set Atlantis --organiser X

# Move Truro's district to Wales: districts win over areas.
check_status "map district" 0 gw region map tr1 Wales
out=$(gw locate --json "Ann TR1 1AA")
check_eq "district mapping" "Wales" "$(jget "$out" '$.match.region')"
out=$(gw locate --json "Ann TR2 1AA")
check_eq "area mapping stays" "South West" "$(jget "$out" '$.match.region')"
check_status "unmap" 0 gw region unmap TR1
out=$(gw locate --json "Ann TR1 1AA")
check_eq "unmapped" "South West" "$(jget "$out" '$.match.region')"
check_status "bad code" 1 gw region map "TR1 1AA" Wales
check_contains "areas listed" "TR     South West" "$(gw region areas 'South West')"

# A region without an organiser sends people to the national contact.
check_status "clear organiser" 0 gw region set "South West" --organiser "" --phone "" --email ""
out=$(gw locate --json "Ann TR1 1AA")
check_eq "national" "national" "$(jget "$out" '$.match.kind')"

check_status "add region" 0 gw region add Cornwall
check_status "map area" 0 gw region map TR Cornwall
check_status "duplicate region" 1 gw region add cornwall
check_contains "audited" "region_area:TR" "$(gw audit --record region_area)"

# CSV import of region areas: all or nothing, bad rows named.
printf 'code,region\ntr,South West\nEX1,Cornwall\n' >"$T/areas.csv"
check_status "import areas" 0 gw region import "$T/areas.csv"
check_contains "mapped" "EX1    Cornwall" "$(gw region areas Cornwall)"
printf 'code,region\nPL,Cornwall\nTR1 1AA,Cornwall\nEX2,Atlantis\n' >"$T/bad.csv"
check_status "bad areas" 1 gw region import "$T/bad.csv"
check_contains "line 3" "bad.csv:3: code: not a postcode area or district" "$(cat "$T/err")"
check_contains "line 4" "bad.csv:4: region: no region called \"Atlantis\"" "$(cat "$T/err")"
case $(gw region areas Cornwall) in *PL*) bad "a bad file imported something" ;; *) ok ;; esac
finish
