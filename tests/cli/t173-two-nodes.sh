# t173-two-nodes: two gateway processes serving one PostgreSQL database,
# each on its own loopback port, with one fake provider and webhook
# receiver (build/fakeserver) recording what they send.
#  (e) retention, a job for one node, runs once with both up;
#  (a) one signed message delivered to both nodes at once: one inbound row,
#      one lead, one reply sent, one notification;
#  (c) a row left "sending" by a node that hangs (its lock held) is sent
#      once its lease runs out, not before; one left by a node that is gone
#      (its lock free) is sent without waiting for its lease;
#  (d) an instance's rate holds for both nodes together;
#  (b) 1,000 messages over both nodes, one SIGKILLed and restarted midway,
#      what got no 2xx sent again: each stored once, and no outbox row
#      reaches the receiver twice but those the dead node had in flight.
# Skipped where PostgreSQL cannot run (scripts/deps.sh postgres).
. tests/cli/lib.sh
. tests/pg.sh

SECRET=test-secret-not-real
TOKEN=twilio-token-not-real
PUBLIC_URL=https://sms.example.org
RATE=10
LOADGEN=$TOP/build/loadgen
TAG=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
NODE_PIDS=""

# Both nodes, the receiver and psql's lock session go at exit, whatever
# happened (pg.sh's trap calls this, then stops PostgreSQL).
lib_cleanup() {
	for p in $NODE_PIDS $FAKE_PIDS ${LOCK_PID:-}; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T"
}

