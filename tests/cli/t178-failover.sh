# t178-failover: two gateway nodes on one PostgreSQL primary with a
# synchronous standby (tests/pg-standby.sh).  Signed Twilio webhooks go
# into both nodes; the primary is killed (pg_ctl -m immediate) while they
# are being acknowledged; the nodes must answer 503 at once and say why on
# /readyz.  The standby is promoted: node A, whose url lists both servers
# with target_session_attrs=read-write, finds it by itself; node B is
# restarted with the new url.  What got no 2xx is sent again, and then
# every message once more through the other node (a provider's fallback
# URL).  Then: every acknowledged message is in the promoted database,
# with one inbound row, one lead and one notification each.
# Skipped where PostgreSQL cannot run (scripts/deps.sh postgres).
. tests/cli/lib.sh
. tests/pg-standby.sh

TOKEN=twilio-token-not-real
ACCOUNT=ACtest000000000000000000000000000
PUBLIC_URL=https://sms.example.org
LOADGEN=$TOP/build/loadgen
TAG=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
PER_NODE=300
BOTH="host=$PG_DIR,$SB_DIR user=gateway dbname=gateway target_session_attrs=read-write"

start_fake hook

# node_conf URL: a node's config; Twilio replies inline, the organisers'
# notifications go to the fake webhook (an outbox row per lead).
node_conf() {
	cat <<CONF
[server]
listen = 127.0.0.1:0
threads = 2
public_url = $PUBLIC_URL
[database]
url = $1
example_data = yes
[conversation]
resignup_days = 0
[notify]
channels = webhook
webhook_url = http://127.0.0.1:$FAKE_PORT/hook
[provider tw]
type = twilio
account_sid = $ACCOUNT
auth_token = $TOKEN
from = +447700900000
base_url = http://127.0.0.1:$FAKE_PORT
CONF
}

