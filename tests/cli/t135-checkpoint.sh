# t135-checkpoint: checkpoints run on their own thread, not in the
# writer's commits: under load the log is copied back as it grows, and once
# the server is idle it is truncated to nothing, while the server runs.
. tests/cli/lib.sh

TOKEN=twilio-token-not-real
PUBLIC_URL=https://sms.example.org
SYNCHRONOUS=full
cat >"$T/ck.conf" <<CONF
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TOKEN
from = +447700900000
base_url = http://127.0.0.1:9
CONF
start_server "$T/ck.conf"
"$TOP/build/loadgen" --url "$URL/webhooks/tw" --sign-url "$PUBLIC_URL/webhooks/tw" \
    --token "$TOKEN" --acked "$T/acked" --unacked "$T/owed" --count 3000 \
    --max-time 60 >"$T/load.out" 2>&1
check_eq "all acknowledged" "3000" "$(wc -l <"$T/acked" | tr -d ' ')"
check_eq "all stored" "3000" "$(sql 'SELECT count(*) FROM inbound')"
# Idle: the checkpointer truncates the log while the server still runs.
i=0
while [ "$(stat -c %s "$T/gateway.db-wal" 2>/dev/null || echo 0)" -ne 0 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
check_eq "log truncated when idle" "0" "$(stat -c %s "$T/gateway.db-wal")"
kill -0 "$SERVER_PID" 2>/dev/null && ok || bad "the server is gone"
stop_server
line=$(grep 'checkpoints:' "$T/serve.err")
passive=$(printf '%s' "$line" | sed -n 's/.*checkpoints: \([0-9]*\) passive.*/\1/p')
pages=$(printf '%s' "$line" | sed -n 's/.*longest log \([0-9]*\) pages.*/\1/p')
# Several during the load: the log was copied back as it grew, not left
# to one checkpoint at the end; and it stayed under the RESTART bound.
if [ "${passive:-0}" -gt 1 ]; then ok; else bad "passive checkpoints: $line"; fi
if [ "${pages:-99999}" -lt 16000 ]; then ok; else bad "log grew to $pages pages"; fi
check_eq "integrity" "ok" "$(sql 'PRAGMA integrity_check')"
finish