# pg_wait WHAT SQL EXPECTED [SECONDS]: as lib.sh's wait_for, on PostgreSQL.
pg_wait() {
	what=$1 q=$2 want=$3 secs=${4:-30}
	i=0
	while [ $i -lt $((secs * 10)) ]; do
		[ "$(psql_q "$q")" = "$want" ] && { ok; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	bad "$what: waited ${secs}s for [$want], have [$(psql_q "$q")]"
	return 1
}

start_fake recv
RECV=http://127.0.0.1:$FAKE_PORT
cat >"$T/node.conf" <<CONF
[server]
listen = 127.0.0.1:0
threads = 2
public_url = $PUBLIC_URL
[database]
url = $PG_URL
example_data = yes
[conversation]
resignup_days = 0
[privacy]
retention_days = 3650
[notify]
channels = webhook
webhook_url = $RECV/hook
[provider fake]
type = fake
secret = $SECRET
base_url = $RECV
rate = $RATE
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TOKEN
from = +447700900000
base_url = $RECV
CONF

# start_node N: serve node N ($T/nodeN.out, .err); sets PID_N and URL_N.
start_node() {
	n=$1
	: >"$T/node$n.out"
	"$GATEWAY" --config "$T/node.conf" serve >"$T/node$n.out" \
	    2>>"$T/node$n.err" &
	pid=$!
	NODE_PIDS="$NODE_PIDS $pid"
	port="" i=0
	while [ $i -lt 300 ]; do
		port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$T/node$n.out")
		[ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
		kill -0 "$pid" 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	if [ -z "$port" ]; then
		bad "node $n did not start: $(cat "$T/node$n.err")"
		finish
	fi
	eval "PID_$n=$pid URL_$n=http://127.0.0.1:$port"
}
# stop_node N: SIGTERM, and it must exit 0 by itself.
stop_node() {
	eval "pid=\$PID_$1"
	kill -TERM "$pid" 2>/dev/null
	if wait "$pid"; then ok; else
		bad "node $1 exit status $?: $(grep 'ERROR: \|runtime error' "$T/node$1.err" | head -20)"
	fi
}

signed() {	# signed URL BODY: post a fake-provider message, print the status
	sig=$(printf '%s' "$2" | hmac_hex "$SECRET")
	curl -s -o /dev/null -w '%{http_code}' --data-binary "$2" \
	    -H "X-Fake-Signature: $sig" "$1/webhooks/fake"
}
# What the receiver got: requests to PATH; the outbox rows sent there,
# one a line: the provider's by the body's idempotency_key, notifications
# by their lead (several due together go as one digest), the rows made
# here by their text.
got() {
	jq -c --arg p "$1" 'select(.path == $p)' "$T/recv.log" 2>/dev/null
}
keys() {
	got "$1" | jq -r '.body | fromjson | if .idempotency_key then
	    .idempotency_key else (if .digest then .digest[] else . end |
	    if .lead then "lead:\(.lead.id)" else .text end) end'
}
sends() { got "$1" | wc -l | tr -d ' '; }
twice() { keys "$1" | sort | uniq -d | wc -l | tr -d ' '; }

start_node 1
start_node 2
check_eq "both nodes on PostgreSQL" "2" \
    "$(cat "$T/node1.err" "$T/node2.err" | grep -c 'database on PostgreSQL')"

# (e) Retention runs on the node that holds its lock, once: the other
# says so.
pg_wait "retention ran" "SELECT count(*) FROM audit WHERE action = 'purge'" "1"
i=0
while [ $i -lt 100 ] && ! grep -q 'retention: run by another node' \
    "$T/node1.err" "$T/node2.err"; do
	i=$((i + 1))
	sleep 0.1
done
check_eq "the other node leaves retention alone" "1" \
    "$(cat "$T/node1.err" "$T/node2.err" | grep -c 'retention: run by another node')"
check_eq "retention ran once" "1" \
    "$(psql_q "SELECT count(*) FROM audit WHERE action = 'purge'")"

# (a) Each message delivered to both nodes at the same moment.
for m in 1 2 3 4 5; do
	body="from=%2B44770090020$m&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=both$m"
	signed "$URL_1" "$body" >"$T/a1" &
	p1=$!
	signed "$URL_2" "$body" >"$T/a2" &
	p2=$!
	wait $p1 $p2
	check_eq "message $m: both nodes answer" "200 200" "$(cat "$T/a1") $(cat "$T/a2")"
done
check_eq "one inbound row each" "5" \
    "$(psql_q "SELECT count(*) FROM inbound WHERE ext_id LIKE 'both%'")"
check_eq "one lead each" "5" "$(psql_q "SELECT count(*) FROM leads l JOIN
    inbound i ON i.id = l.inbound_id WHERE i.ext_id LIKE 'both%'")"
pg_wait "replies and notifications sent" "SELECT count(*) FROM outbox WHERE
    idem_key LIKE 'fake:both%' AND state = 'sent'" "10"
check_eq "one reply sent each" "5 0" "$(sends /messages) $(twice /messages)"
check_eq "one notification each" "5 0" "$(sends /hook) $(twice /hook)"

# (c) Leases.  A node that lives but hangs: its lock held (by psql here),
# its row's lease 4 s.  Then one that is gone: no lock, a lease of an hour.
mkfifo "$T/lock.in"
"$PG_PSQL" -X -q -A -t -h "$PG_DIR" -U gateway -d gateway <"$T/lock.in" \
    >"$T/lock.out" 2>&1 &
LOCK_PID=$!
exec 3>"$T/lock.in"
echo "SELECT pg_advisory_lock(x'676a6f62'::int, hashtext('outbox:hung-node'));" >&3
pg_wait "the hung node's lock held" "SELECT count(*) FROM pg_locks WHERE
    locktype = 'advisory' AND granted AND
    objid = hashtext('outbox:hung-node')::oid" "1"
row() {	# row KEY OWNER LEASE_SECONDS: a notification left "sending"
	psql_q "INSERT INTO outbox (idem_key, channel, recipient, body, purpose,
	    state, next_attempt_at, created_at, updated_at, lease_owner,
	    lease_until) SELECT '$1', 'webhook', '$RECV/hook', '{\"text\":\"$1\"}',
	    'notify', 'sending', e, e, e, '$2', e + $3 FROM (SELECT
	    CAST(extract(epoch FROM now()) AS bigint) AS e) n"
}
keyed() { keys /hook | grep -c "^$1\$"; }
row lease-hung hung-node 4
live="SELECT count(*) FROM outbox WHERE idem_key = 'lease-hung' AND
    lease_until > CAST(extract(epoch FROM now()) AS bigint)"
looks=0 early=0
while [ "$(psql_q "$live")" = "1" ] && [ $looks -lt 100 ]; do
	[ "$(keyed lease-hung)" = "0" ] || early=$((early + 1))
	looks=$((looks + 1))
	sleep 0.1
done
if [ $looks -gt 0 ]; then ok; else bad "the lease ran out before a look"; fi
check_eq "not sent while its lease holds ($looks looks)" "0" "$early"
pg_wait "sent once the lease ran out" \
    "SELECT state FROM outbox WHERE idem_key = 'lease-hung'" "sent"
check_eq "the hung node's row sent once" "1" "$(keyed lease-hung)"
row lease-gone gone-node 3600
pg_wait "a gone node's row sent without waiting for its lease" \
    "SELECT state FROM outbox WHERE idem_key = 'lease-gone'" "sent" 20
check_eq "the gone node's row sent once" "1" "$(keyed lease-gone)"
exec 3>&-
wait $LOCK_PID
LOCK_PID=""

# (d) The rate: 40 messages over both nodes, their replies paced at RATE a
# second by the two together.  No second of the receiver's log may hold
# more than RATE + 1 of them (one node alone would allow about 2 RATE).
before=$(sends /messages)
m=0
while [ $m -lt 40 ]; do
	n=$((m % 2 + 1))
	eval "u=\$URL_$n"
	body="from=%2B4477009003$(printf %02d $m)&to=%2B447700900000&text=Sam+Jones+M1+1AD&id=rate$m"
	[ "$(signed "$u" "$body")" = "200" ] || bad "rate message $m not taken"
	m=$((m + 1))
done
pg_wait "40 replies sent" "SELECT count(*) FROM outbox WHERE idem_key LIKE
    'fake:rate%' AND purpose = 'reply' AND state = 'sent'" "40" 60
check_eq "40 replies at the provider" "$((before + 40))" "$(sends /messages)"
most=$(got /messages | jq -r .t | tail -40 | awk '{ t[NR] = $1 }
    END { for (i = 1; i <= NR; i++) { c = 0
	for (j = i; j <= NR && t[j] < t[i] + 1; j++) c++
	if (c > m) m = c }
	print m + 0 }')
echo "rate: at most $most replies in any second (rate $RATE, two nodes)"
if [ "$most" -le $((RATE + 1)) ]; then ok; else
	bad "$most replies within a second, over the rate $RATE"
fi

# (b) 1,000 messages, 500 at each node; node 1 is killed midway and
# started again; what got no 2xx is sent again (first to node 2).
load() {	# load URL OUT ARGS...
	u=$1 out=$2
	shift 2
	"$LOADGEN" --url "$u/webhooks/tw" --sign-url "$PUBLIC_URL/webhooks/tw" \
	    --token "$TOKEN" --tag "$TAG" --acked "$T/acked.$out" \
	    --unacked "$T/owed.$out" --max-time 30 "$@" >"$T/load.$out" \
	    2>"$T/loaderr.$out"
}
: >"$T/acked.1"
: >"$T/acked.2"
load "$URL_1" 1 --first 1 --count 500 --kill "$PID_1" --kill-after 300 &
l1=$!
load "$URL_2" 2 --first 1000001 --count 500 &
l2=$!
wait $l1
st1=$?
wait $l2
st2=$?
wait "$PID_1" 2>/dev/null
check_eq "node 1 died of SIGKILL" "137" "$?"
dead_at=$(date +%s.%N)
check_eq "both loads ran" "0 0" "$st1 $st2"
echo "node 1: $(cat "$T/load.1")"
echo "node 2: $(cat "$T/load.2")"
owed=$(wc -l <"$T/owed.1" | tr -d ' ')
check_eq "node 2 took all of its 500" "500" "$(wc -l <"$T/acked.2" | tr -d ' ')"
# What node 1 owed, to node 2 while node 1 is down, and what was left of
# its 500 to node 1 once it is back.
if [ "$owed" -gt 0 ]; then
	cp "$T/owed.1" "$T/resend"
	load "$URL_2" 3 --resend "$T/resend" --count 0
	cat "$T/acked.3" >>"$T/acked.1"
fi
# Node 1 back: all of its 500 again, as a provider that retries would
# (those it stored before the kill are answered as before).
start_node 1
: >"$T/acked.4"
load "$URL_1" 4 --first 1 --count 500
cat "$T/acked.4" >>"$T/acked.1"
sort -u "$T/acked.1" "$T/acked.2" >"$T/acked"
acked=$(wc -l <"$T/acked" | tr -d ' ')
echo "owed after the kill: $owed; acknowledged in all: $acked"
check_eq "every message acknowledged" "1000" "$acked"
psql_q "CREATE TABLE acked (id text PRIMARY KEY)"
"$PG_PSQL" -X -q -h "$PG_DIR" -U gateway -d gateway \
    -c "\\copy acked FROM '$T/acked'"
check_eq "every acknowledged message stored, once" "1000 1000" \
    "$(psql_q "SELECT count(*) || ' ' || count(DISTINCT i.id) FROM acked a
    JOIN inbound i ON i.instance = 'tw' AND i.ext_id = a.id")"
check_eq "one lead each" "1000" "$(psql_q "SELECT count(*) FROM leads l JOIN
    inbound i ON i.id = l.inbound_id JOIN acked a ON a.id = i.ext_id")"
# Twilio's reply is inline (TwiML), kept on the inbound row for a retry;
# Welsh first for the postcodes in Wales.
check_eq "one reply each, inline" "1000 0" \
    "$(psql_q "SELECT count(*) FILTER (WHERE i.reply LIKE 'Hi %' OR
    i.reply LIKE 'Helo %') || ' ' ||
    (SELECT count(*) FROM outbox WHERE idem_key LIKE 'tw:%' AND
    purpose <> 'notify') FROM acked a JOIN inbound i ON i.instance = 'tw'
    AND i.ext_id = a.id")"
check_eq "one notification each" "1000" "$(psql_q "SELECT count(*) FROM
    outbox o JOIN acked a ON o.idem_key = 'tw:' || a.id || ':notify:webhook'")"
pg_wait "every notification sent" "SELECT count(*) FROM outbox WHERE
    idem_key LIKE 'tw:%' AND state <> 'sent'" "0" 120
hooks=$(sends /hook) dup=$(twice /hook)
distinct=$(keys /hook | sort -u | wc -l | tr -d ' ')
echo "notifications at the receiver: $hooks requests (digests among them)," \
    "$distinct rows, $dup sent twice"
check_eq "every row at the receiver" \
    "$(psql_q "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND state = 'sent'")" \
    "$distinct"
# Only a row the killed node had in flight can come twice (delivery is at
# least once, under one idempotency key): every row that came twice came
# first before node 1 was seen dead, never twice from live nodes.
late=$(got /hook | jq -r '.t as $t | .body | fromjson | if .digest then
    .digest[] else . end | "\(if .lead then "lead:\(.lead.id)" else .text end) \($t)"' |
    awk -v dead="$dead_at" '{ n[$1]++; if (!($1 in first) || $2 < first[$1])
	first[$1] = $2 }
    END { c = 0; for (k in n) if (n[k] > 1 && first[k] >= dead) c++; print c }')
check_eq "every row sent twice was in flight on the node killed" "0" "$late"
check_eq "nothing sent twice at the provider" "0" "$(twice /messages)"
stop_node 1
stop_node 2
for n in 1 2; do
	sent=$(sed -n 's/.*outbox: sent \([0-9]*\),.*/\1/p' "$T/node$n.err" | tail -1)
	echo "node $n's outbox sent ${sent:-0} in its last run"
done
NODE_PIDS=""
finish
