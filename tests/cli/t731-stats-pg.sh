# t731-stats-pg: GET /admin/api/stats on PostgreSQL: the same SQL as on
# SQLite (store_stats.c) gives the figures the database counts.  Leads are
# made through the webhook; skipped where PostgreSQL cannot run.
. tests/cli/lib.sh
. tests/pg.sh

SECRET=test-secret-not-real VIEWER=stats-viewer-not-real
cat >"$T/serve.conf" <<CONF
[server]
listen = 127.0.0.1:0
threads = 2
[database]
url = $PG_URL
example_data = yes
[provider fake]
type = fake
secret = $SECRET
$(token_conf watcher viewer "$VIEWER")
CONF
launch_server
signed() {
	sig=$(printf '%s' "$1" | hmac_hex "$SECRET")
	post /webhooks/fake "$1" -H "X-Fake-Signature: $sig" >/dev/null
}
i=0
for text in "Jane+SE1+7PB" "Sam+M1+1AD" "Ann+TR18+4AA" "Bo+TR18+2BX" "Cy+LL55+1AA" "Di+SE1+9GF"; do
	i=$((i + 1))
	signed "from=%2B44770090010$i&text=$text&id=p$i"
done
signed "from=%2B447700900103&text=STOP&id=p-stop"
psql_q "UPDATE leads SET campaign = 'spring' WHERE postcode LIKE 'TR18%'" >/dev/null
stats() {
	curl -s -o "$T/stats.json" -w '%{http_code}' -H "Authorization: Bearer $VIEWER" "$URL/admin/api/stats${1:+?$1}"
}
jx() {
	sqlite3 :memory: "SELECT json_extract(readfile('$T/stats.json'), '$1')"
}
check_eq "stats" 200 "$(stats "")"
check_eq "leads_total" "$(psql_q "SELECT count(*) FROM leads")" "$(jx '$.leads_total')"
check_eq "numbers" "$(psql_q "SELECT count(DISTINCT phone) FROM leads")" "$(jx '$.numbers')"
check_eq "optouts" "$(psql_q "SELECT count(*) FROM optouts WHERE phone IN (SELECT phone FROM leads)")" "$(jx '$.optouts')"
check_eq "fallthrough" "$(psql_q "SELECT count(*) FROM leads WHERE match_kind IN ('region', 'national')")" "$(jx '$.fallthrough')"
check_eq "the first unserved district" "TR18 2" "$(jx '$.unserved_districts[0].district') $(jx '$.unserved_districts[0].leads')"
check_eq "today's leads" "$(psql_q "SELECT count(*) FROM leads")" "$(jx '$.per_day[#-1].leads')"
check_eq "campaign=spring" 200 "$(stats "campaign=spring")"
check_eq "campaign=spring: leads_total" "$(psql_q "SELECT count(*) FROM leads WHERE campaign = 'spring'")" "$(jx '$.leads_total')"
check_eq "campaign=spring: by_campaign" "spring" "$(jx '$.by_campaign[0].campaign')"
stop_server
finish
