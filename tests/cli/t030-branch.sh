# t030-branch: branch commands, CSV import all-or-nothing, the audit trail.
. tests/cli/lib.sh

printf 'pcds,lat,long\nE8 1EA,51.5450,-0.0553\nE8 1EB,51.5452,-0.0550\n' >"$T/pc.csv"
gw postcodes import "$T/pc.csv" >/dev/null 2>&1

check_status "add" 0 gw branch add --name Hackney --postcode "e8 1ea" \
    --meets "Thursdays 7pm" --contact_name "Sam Lee" \
    --contact_phone "07700 900123" --region london --coverage "E8; E9 5"
check_contains "add says" "added branch" "$(cat "$T/out")"
gw branch show Hackney >"$T/show"
check_contains "postcode normalised" "postcode       E8 1EA" "$(cat "$T/show")"
check_contains "phone normalised" "+447700900123" "$(cat "$T/show")"
check_contains "coverage" "coverage       E8;E9 5" "$(cat "$T/show")"
check_contains "placed at its postcode" "latitude       51.545000" "$(cat "$T/show")"
out=$(gw locate --json "Kim E9 5AA")
check_eq "sector coverage" "Hackney" "$(jget "$out" '$.match.branch')"

# Bad input: clear errors, nothing stored.
check_status "duplicate name" 1 gw branch add --name hackney --postcode "E8 1EB"
check_contains "duplicate says" "already exists" "$(cat "$T/err")"
check_status "bad postcode" 2 gw branch add --name X --postcode "QQ1 1AA"
check_contains "bad postcode says" "is not a full UK postcode" "$(cat "$T/err")"
check_status "unknown region" 2 gw branch add --name X --postcode "E8 1EB" --region Narnia
# N25 is no district: only the area places it, which is not enough.
check_status "unplaceable" 1 gw branch add --name X --postcode "N25 9GU"
check_contains "unplaceable says" "cannot be located" "$(cat "$T/err")"
check_status "coverage taken" 1 gw branch add --name X --postcode "E8 1EB" --coverage E8
check_contains "coverage taken says" "E8 already belongs to branch Hackney" "$(cat "$T/err")"
check_status "half coordinates" 1 gw branch add --name X --latitude 51.5
check_eq "nothing added" "0" "$(sql "SELECT count(*) FROM branches WHERE name = 'X'")"

check_status "edit" 0 gw branch edit Hackney --meets "Fridays 6pm" --active no
check_contains "edited" "Fridays 6pm" "$(gw branch show Hackney)"
out=$(gw locate --json "Kim E9 5AA")
check_eq "inactive coverage ignored" "nearest" "$(jget "$out" '$.match.kind')"
case $(jget "$out" '$.match.branch') in
Hackney) bad "an inactive branch was matched" ;;
*) ok ;;
esac

# Export, then import the same file: nothing changes.
gw branch export >"$T/branches.csv"
n=$(sql 'SELECT count(*) FROM branches')
check_eq "export rows" "$((n + 1))" "$(wc -l <"$T/branches.csv")"
before=$(sql 'SELECT count(*) FROM audit')
check_status "re-import" 0 gw branch import "$T/branches.csv"
check_eq "re-import changes nothing" "$before" "$(sql 'SELECT count(*) FROM audit')"

# A bad row names its line and field, and nothing is imported.
cat >"$T/new.csv" <<CSV
name,postcode,meets,contact_phone,region
Walthamstow,E8 1EB,Mondays,07700 900124,London
Leyton,E8 1EA,Tuesdays,not a phone,London
Ilford,E8 1EA,Weds,07700 900125,Atlantis
CSV
check_status "bad CSV" 1 gw branch import "$T/new.csv"
err=$(cat "$T/err")
check_contains "line 3 field" "new.csv:3: contact_phone: \"not a phone\" is not a phone number" "$err"
check_contains "line 4 field" "new.csv:4: region: no region called \"Atlantis\"" "$err"
check_contains "nothing imported" "nothing imported" "$err"
check_eq "Walthamstow not imported" "0" "$(sql "SELECT count(*) FROM branches WHERE name = 'Walthamstow'")"
printf 'name,colour\nA,red\n' >"$T/typo.csv"
check_status "unknown column" 1 gw branch import "$T/typo.csv"
check_contains "unknown column says" "unknown column \"colour\"" "$(cat "$T/err")"

# --replace removes what the file does not list.
printf 'name,postcode\nHackney,E8 1EA\n' >"$T/only.csv"
check_status "replace" 0 gw branch import --replace "$T/only.csv"
check_eq "only Hackney left" "Hackney" "$(sql 'SELECT group_concat(name) FROM branches')"

check_status "remove" 0 gw branch remove Hackney
check_eq "removed" "0" "$(sql 'SELECT count(*) FROM branches')"
check_status "remove unknown" 1 gw branch remove Hackney

# The audit trail: who, what, before and after.
gw audit --record branch >"$T/audit"
check_contains "audit create" "create  branch:" "$(cat "$T/audit")"
check_contains "audit delete" "delete  branch:" "$(cat "$T/audit")"
check_contains "audit actor" "cli:" "$(cat "$T/audit")"
check_eq "update has before and after" "1" \
    "$(sql "SELECT count(*) > 0 FROM audit WHERE action = 'update' AND before LIKE '%Thursdays%' AND after LIKE '%Fridays%'")"
check_eq "no audit for reads" "0" "$(sql "SELECT count(*) FROM audit WHERE action NOT IN ('create','update','delete','map','unmap')")"
finish
