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
check_eq "no trace of the number" "0" "$(dump_db | grep -c '447700900901')"
# Nor in the bytes of the file and its WAL: secure_delete overwrote the
# rows, and the checkpoint emptied the log.  (PostgreSQL's files and log
# are the server's: VACUUM's, out of the gateway's reach.)
[ "$GW_ENGINE" = sqlite ] && check_eq "not in the file's bytes" "0" "$(cat "$T/gateway.db" "$T/gateway.db-wal" 2>/dev/null | grep -ac '447700900901')"
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

# Erasure while the server holds the database open, through the admin
# API: the WAL the server writes to is emptied too.
cat >>"$T/providers.conf" <<CONF
[token ops]
role = admin
sha256 = $(printf 'ops-secret' | sha256sum | cut -d' ' -f1)
CONF
start_server "$T/providers.conf"
for i in 1 2 3; do
	post /webhooks/fk "from=%2B447700900904&text=Ravi+Patel+B15+2TT&id=w$i" >/dev/null
done
post /webhooks/fk 'from=%2B447700900905&text=Mia+LS6+1AN&id=w9' >/dev/null
[ "$GW_ENGINE" = sqlite ] && check_eq "in the WAL before" "1" "$([ "$(cat "$T/gateway.db-wal" | grep -ac '447700900904')" -gt 0 ] && echo 1)"
out=$(curl -s -H 'Authorization: Bearer ops-secret' -H 'Content-Type: application/json' \
    -d '{"phone":"07700900904"}' "$URL/admin/api/forget")
check_contains "forget through the API" '"leads":1' "$out"
[ "$GW_ENGINE" = sqlite ] && check_eq "not in the bytes while serving" "0" "$(cat "$T/gateway.db" "$T/gateway.db-wal" 2>/dev/null | grep -ac '447700900904')"
post /webhooks/fk 'from=%2B447700900906&text=Ann+M1+1AD&id=w10' >/dev/null
check_eq "serving goes on" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900906'")"
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
check_contains "purge audited" "purge" "$(sql "SELECT action FROM audit WHERE action = 'purge'")"

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
