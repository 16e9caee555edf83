# t745-templates-pg: reply templates on PostgreSQL, where several nodes
# share the database: a template set by the API, or by another process
# (as another node would), words the next reply of every request thread;
# reset restores gateway.conf's; audited.  Skipped where PostgreSQL cannot
# run (tests/pg.sh).
. tests/cli/lib.sh
. tests/pg.sh

ADMIN=admin-token-not-real
cat >"$T/serve.conf" <<CONF
[server]
listen = 127.0.0.1:0
threads = 2
[database]
url = $PG_URL
example_data = yes
$(token_conf ed admin "$ADMIN")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
launch_server

# Each request may land on either thread: ask a few times.
replies() {
	for i in 1 2 3 4; do
		post /webhooks/fk "from=%2B447700900745&text=Sam+Jones+SE1+7PB&id=$1-$i" >/dev/null
		psql_q "SELECT body FROM outbox WHERE idem_key = 'fk:$1-$i:reply'"
	done | sort -u
}

check_contains "default first" "Hi Sam Jones! Your nearest branch is Southwark" "$(replies a)"
check_eq "API sets" "200" "$(api "$ADMIN" PUT templates/branch '{"text":"Hello {name} \u2013 {branch}"}')"
check_eq "every thread words it so" "Hello Sam Jones - Southwark" "$(replies b)"
check_eq "audited" "token:ed|set" \
    "$(psql_q "SELECT actor || '|' || action FROM audit WHERE record = 'template:branch'")"
check_status "another process sets" 0 "$GATEWAY" --config "$T/serve.conf" template set branch 'Hiya {name}: {branch}'
check_eq "the server sees it" "Hiya Sam Jones: Southwark" "$(replies c)"
check_status "another process resets" 0 "$GATEWAY" --config "$T/serve.conf" template reset branch
check_contains "default again" "Hi Sam Jones! Your nearest branch is Southwark" "$(replies d)"
check_eq "the other process audited" "update reset" \
    "$(psql_q "SELECT string_agg(action, ' ' ORDER BY id) FROM audit WHERE record = 'template:branch' AND actor LIKE 'cli:%'")"
stop_server
finish
