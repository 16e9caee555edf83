# t200-outbox: replies leave through the provider's API: a fake provider
# that fails on a script, retries spaced as configured, dead letters, the
# rate limit, opt-outs, and a SIGKILL in the middle of draining.
. tests/cli/lib.sh

# The Idempotency-Key of each request in a fakeserver log.
log_keys() {
	while read -r l; do jget "$l" '$.headers."Idempotency-Key"'; done <"$1"
}

# The provider: 500, then 429 with Retry-After 1, then a slow answer past
# the timeout, then a connection closed; after that, ok.
start_fake api --script "500,429:1,slow:4,close"
API=$FAKE_PORT
cat >"$T/providers.conf" <<CONF
[outbox]
retry_base = 1
retry_max = 2
max_attempts = 6
timeout = 2
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:$API
CONF
start_server "$T/providers.conf"

check_eq "signup" "200" "$(post /webhooks/fk 'from=%2B447700900401&text=Jane+Smith+SE1+7PB&id=o1')"
wait_for "sent in the end" "SELECT state FROM outbox WHERE idem_key = 'fk:o1:reply'" "sent" 30
check_eq "five attempts" "5" "$(sql "SELECT attempts FROM outbox WHERE idem_key = 'fk:o1:reply'")"
check_eq "provider's id kept" "fake-5" "$(sql "SELECT ext_id FROM outbox WHERE idem_key = 'fk:o1:reply'")"
check_eq "five requests" "5" "$(wc -l <"$T/api.log")"
check_eq "one key throughout" "fk:o1:reply" "$(log_keys "$T/api.log" | sort -u)"
check_contains "the reply text" "Your nearest branch is Southwark" "$(jget "$(sed -n 5p "$T/api.log")" '$.body')"
# Attempts spaced as configured: at least retry_base * 0.75 apart, and the
# one after the 429 at least its Retry-After.
times=$(while read -r l; do jget "$l" '$.t'; done <"$T/api.log" | tr '\n' ' ')
gaps=$(echo "$times" | awk '{for (i = 2; i <= NF; i++) printf "%.2f ", $i - $(i-1)}')
echo "$gaps" | awk '{for (i = 1; i <= NF; i++) if ($i < 0.7) bad = 1; exit bad}' && ok || bad "attempts too close: $gaps"

# Refused connections: retried, then a dead letter after max_attempts.
kill "$FAKE_PID_api"
wait "$FAKE_PID_api" 2>/dev/null
check_eq "second signup" "200" "$(post /webhooks/fk 'from=%2B447700900402&text=Tom+M1+1AD&id=o2')"
wait_for "dead letter" "SELECT state || ' ' || attempts FROM outbox WHERE idem_key = 'fk:o2:reply'" "dead 6" 40
check_contains "why it died" "onnect" "$(sql "SELECT last_error FROM outbox WHERE idem_key = 'fk:o2:reply'")"
dead=$(sql "SELECT id FROM outbox WHERE idem_key = 'fk:o2:reply'")
check_contains "listed as dead" "fk:o2:reply" "$(gw --config "$T/serve.conf" outbox list --state dead 2>&1)"
check_status "retry a row that is not dead" 1 "$GATEWAY" --config "$T/serve.conf" outbox retry \
    "$(sql "SELECT id FROM outbox WHERE idem_key = 'fk:o1:reply'")"
check_status "discard" 0 "$GATEWAY" --config "$T/serve.conf" outbox discard "$dead"
check_eq "discarded by an admin" "discarded" "$(sql "SELECT state FROM outbox WHERE id = $dead")"
check_contains "audited" "discard outbox:$dead" "$(sql "SELECT action || ' ' || record FROM audit WHERE record = 'outbox:$dead'")"
stop_server

