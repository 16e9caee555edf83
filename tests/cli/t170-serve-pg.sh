# t170-serve-pg: the real server on PostgreSQL ([database] url): the store
# migrates a scratch server's database (tests/pg.sh), a signed webhook is
# stored and makes a lead, and a duplicate delivery is claimed once.
# Skipped where PostgreSQL cannot run (scripts/deps.sh postgres).
. tests/cli/lib.sh
. tests/pg.sh

SECRET=test-secret-not-real

# As lib.sh's start_server, with [database] url instead of path.
start_pg_server() {
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
CONF
	# Nothing of SQLite's made or touched (a developer's own gateway.db
	# from `make run` may be there already).
	before=$(ls -l --time-style=+%s gateway.db* 2>/dev/null)
	launch_server
	check_eq "no SQLite file made or touched" "$before" "$(ls -l --time-style=+%s gateway.db* 2>/dev/null)"
	check_contains "said where it stores" "database on PostgreSQL" "$(cat "$T/serve.err")"
}

signed() {
	sig=$(printf '%s' "$1" | hmac_hex "$SECRET")
	post /webhooks/fake "$1" -H "X-Fake-Signature: $sig"
}
count() {
	psql_q "SELECT (SELECT count(*) FROM inbound) || ' ' || (SELECT count(*) FROM leads) || ' ' || (SELECT count(*) FROM outbox WHERE purpose = 'reply')"
}

start_pg_server
check_eq "healthz" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
newest=$(ls data/schema/pg | sed -n 's/^0*\([0-9][0-9]*\)-.*/\1/p' | sort -n | tail -1)
check_eq "migrated on PostgreSQL" "$newest" "$(psql_q 'SELECT max(version) FROM schema_version')"
check_eq "no SQLite file made" "no" "$([ -e "$T/gateway.db" ] && echo yes || echo no)"
check_eq "seeded: areas" "1" "$(psql_q 'SELECT count(*) > 100 FROM postcode_areas' | sed 's/t/1/;s/f/0/')"

check_eq "bad signature" "403" "$(post /webhooks/fake 'from=%2B447700900101&text=Jo+SE1+7PB&id=a1' -H 'X-Fake-Signature: 00ff')"
check_eq "nothing stored" "0 0 0" "$(count)"

check_eq "signup" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=m1')"
check_eq "ack" '{"ok":true}' "$(cat "$T/resp")"
check_eq "rows" "1 1 1" "$(count)"
check_eq "lead" "+447700900101|Jane Smith|SE1 7PB|coverage|Southwark" \
    "$(psql_q "SELECT l.phone, l.name, l.postcode, l.match_kind, b.name FROM leads l JOIN branches b ON b.id = l.branch_id")"
check_eq "consent evidence" "m1|Jane Smith SE1 7PB" \
    "$(psql_q "SELECT consent_ext_id, consent_text FROM leads")"

# The same message again: claimed once, the same answer.
for i in 1 2 3; do
	check_eq "duplicate $i" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=m1')"
done
check_eq "still one of each" "1 1 1" "$(count)"

# Many at once, some twice: each stored once.
seq 1 20 | xargs -P 10 -I{} sh -c '
	for k in 1 2; do
	body="from=%2B4477009002{}&text=Sam+M1+1AD&id=c{}"
	sig=$(printf "%s" "$body" | openssl dgst -sha256 -hmac "$1" -r | cut -d" " -f1)
	curl -s -o /dev/null -w "%{http_code}\n" --data-binary "$body" -H "X-Fake-Signature: $sig" "$2/webhooks/fake"
	done
' sh "$SECRET" "$URL" >"$T/codes"
check_eq "40 deliveries answered" "40" "$(grep -c '^200$' "$T/codes")"
check_eq "21 of each" "21 21 21" "$(count)"

# STOP: the opt-out is recorded and the number is told once.
check_eq "stop" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=STOP&id=m2')"
check_eq "opted out" "1" "$(psql_q "SELECT count(*) FROM optouts WHERE phone = '+447700900101'")"

stop_server
finish
