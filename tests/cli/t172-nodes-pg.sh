# t172-nodes-pg: two gateway nodes on one PostgreSQL.  A branch added
# through one node's admin API answers the next text on the other at once
# (LISTEN/NOTIFY), and a change made while the nodes' connections were
# lost (the server restarted) is seen once they are made again.  Skipped
# where PostgreSQL cannot run (scripts/deps.sh postgres).
GW_ENGINE=pg
. tests/cli/lib.sh

ADMIN=admin-token-not-real
cat >"$T/node.conf" <<CONF
[token ada]
role = admin
sha256 = $(printf '%s' "$ADMIN" | openssl dgst -sha256 -r | cut -d' ' -f1)
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF

# Two servers: lib.sh keeps one in SERVER_PID, so the first is kept by
# hand (and killed at exit with the fakes, should the test stop early).
start_server "$T/node.conf"
PID_A=$SERVER_PID URL_A=$URL
FAKE_PIDS="$FAKE_PIDS $PID_A"
start_server "$T/node.conf"
PID_B=$SERVER_PID URL_B=$URL
check_eq "two nodes" "yes" "$([ "$URL_A" != "$URL_B" ] && echo yes)"

text() {	# text NODE_URL FROM TEXT ID: a delivery to that node
	curl -s -o /dev/null -w '%{http_code}' --data-urlencode "from=$2" \
	    --data-urlencode "text=$3" --data-urlencode "id=$4" "$1/webhooks/fk"
}
branch_of() {	# branch_of PHONE: the branch of that number's lead
	sql "SELECT coalesce(b.name, l.match_kind) FROM leads l LEFT JOIN branches b ON b.id = l.branch_id WHERE l.phone = '$1' ORDER BY l.id DESC LIMIT 1"
}

# Node B's threads have the directory in memory, Truro not in it.
for i in 1 2 3 4; do
	check_eq "B answers $i" "200" "$(text "$URL_B" "+44770090098$i" "Ann Lee TR1 1AA" "w$i")"
done
check_eq "no Truro branch yet" "no" "$([ "$(branch_of +447700900981)" = Truro ] && echo yes || echo no)"

# Added through node A; texted to node B.
status=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' --data-binary '{"name":"Truro","latitude":50.263,"longitude":-5.051,"meets":"Fridays 7pm","contact_name":"Kit","contact_phone":"07700 900950","region":"South West","coverage":["TR1"]}' \
    "$URL_A/admin/api/branches")
check_eq "added on A" "201" "$status"
for i in 1 2 3 4; do
	text "$URL_B" "+44770090099$i" "Bo Day TR1 1AA" "t$i" >/dev/null
	check_eq "B answers with it at once ($i)" "Truro" "$(branch_of "+44770090099$i")"
done

# The server restarts: every node's connection is lost, and a change made
# before they are made again is told to no one.  The nodes look again.
pg_stop
pg_start
check_status "renamed meanwhile" 0 gw branch edit Truro --name Kernow
for i in 1 2 3 4; do
	text "$URL_B" "+44770090096$i" "Cy Moe TR1 1AA" "r$i" >/dev/null
	text "$URL_A" "+44770090097$i" "Di Roe TR1 1AA" "s$i" >/dev/null
done
# A text may meet a connection not yet found lost (503: the provider
# retries); every one answered is answered with the new name.
replies() {	# replies PHONE_PREFIX: how the replies name the branch
	sql "SELECT DISTINCT CASE WHEN body LIKE '%Kernow%' THEN 'Kernow' WHEN body LIKE '%Truro%' THEN 'Truro' ELSE body END FROM outbox WHERE purpose = 'reply' AND recipient LIKE '$1%'"
}
check_eq "B sees the change after the loss" "Kernow" "$(replies +44770090096)"
check_eq "A too" "Kernow" "$(replies +44770090097)"
check_eq "the earlier replies named Truro" "Truro" "$(replies +44770090099)"
check_contains "B said it connected again" "made again" "$(cat "$T/serve.err")"

stop_server
SERVER_PID=$PID_A
stop_server
finish
