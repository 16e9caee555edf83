# t600-admin-api: every route and role of /admin/api, bad tokens, bad JSON,
# bad fields; changes take effect at once for new texts, and are audited.
. tests/cli/lib.sh

ADMIN=admin-token-not-real
VIEWER=viewer-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf ada admin "$ADMIN")
$(token_conf val viewer "$VIEWER")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"


check_eq "no token" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/api/branches")"
check_eq "wrong token" "401" "$(api wrong GET branches)"
check_eq "viewer reads" "200" "$(api $VIEWER GET branches)"
check_eq "fourteen branches" "14" "$(jlen "$(cat "$T/resp")" '$')"
check_eq "viewer may not write" "403" "$(api $VIEWER POST branches '{"name":"X"}')"
check_eq "bad JSON" "400" "$(api $ADMIN POST branches '{"name":')"
check_contains "says why" "bad JSON" "$(cat "$T/resp")"
check_eq "bad field" "422" "$(api $ADMIN POST branches '{"name":"Hove","postcode":"QQ1 1AA"}')"
check_eq "names the field" "postcode" "$(jget "$(cat "$T/resp")" '$.field')"
check_eq "unknown field" "422" "$(api $ADMIN POST branches '{"name":"Hove","colour":"red"}')"
check_eq "names it" "colour" "$(jget "$(cat "$T/resp")" '$.field')"
check_eq "nothing stored" "0" "$(sql "SELECT count(*) FROM branches WHERE name = 'Hove'")"

# A branch added through the API answers the next text at once.
check_eq "add" "201" "$(api $ADMIN POST branches '{"name":"Truro","latitude":50.263,"longitude":-5.051,"meets":"Fridays 7pm","contact_name":"Kit","contact_phone":"07700 900950","region":"South West","coverage":["TR1"]}')"
id=$(jget "$(cat "$T/resp")" '$.id')
post /webhooks/fk 'from=%2B447700900951&text=Ann+TR1+1AA&id=a1' >/dev/null
check_eq "the new branch answers" "Truro" "$(sql "SELECT b.name FROM leads l JOIN branches b ON b.id = l.branch_id WHERE l.phone = '+447700900951'")"
check_eq "get one" "200" "$(api $VIEWER GET branches/$id)"
check_eq "phone normalised" "+447700900950" "$(jget "$(cat "$T/resp")" '$.contact_phone')"
check_eq "edit" "200" "$(api $ADMIN PUT branches/$id '{"meets":"Saturdays 10am"}')"
check_eq "edited" "Saturdays 10am" "$(sql "SELECT meets FROM branches WHERE id = $id")"
check_eq "no such branch" "404" "$(api $ADMIN GET branches/9999)"

# Regions and organisers.
check_eq "regions" "200" "$(api $VIEWER GET regions)"
rid=$(sql "SELECT id FROM regions WHERE name = 'Wales'")
check_eq "set organiser" "200" "$(api $ADMIN PUT regions/$rid '{"organiser_name":"Rhian","organiser_phone":"07700 900960"}')"
check_eq "organiser saved" "Rhian|+447700900960" "$(sql "SELECT organiser_name || '|' || organiser_phone FROM regions WHERE id = $rid")"
check_eq "bad organiser phone" "422" "$(api $ADMIN PUT regions/$rid '{"organiser_phone":"call me"}')"

# Region areas.
check_eq "areas" "200" "$(api $VIEWER GET region-areas)"
check_eq "SE is London" "London" "$(jget "$(cat "$T/resp")" '$.SE')"
check_eq "map a district" "204" "$(api $ADMIN PUT region-areas/td15 '{"region":"North East"}')"
check_eq "mapped" "North East" "$(sql "SELECT r.name FROM region_areas a JOIN regions r ON r.id = a.region_id WHERE a.code = 'TD15'")"
check_eq "bad code" "422" "$(api $ADMIN PUT region-areas/X1X1X '{"region":"London"}')"
check_eq "names it" "code" "$(jget "$(cat "$T/resp")" '$.field')"
check_eq "no such region" "422" "$(api $ADMIN PUT region-areas/TD15 '{"region":"Atlantis"}')"
check_eq "unmap" "204" "$(api $ADMIN DELETE region-areas/TD15)"
check_eq "viewer may not map" "403" "$(api $VIEWER DELETE region-areas/SE)"

# Leads, paged and filtered.
post /webhooks/fk 'from=%2B447700900952&text=Bo+TR1+2AA&id=a2' >/dev/null
check_eq "leads" "200" "$(api $VIEWER GET "leads?branch=$id&per_page=1&page=2")"
check_eq "paged" "1" "$(jlen "$(cat "$T/resp")" '$.leads')"
check_eq "bad page" "400" "$(api $VIEWER GET "leads?page=0")"
# The CSV download is the CLI's export, filters and neutralised cells too.
check_eq "leads.csv" "200" "$(api $VIEWER GET "leads.csv?branch=$id")"
check_eq "csv header" "id,phone,name,postcode,branch,region,match,consent_message_id,consent_text,consent_at,consent_reply,created_at,updated_at,campaign" "$(head -1 "$T/resp")"
check_contains "csv row, number as text" "\"'+447700900952\"" "$(cat "$T/resp")"
check_eq "csv filter checked" "400" "$(api $VIEWER GET "leads.csv?since=yesterday")"
check_eq "optouts.csv" "200" "$(api $VIEWER GET optouts.csv)"
check_eq "no token, no csv" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/api/leads.csv")"

# Opt-outs, the outbox, erasure.
check_eq "opt out" "204" "$(api $ADMIN POST optouts '{"phone":"07700 900970"}')"
check_eq "listed" "200" "$(api $VIEWER GET optouts)"
check_contains "in the list" "+447700900970" "$(cat "$T/resp")"
check_eq "opt back in" "204" "$(api $ADMIN DELETE optouts/07700900970)"
check_eq "outbox" "200" "$(api $VIEWER GET "outbox?state=queued")"
oid=$(sql "SELECT id FROM outbox LIMIT 1")
check_eq "retry only dead letters" "422" "$(api $ADMIN POST outbox/$oid/retry)"
check_eq "forget" "200" "$(api $ADMIN POST forget '{"phone":"+447700900952"}')"
check_eq "forgotten" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900952'")"

check_eq "delete" "204" "$(api $ADMIN DELETE branches/$id)"
check_eq "audit" "200" "$(api $VIEWER GET "audit?record=branch:$id")"
check_contains "who did it" "token:ada" "$(cat "$T/resp")"
check_contains "before and after" "Saturdays 10am" "$(cat "$T/resp")"
check_eq "unknown route" "404" "$(api $VIEWER GET nothing)"
stop_server

# Tokens are checked at start: the token itself is no hash.
printf '[token t]\nrole = admin\nsha256 = %s\n' "$ADMIN" >"$T/bad.conf"
check_status "a token, not its hash" 1 "$GATEWAY" --config "$T/bad.conf" check-config
check_contains "says so" "never the token itself" "$(cat "$T/err")"
finish
