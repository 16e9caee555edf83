# t250-crash: the gateway killed (SIGKILL) under load, three times, and
# restarted on the same database; every message that got no 2xx is sent
# again with its MessageSid, as Twilio would.  Then: nothing acknowledged
# is lost, and each message has one inbound row, one lead, one reply and
# one organiser notification, however often it was sent.
. tests/cli/lib.sh

TOKEN=twilio-token-not-real
PUBLIC_URL=https://sms.example.org
SYNCHRONOUS=full
ROUNDS=3
LOADGEN=$TOP/build/loadgen
TAG=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')

# The organisers' notifications go to a webhook here, so that the outbox
# has a row per lead; Twilio replies inline (TwiML), kept on the inbound
# row for a retry.
start_fake hook
cat >"$T/crash.conf" <<CONF
[conversation]
resignup_days = 0
[notify]
channels = webhook
webhook_url = http://127.0.0.1:$FAKE_PORT/hook
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TOKEN
from = +447700900000
base_url = http://127.0.0.1:$FAKE_PORT
CONF

# load ARGS...: run the load generator at the server; its summary line
# goes to $T/load.out, and the ids it still owes to $T/owed.
load() {
	"$LOADGEN" --url "$URL/webhooks/tw" --sign-url "$PUBLIC_URL/webhooks/tw" \
	    --token "$TOKEN" --tag "$TAG" --acked "$T/acked" \
	    --unacked "$T/owed.next" --max-time 10 "$@" >"$T/load.out" \
	    2>"$T/load.err"
	st=$?
	mv "$T/owed.next" "$T/owed" 2>/dev/null
	return $st
}
# figure NAME: a figure from the load generator's summary.
figure() {
	sed -n "s/.* $1 \([-0-9]*\).*/\1/p; s/^$1 \([-0-9]*\).*/\1/p" "$T/load.out"
}
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}
# stored FILE: how many of the ids in FILE have an inbound row.
stored() {
	sqlite3 "$T/gateway.db" "CREATE TEMP TABLE ids (id TEXT PRIMARY KEY);" \
	    ".mode csv" ".import $1 ids" \
	    "SELECT count(*) FROM ids JOIN inbound ON inbound.instance = 'tw'
	     AND inbound.ext_id = ids.id;"
}

: >"$T/acked"
: >"$T/owed"
max_inflight=0 max_owed=0
r=1
while [ $r -le $ROUNDS ]; do
	start_server "$T/crash.conf"
	after=$(awk -v s="$$$r" 'BEGIN { srand(s); print 200 + int(rand() * 1301) }')
	resend=""
	[ -s "$T/owed" ] && resend="--resend $T/owed"
	# New messages (a range of numbers per round) behind the owed ones.
	load $resend --first $((r * 1000000)) --count 100000 \
	    --kill "$SERVER_PID" --kill-after "$after"
	st=$?
	wait "$SERVER_PID" 2>/dev/null
	killed=$?
	SERVER_PID=""
	[ "$st" -eq 0 ] || bad "round $r: load generator exit $st: $(cat "$T/load.err")"
	check_eq "round $r: server died of SIGKILL" "137" "$killed"
	acked_at_kill=$(figure acked_at_kill)
	inflight=$(figure inflight_at_kill)
	owed=$(lines "$T/owed")
	echo "round $r: killed after ${after} ms; acked before the kill" \
	    "$acked_at_kill, in flight $inflight, owed $owed" \
	    "(stored already: $(stored "$T/owed")); $(cat "$T/load.out")"
	# Not vacuous: the kill came while messages were being acknowledged.
	if [ "${acked_at_kill:-0}" -gt 0 ]; then ok; else
		bad "round $r: nothing acknowledged before the kill"
	fi
	check_eq "round $r: every answer carried the reply" "0" "$(figure noreply)"
	[ "${inflight:-0}" -gt "$max_inflight" ] && max_inflight=$inflight
	[ "$owed" -gt "$max_owed" ] && max_owed=$owed
	r=$((r + 1))
done
if [ "$max_inflight" -gt 0 ] && [ "$max_owed" -gt 0 ]; then ok; else
	bad "no round had messages in flight at the kill ($max_inflight) or" \
	    "owed after it ($max_owed)"
fi

# The last restart: the provider retries until everything is acknowledged.
start_server "$T/crash.conf"
try=1
while [ -s "$T/owed" ] && [ $try -le 5 ]; do
	load --resend "$T/owed" ||
	    bad "retry $try: load generator exit $?: $(cat "$T/load.err")"
	try=$((try + 1))
done
check_eq "every message acknowledged in the end" "0" "$(lines "$T/owed")"
check_eq "every answer to a retry carried the reply" "0" "$(figure noreply)"
# The outbox takes up what it was sending when the server died.
wait_for "every notification sent" \
    "SELECT count(*) FROM outbox WHERE state <> 'sent'" "0" 60
stop_server

# What the database says, against what the provider was told.
acked=$(lines "$T/acked")
echo "messages acknowledged: $acked"
if [ "$acked" -gt 0 ]; then ok; else bad "no message acknowledged"; fi
q() {
	sqlite3 "$T/gateway.db" "CREATE TEMP TABLE acked (id TEXT);" \
	    ".mode csv" ".import $T/acked acked" ".mode list" "$1"
}
check_eq "each id acknowledged once" "$acked" \
    "$(q "SELECT count(DISTINCT id) FROM acked")"
check_eq "nothing acknowledged is lost" "0" \
    "$(q "SELECT count(*) FROM acked WHERE id NOT IN
	  (SELECT ext_id FROM inbound WHERE instance = 'tw')")"
check_eq "no inbound row that was never acknowledged" "0" \
    "$(q "SELECT count(*) FROM inbound WHERE ext_id NOT IN
	  (SELECT id FROM acked)")"
check_eq "one inbound row a message" "$acked" \
    "$(sql "SELECT count(*) FROM inbound WHERE instance = 'tw'")"
check_eq "every message understood" "0" \
    "$(sql "SELECT count(*) FROM inbound WHERE outcome NOT IN
	  ('coverage', 'nearest', 'region')")"
check_eq "one lead a message" "$acked|$acked" \
    "$(sql "SELECT count(*), count(DISTINCT consent_ext_id) FROM leads")"
check_eq "each lead is an acknowledged message's" "0" \
    "$(q "SELECT count(*) FROM leads WHERE consent_ext_id NOT IN
	  (SELECT id FROM acked)
	  OR inbound_id NOT IN (SELECT id FROM inbound)")"
check_eq "one reply a message, kept for retries" "0" \
    "$(sql "SELECT count(*) FROM inbound WHERE (reply NOT LIKE 'Hi %'
	  AND reply NOT LIKE 'Helo %') OR reply IS NULL")"
check_eq "no reply sent twice (Twilio's is inline)" "0" \
    "$(sql "SELECT count(*) FROM outbox WHERE purpose <> 'notify'")"
check_eq "one notification a message" "$acked" \
    "$(q "SELECT count(*) FROM outbox JOIN acked
	  ON idem_key = 'tw:' || acked.id || ':notify:webhook'")"
check_eq "and no other" "$acked" "$(sql "SELECT count(*) FROM outbox")"
finish