# start_node NAME URL: `gateway serve` on URL, ready; sets PORT_NAME and
# PID_NAME (lib.sh's cleanup stops it).
start_node() {
	node_conf "$2" >"$T/$1.conf"
	: >"$T/$1.out"
	"$GATEWAY" --config "$T/$1.conf" serve >"$T/$1.out" 2>>"$T/$1.err" &
	pid=$!
	port="" i=0
	while [ $i -lt 300 ]; do
		port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$T/$1.out")
		[ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
		kill -0 "$pid" 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	[ -n "$port" ] || { bad "node $1 did not start: $(cat "$T/$1.err")"; finish; }
	FAKE_PIDS="$FAKE_PIDS $pid"
	eval "PORT_$1=$port PID_$1=$pid"
}

# stop_node NAME: SIGTERM, and it must exit 0 by itself.
stop_node() {
	eval "pid=\$PID_$1"
	kill -TERM "$pid" 2>/dev/null
	if wait "$pid"; then ok; else bad "node $1 exit status $?: $(tail -5 "$T/$1.err")"; fi
}

# load NAME ARGS...: the load generator at node NAME; acknowledged ids are
# appended to $T/acked.NAME, those still owed written to $T/owed.NAME.
load() {
	n=$1
	shift
	eval "port=\$PORT_$n"
	"$LOADGEN" --url "http://127.0.0.1:$port/webhooks/tw" \
	    --sign-url "$PUBLIC_URL/webhooks/tw" --token "$TOKEN" --tag "$TAG" \
	    --acked "$T/acked.$n" --unacked "$T/owed.$n.next" --concurrency 3 \
	    --max-time 60 "$@" >"$T/load.$n.out" 2>"$T/load.$n.err"
	st=$?
	mv "$T/owed.$n.next" "$T/owed.$n"
	return $st
}
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# probe NAME SID: one signed Twilio webhook by curl, bounded; prints the
# status (000: no answer within 30 s).
probe() {
	eval "port=\$PORT_$1"
	from=+447700900999 text="Probe Person SE1 7PB"
	sig=$(printf '%s' "$PUBLIC_URL/webhooks/twAccountSid${ACCOUNT}Body${text}From${from}MessageSid${2}To+447700900000" |
	    openssl dgst -sha1 -hmac "$TOKEN" -binary | base64)
	curl -s -o "$T/probe.$1" -m 30 -w '%{http_code}' -H "X-Twilio-Signature: $sig" \
	    --data-urlencode "AccountSid=$ACCOUNT" --data-urlencode "Body=$text" \
	    --data-urlencode "From=$from" --data-urlencode "MessageSid=$2" \
	    --data-urlencode "To=+447700900000" "http://127.0.0.1:$port/webhooks/tw"
}
readyz() {	# readyz NAME: the status; the body in $T/readyz.NAME
	eval "port=\$PORT_$1"
	curl -s -o "$T/readyz.$1" -m 30 -w '%{http_code}' "http://127.0.0.1:$port/readyz"
}

# sb_q SQL: ask the promoted standby, with the acknowledged ids in a table.
sb_q() {
	cat "$T/acked.A" "$T/acked.B" >"$T/acked.all"
	"$PG_PSQL" -X -q -A -t -h "$SB_DIR" -U gateway -d gateway <<SQL
CREATE TEMP TABLE acked (id text);
\\copy acked FROM '$T/acked.all'
$1
SQL
}

start_node A "$BOTH"
start_node B "$PG_URL"
check_eq "A ready" "200" "$(readyz A)"
check_eq "B ready" "200" "$(readyz B)"
check_eq "a probe before the kill" "200" "$(probe A SMprobe0$TAG)"

# --- the kill, while both are acknowledging ---------------------------
: >"$T/acked.A"
: >"$T/acked.B"
load A --first 0 --count $PER_NODE &
LA=$!
load B --first $PER_NODE --count $PER_NODE &
LB=$!
i=0
while [ $(( $(lines "$T/acked.A") + $(lines "$T/acked.B") )) -lt 100 ] && [ $i -lt 600 ]; do
	i=$((i + 1))
	sleep 0.02
done
$PG_KILL >/dev/null 2>&1
acked_at_kill=$(( $(lines "$T/acked.A") + $(lines "$T/acked.B") ))
wait $LA || bad "load A: exit $?: $(cat "$T/load.A.err")"
wait $LB || bad "load B: exit $?: $(cat "$T/load.B.err")"
acked_1=$(( $(lines "$T/acked.A") + $(lines "$T/acked.B") ))
owed_1=$(( $(lines "$T/owed.A") + $(lines "$T/owed.B") ))
echo "before the kill: $acked_at_kill acked; first pass: $acked_1 acked," \
    "$owed_1 without a 2xx (A: $(cat "$T/load.A.out"); B: $(cat "$T/load.B.out"))"
# Not vacuous: some acknowledged before the kill, some refused after it.
if [ "$acked_at_kill" -gt 0 ] && [ "$owed_1" -gt 0 ]; then ok; else
	bad "the kill did not fall mid-run: $acked_at_kill acked before, $owed_1 owed"
fi
check_eq "every message answered in the first pass" "$((2 * PER_NODE))" $((acked_1 + owed_1))

# --- the primary is gone ------------------------------------------------
for n in A B; do
	check_eq "$n: a webhook now gets 503" "503" "$(probe $n SMprobe1$n$TAG)"
	check_eq "$n: not ready" "503" "$(readyz $n)"
	check_contains "$n: /readyz says the database" '"ready":false' "$(cat "$T/readyz.$n")"
	check_contains "$n: /readyz says why" "connect" "$(cat "$T/readyz.$n")"
done

# --- promotion ------------------------------------------------------------
$SB_PROMOTE >/dev/null 2>&1 || bad "promote failed: $(tail -3 "$SB_DIR/log")"
# A finds the new primary itself; B is told.  Up to 90 s: each of A's
# connections finds it in its own time (libpq tries the dead host first),
# slower still on a machine busy with other tests.
deadline=$(( $(date +%s) + 90 ))
while [ "$(readyz A)" != 200 ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
check_eq "A ready again by itself" "200" "$(readyz A)"
[ "$(readyz A)" = 200 ] || { cat "$T/readyz.A"; echo; tail -20 "$T/A.err"; }
stop_node B
start_node B "$SB_URL"
check_eq "B ready on the new primary" "200" "$(readyz B)"

# The provider sends again what got no 2xx, to the node it sent it to.
resent=$owed_1
for n in A B; do
	try=1
	while [ -s "$T/owed.$n" ] && [ $try -le 5 ]; do
		load $n --resend "$T/owed.$n" ||
		    bad "resend $n: exit $?: $(cat "$T/load.$n.err")"
		try=$((try + 1))
	done
	check_eq "$n: everything acknowledged in the end" "0" "$(lines "$T/owed.$n")"
	check_eq "$n: the probe acknowledged" "200" "$(probe $n SMprobe1$n$TAG)"
done
# And every message once more through the other node, as a fallback URL
# would: the same answer, nothing stored twice.
load B --first 0 --count $PER_NODE
load A --first $PER_NODE --count $PER_NODE
check_eq "the other node acknowledged every one again" "0" \
    "$(( $(lines "$T/owed.A") + $(lines "$T/owed.B") ))"
check_eq "each acknowledged twice or more" "0" \
    "$(sort "$T/acked.A" "$T/acked.B" | uniq -c | awk '$1 < 2' | wc -l | tr -d ' ')"

# --- what the promoted database holds -------------------------------------
final=$(sb_q "SELECT count(*) FROM inbound WHERE ext_id LIKE 'SM$TAG%'")
echo "counts: acked before the kill $acked_at_kill, acked in the first pass" \
    "$acked_1, failed and resent $resent, final inbound rows $final"
check_eq "one inbound row a message" "$((2 * PER_NODE))" "$final"
check_eq "nothing acknowledged is lost" "0" \
    "$(sb_q "SELECT count(*) FROM acked WHERE id NOT IN (SELECT ext_id FROM inbound WHERE instance = 'tw')")"
check_eq "every message understood" "0" \
    "$(sb_q "SELECT count(*) FROM inbound WHERE ext_id LIKE 'SM$TAG%' AND outcome NOT IN ('coverage', 'nearest', 'region')")"
check_eq "one lead a message" "$((2 * PER_NODE))|$((2 * PER_NODE))" \
    "$(sb_q "SELECT count(*), count(DISTINCT consent_ext_id) FROM leads WHERE consent_ext_id LIKE 'SM$TAG%'")"
check_eq "one notification a message" "$((2 * PER_NODE))" \
    "$(sb_q "SELECT count(*) FROM outbox o JOIN inbound i ON o.idem_key = 'tw:' || i.ext_id || ':notify:webhook' WHERE i.ext_id LIKE 'SM$TAG%'")"
check_eq "the probes: one row each" "3" \
    "$(sb_q "SELECT count(*) FROM inbound WHERE ext_id LIKE 'SMprobe%'")"

stop_node A
stop_node B
finish
