# t100-serve: the webhook server with the fake provider: signatures,
# limits, idempotency, durability across a restart, opt-outs.
. tests/cli/lib.sh

SECRET=test-secret-not-real
cat >"$T/providers.conf" <<CONF
[provider fake]
type = fake
secret = $SECRET
[server]
timeout = 2
[provider walled]
type = fake
allow_unsigned = yes
allow_from = 192.0.2.0/24
CONF
start_server "$T/providers.conf"

# signed BODY: post to /webhooks/fake with the right signature.
signed() {
	sig=$(printf '%s' "$1" | hmac_hex "$SECRET")
	post /webhooks/fake "$1" -H "X-Fake-Signature: $sig"
}
count() {
	sql "SELECT (SELECT count(*) FROM inbound) || ' ' || (SELECT count(*) FROM leads) || ' ' || (SELECT count(*) FROM outbox WHERE purpose = 'reply')"
}

check_eq "healthz" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"

# Bad requests cost nothing.
check_eq "no signature" "403" "$(post /webhooks/fake 'from=%2B447700900101&text=Jo+SE1+7PB&id=a1')"
check_eq "wrong signature" "403" "$(post /webhooks/fake 'from=%2B447700900101&text=Jo+SE1+7PB&id=a1' -H 'X-Fake-Signature: 00ff')"
sig=$(printf 'from=%%2B447700900101&text=Jo+SE1+7PB&id=a1' | hmac_hex wrong-secret)
check_eq "other key" "403" "$(post /webhooks/fake 'from=%2B447700900101&text=Jo+SE1+7PB&id=a1' -H "X-Fake-Signature: $sig")"
check_eq "malformed" "400" "$(signed 'text=Jo+SE1+7PB&id=a1')"
check_eq "bad escape" "400" "$(signed 'from=%ZZ&text=x&id=a1')"
check_eq "unknown instance" "404" "$(post /webhooks/nobody 'x=1')"
check_eq "wrong method" "405" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$URL/webhooks/fake")"
head -c 70000 /dev/zero | tr '\0' a >"$T/big"
check_eq "too large" "413" "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$T/big" "$URL/webhooks/fake")"
# A client that sends half a request and stalls is dropped.
start=$(date +%s)
# cat returns when the server closes the connection.
bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
	printf "POST /webhooks/fake HTTP/1.1\r\nHost: x\r\n" >&3
	timeout 20 cat <&3 >/dev/null' sh "$PORT"
waited=$(( $(date +%s) - start ))
if [ "$waited" -le 10 ]; then ok; else bad "a stalled client held on for ${waited}s"; fi
check_eq "alive after a stalled client" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
check_eq "allow_from" "403" "$(post /webhooks/walled 'from=%2B447700900101&text=Jo+SE1+7PB&id=a1')"
check_eq "nothing stored" "0 0 0" "$(count)"

# A signup: one inbound row, one lead with its evidence, one reply queued.
check_eq "signup" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=m1')"
check_eq "ack" '{"ok":true}' "$(cat "$T/resp")"
check_eq "rows" "1 1 1" "$(count)"
check_eq "lead" "+447700900101|Jane Smith|SE1 7PB|coverage|Southwark" \
    "$(sql "SELECT l.phone, l.name, l.postcode, l.match_kind, b.name FROM leads l JOIN branches b ON b.id = l.branch_id")"
check_eq "consent evidence" "m1|Jane Smith SE1 7PB|1" \
    "$(sql "SELECT consent_ext_id, consent_text, CAST(consent_reply LIKE 'Hi Jane Smith!%' AS integer) FROM leads")"
check_eq "reply queued" "fake:m1:reply|+447700900101|reply" \
    "$(sql "SELECT idem_key, recipient, purpose FROM outbox WHERE purpose = 'reply'")"

# The same message five times: one of everything.
for i in 1 2 3 4 5; do
	check_eq "retry $i" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=m1')"
done
check_eq "still one of each" "1 1 1" "$(count)"

# Many at once: each stored once (the writer batches them).
seq 1 40 | xargs -P 20 -I{} sh -c '
	body="from=%2B4477009002{}&text=Sam+M1+1AD&id=c{}"
	sig=$(printf "%s" "$body" | openssl dgst -sha256 -hmac "$1" -r | cut -d" " -f1)
	curl -s -o /dev/null -w "%{http_code}\n" --data-binary "$body" -H "X-Fake-Signature: $sig" "$2/webhooks/fake"
' sh "$SECRET" "$URL" >"$T/codes"
check_eq "40 concurrent" "40" "$(grep -c '^200$' "$T/codes")"
check_eq "41 leads" "41 41 41" "$(count)"

# A restart: the first delivery is remembered.
stop_server
start_server "$T/providers.conf"
check_eq "after restart" "200" "$(signed 'from=%2B447700900101&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=m1')"
check_eq "no duplicate after restart" "41 41 41" "$(count)"

# STOP: recorded with its evidence; then that number is never texted.
check_eq "stop" "200" "$(signed 'from=%2B447700900102&text=Stop&id=s1')"
check_eq "opt-out" "+447700900102|sms|fake|Stop" "$(sql "SELECT phone, source, instance, text FROM optouts")"
check_eq "signup after stop" "200" "$(signed 'from=%2B447700900102&text=Ann+SE1+7PB&id=s2')"
check_eq "never texted after stop" "0" \
    "$(sql "SELECT count(*) FROM outbox WHERE recipient = '+447700900102' AND purpose = 'reply' AND inbound_id = (SELECT id FROM inbound WHERE ext_id = 's2')")"
check_eq "no lead while opted out" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900102'")"
check_eq "start" "200" "$(signed 'from=%2B447700900102&text=START&id=s3')"
check_eq "opted in again" "0" "$(sql "SELECT count(*) FROM optouts")"

# Text without a postcode: no lead, the question queued.
check_eq "no postcode" "200" "$(signed 'from=%2B447700900103&text=Hello+I+am+Ravi&id=n1')"
check_eq "asks for postcode" "1" "$(sql "SELECT count(*) FROM outbox WHERE recipient = '+447700900103' AND body LIKE '%postcode%'")"

# Delivery receipts move the row on.
sql "UPDATE outbox SET state = 'sent', ext_id = 'prov-1' WHERE idem_key = 'fake:m1:reply'"
sig=$(printf 'id=prov-1&status=delivered' | hmac_hex "$SECRET")
check_eq "status endpoint" "200" "$(post /status/fake 'id=prov-1&status=delivered' -H "X-Fake-Signature: $sig")"
check_eq "delivered" "delivered" "$(sql "SELECT state FROM outbox WHERE idem_key = 'fake:m1:reply'")"

stop_server
[ "$GW_ENGINE" = sqlite ] &&
    check_eq "database intact" "ok" "$(sql 'PRAGMA integrity_check')"
check_eq "no errors logged" "" "$(grep ' error ' "$T/serve.err")"
finish
