# t010-locate: what `gateway locate` answers, before and after a postcode
# import, as text and as JSON.
. tests/cli/lib.sh

# Before any import: the built-in district table places the postcode.
out=$(gw locate --json "Jane Smith SE1 7PB")
check_eq "name" "Jane Smith" "$(jget "$out" '$.name')"
check_eq "postcode" "SE1 7PB" "$(jget "$out" '$.postcode')"
check_eq "kind" "full" "$(jget "$out" '$.postcode_kind')"
check_eq "level before import" "district" "$(jget "$out" '$.geocode.level')"
check_eq "coverage wins" "coverage" "$(jget "$out" '$.match.kind')"
check_eq "branch" "Southwark" "$(jget "$out" '$.match.branch')"
check_eq "region" "London" "$(jget "$out" '$.match.region')"
reply=$(jget "$out" '$.reply')
check_contains "reply names the branch" "Southwark" "$reply"
check_contains "reply greets" "Hi Jane Smith!" "$reply"

# A small import: three units with coordinates and one without.
cat >"$T/pc.csv" <<CSV
pcds,lat,long,doterm
SE1 7PB,51.502500,-0.119380,
CF10 1EP,51.481800,-3.179130,
M1 1AD,53.480690,-2.236180,
M1 1AE,53.480200,-2.236900,200512
JE2 4WD,99.999999,0.000000,
CSV
check_status "import" 0 gw postcodes import "$T/pc.csv"

out=$(gw locate --json "hi it's Siân, CF10 1EP")
check_eq "unit level" "unit" "$(jget "$out" '$.geocode.level')"
check_eq "Cardiff nearest" "nearest" "$(jget "$out" '$.match.kind')"
check_eq "Cardiff" "Cardiff" "$(jget "$out" '$.match.branch')"
check_eq "lat" "51.4818" "$(jget "$out" '$.geocode.lat')"
# (Siân's â makes the bilingual Cardiff reply UCS-2, which has no room
# for the distance: the same text as Sian has.)
check_contains "distance in the reply" "miles)" \
    "$(jget "$(gw locate --json "hi it's Sian, CF10 1EP")" '$.reply')"

out=$(gw locate --json "Tom M1 1AE")
check_eq "terminated resolves" "unit" "$(jget "$out" '$.geocode.level')"
check_eq "terminated flag" "1" "$(jget "$out" '$.geocode.terminated')"

# A unit not imported falls back to its sector, then district, then area.
out=$(gw locate --json "Tom M1 1ZZ")
check_eq "sector fallback" "sector" "$(jget "$out" '$.geocode.level')"
out=$(gw locate --json "Tom M1 9ZZ")
check_eq "district fallback" "district" "$(jget "$out" '$.geocode.level')"
out=$(gw locate --json "Tom M2 9ZZ")
check_eq "built-in district fallback" "district" "$(jget "$out" '$.geocode.level')"
out=$(gw locate --json "Tom M63 9ZZ")
check_eq "area fallback" "area" "$(jget "$out" '$.geocode.level')"
out=$(gw locate --json "Tom M1")
check_eq "outcode" "outcode" "$(jget "$out" '$.postcode_kind')"
check_eq "outcode level" "district" "$(jget "$out" '$.geocode.level')"

# No coordinates: the Channel Islands are out of area.
out=$(gw locate --json "Jo JE2 4WD")
check_eq "no coords level" "none" "$(jget "$out" '$.geocode.level')"
check_eq "Jersey out of area" "out_of_area" "$(jget "$out" '$.match.kind')"
out=$(gw locate --json "Olu EH1 1YZ")
check_eq "Scotland out of area" "out_of_area" "$(jget "$out" '$.match.kind')"
check_contains "out of area reply" "England and Wales" "$(jget "$out" '$.reply')"

# An area that does not exist.
out=$(gw locate --json "Jo MA1 1AA")
check_eq "unknown area" "none" "$(jget "$out" '$.match.kind')"
check_contains "unknown postcode reply" "can't find the postcode MA1 1AA" \
    "$(jget "$out" '$.reply')"

# Keywords, and a text with no postcode.
out=$(gw locate --json "stop")
check_eq "STOP" "STOP" "$(jget "$out" '$.keyword')"
check_eq "STOP has no match" "none" "$(jget "$out" '$.match.kind')"
out=$(gw locate --json "Stop please")
check_eq "Stop please is an opt-out" "STOP" "$(jget "$out" '$.keyword')"
out=$(gw locate --json "Jane Smith")
check_eq "no postcode" "none" "$(jget "$out" '$.postcode_kind')"
check_contains "asks for the postcode" "Please text your postcode" "$(jget "$out" '$.reply')"

# One text per line from stdin, one JSON object per text.
n=$(printf 'Jane SE1 7PB\nHELP\nTom M1 1AD\n' | gw locate --json - | wc -l)
check_eq "stdin lines" "3" "$n"
printf 'Jane SE1 7PB\n' | gw locate - >"$T/out"
check_contains "text output" "reply     Hi Jane!" "$(cat "$T/out")"

# A region organiser when no branch is near: a branch-less area far away.
out=$(gw locate --json "Ann TR1 1AA")
check_eq "region organiser" "region" "$(jget "$out" '$.match.kind')"
check_eq "South West" "South West" "$(jget "$out" '$.match.region')"

# Segments: counted as the network will, and kept within the budget by
# leaving out optional parts, last first.
out=$(gw locate --json "Jane Smith SE1 7PB")
check_eq "GSM-7 reply" "GSM-7" "$(jget "$out" '$.encoding')"
check_eq "two segments" "2" "$(jget "$out" '$.segments')"
check_contains "with the e-mail" "grace.mensah@example.org" "$(jget "$out" '$.reply')"
out=$(gw locate --json "Siân SE1 7PB")
check_eq "UCS-2 reply" "UCS-2" "$(jget "$out" '$.encoding')"
check_eq "UCS-2 within budget" "2" "$(jget "$out" '$.segments')"
cp "$T/gateway.conf" "$T/one.conf"
printf '[replies]\nmax_segments = 1\n' >>"$T/one.conf"
out=$("$GATEWAY" --config "$T/one.conf" locate --json "Jane Smith SE1 7PB")
check_eq "one segment" "1" "$(jget "$out" '$.segments')"
case $(jget "$out" '$.reply') in
*grace.mensah@example.org*) bad "the last optional part should go first" ;;
*Southwark*) ok ;;
*) bad "the branch must stay: $(jget "$out" '$.reply')" ;;
esac
gw locate "Jane Smith SE1 7PB" >"$T/out"
check_contains "text output shows segments" "segments  2 (GSM-7" "$(cat "$T/out")"

# Nothing was written by locate: no leads, no inbound.
check_eq "locate stores nothing" "0 0" "$(sql "SELECT count(*) FROM leads") $(sql "SELECT count(*) FROM inbound")"
finish