# Nothing to an opted-out number, even if something was queued before.
start_fake api2
cat >"$T/providers.conf" <<CONF
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:$FAKE_PORT
rate = 200
CONF
sql "INSERT INTO optouts (phone, opted_out_at, source) VALUES ('+447700900403', 0, 'cli');
     INSERT INTO outbox (idem_key, channel, instance, recipient, body, purpose, next_attempt_at, created_at, updated_at)
     VALUES ('t:1', 'sms', 'fk', '+447700900403', 'hello', 'reply', 0, 0, 0)"
start_server "$T/providers.conf"
wait_for "discarded" "SELECT state || ' ' || last_error FROM outbox WHERE idem_key = 't:1'" "discarded opted out"
# STOP: the confirmation goes, nothing after it.
check_eq "stop" "200" "$(post /webhooks/fk 'from=%2B447700900404&text=STOP&id=s1')"
wait_for "confirmation sent" "SELECT state FROM outbox WHERE idem_key = 'fk:s1:reply'" "sent"
check_eq "confirmation purpose" "confirm_stop" "$(sql "SELECT purpose FROM outbox WHERE idem_key = 'fk:s1:reply'")"
check_eq "after stop" "200" "$(post /webhooks/fk 'from=%2B447700900404&text=Ann+SE1+7PB&id=s2')"
check_eq "nothing queued after stop" "0" "$(sql "SELECT count(*) FROM outbox WHERE idem_key = 'fk:s2:reply'")"
check_eq "never sent to them" "1" "$(grep -c '447700900404' "$T/api2.log")"

# Kannel gives no id; its receipts name the key the gateway chose, and the
# row the receipt names is found by it.
stop_server
start_fake kannel --ok-body "0: Accepted for delivery"
cat >>"$T/providers.conf" <<CONF
[provider kn]
type = kannel
token = kannel-token-not-real
base_url = http://127.0.0.1:$FAKE_PORT
username = gateway
password = kannel-password-not-real
from = +447700900000
CONF
start_server "$T/providers.conf"
sql "INSERT INTO outbox (idem_key, channel, instance, recipient, body, purpose, next_attempt_at, created_at, updated_at)
     VALUES ('kn:r1:reply', 'sms', 'kn', '+447700900405', 'hello', 'reply', 0, 0, 0)"
wait_for "sent through Kannel" "SELECT state || ' ' || ext_id FROM outbox WHERE idem_key = 'kn:r1:reply'" "sent kn:r1:reply"
check_contains "asked for receipts" "dlr-url" "$(jget "$(head -1 "$T/kannel.log")" '$.path')"
check_eq "Kannel's receipt" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/status/kn?token=kannel-token-not-real&id=kn%3Ar1%3Areply&type=1")"
check_eq "delivered" "delivered" "$(sql "SELECT state FROM outbox WHERE idem_key = 'kn:r1:reply'")"

# SIGKILL while draining 150 replies at 200 a second, then a restart:
# every row is sent, and each key reached the provider.
i=0
while [ $i -lt 150 ]; do
	printf 'from=%%2B4477009005%02d&text=Sam+M1+1AD&id=k%d\n' $((i % 100)) $i
	i=$((i + 1))
done >"$T/bodies"
while read -r b; do post /webhooks/fk "$b" >/dev/null; done <"$T/bodies"
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
check_eq "all stored before the kill" "150" "$(sql "SELECT count(*) FROM outbox WHERE idem_key LIKE 'fk:k%:reply'")"
start_server "$T/providers.conf"
wait_for "all sent after restart" "SELECT count(*) FROM outbox WHERE idem_key LIKE 'fk:k%:reply' AND state = 'sent'" "150" 40
keys=$(log_keys "$T/api2.log" | grep '^fk:k')
check_eq "every key reached the provider" "150" "$(echo "$keys" | sort -u | wc -l)"
dups=$(echo "$keys" | sort | uniq -d | wc -l)
# Only a row caught mid-send by the kill may go twice, under its own key.
if [ "$dups" -le 5 ]; then ok; else bad "$dups keys sent twice"; fi
stop_server
finish
