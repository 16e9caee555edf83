# t510-forget: erasure leaves no trace of the number outside the
# suppression hash and the audit entry, and the number stays opted out;
# purge removes what is older than the retention.
. tests/cli/lib.sh

N=+447700900901
cat >"$T/providers.conf" <<CONF
[notify]
channels = email
smtp_url = smtp://127.0.0.1:9
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"
post /webhooks/fk 'from=%2B447700900901&text=Jane+Smith&id=f1' >/dev/null
post /webhooks/fk 'from=%2B447700900901&text=SE1+7PB&id=f2' >/dev/null
post /webhooks/fk 'from=%2B447700900902&text=Tom+M1+1AD&id=f3' >/dev/null
stop_server
gw optout add 07700900901 >/dev/null
gw optout remove 07700900901 >/dev/null
check_eq "a lead to erase" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '$N'")"
check_eq "named in a notification" "1" "$(sql "SELECT count(*) FROM outbox WHERE body LIKE '%$N%'")"

check_status "forget" 0 gw forget "07700 900901"
check_contains "says what went" "erased 1 leads, 2 messages" "$(cat "$T/out")"
# No trace of the number anywhere in the database.
check_eq "no trace of the number" "0" "$(sqlite3 "$T/gateway.db" .dump | grep -c '447700900901')"
check_eq "one hash kept" "1" "$(sql 'SELECT count(*) FROM suppressions')"
check_contains "the forget audited" "forget" "$(sql "SELECT action FROM audit WHERE action = 'forget'")"
check_eq "the other number untouched" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900902'")"

# Texting again: still opted out, nothing sent, no lead.
start_server "$T/providers.conf"
post /webhooks/fk 'from=%2B447700900901&text=Jane+SE1+7PB&id=f4' >/dev/null
check_eq "no lead after erasure" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '$N'")"
check_eq "no reply after erasure" "0" "$(sql "SELECT count(*) FROM outbox WHERE idem_key = 'fk:f4:reply'")"
# START opts back in, hash and all.
post /webhooks/fk 'from=%2B447700900901&text=START&id=f5' >/dev/null
check_eq "suppression lifted by START" "0" "$(sql 'SELECT count(*) FROM suppressions')"
stop_server

# Retention: what is recent stays; what is old goes.
check_status "purge needs days" 2 gw purge
leads=$(sql 'SELECT count(*) FROM leads')
check_status "purge" 0 gw purge --older-than 30
check_eq "recent leads kept" "$leads" "$(sql 'SELECT count(*) FROM leads')"
sql "UPDATE leads SET created_at = 0; UPDATE inbound SET received_at = 0; UPDATE outbox SET created_at = 0"
check_status "purge old" 0 gw purge --older-than 30
check_eq "leads purged" "0" "$(sql 'SELECT count(*) FROM leads')"
check_eq "messages purged" "0" "$(sql 'SELECT count(*) FROM inbound')"
check_eq "unsent rows kept" "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued','sending')")" "$(sql 'SELECT count(*) FROM outbox')"
check_contains "purge audited" "purge" "$(sql "SELECT group_concat(action) FROM audit WHERE action = 'purge'")"

# retention_days purges while serving, by itself.
start_server "$T/providers.conf"
post /webhooks/fk 'from=%2B447700900903&text=Ann+SE1+7PB&id=r1' >/dev/null
stop_server
sql "UPDATE leads SET created_at = 0; UPDATE inbound SET received_at = 0"
printf '[privacy]\nretention_days = 30\n' >>"$T/providers.conf"
start_server "$T/providers.conf"
wait_for "purged on schedule" "SELECT count(*) FROM leads" "0"
check_contains "by the system" "system:retention" "$(sql "SELECT actor FROM audit WHERE action = 'purge' ORDER BY id DESC LIMIT 1")"
stop_server
finish
