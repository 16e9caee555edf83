# t130-server-limits: what an attacker or a bad day does to the server:
# slow clients from one address (slowloris), too many headers, the database
# file deleted under it, and a page that another site would frame.
. tests/cli/lib.sh

cat >"$T/providers.conf" <<CONF
[server]
max_connections_per_ip = 8
request_timeout = 3
timeout = 60
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# --- slowloris: 12 clients from 127.0.0.1, each sending a header byte a
# second for up to 12 s.  The idle timeout (60 s) never fires; the request
# deadline and the per-address limit must.
"$TOP/build/slowclient" --port "$PORT" --count 12 --duration 12 \
    --ready "$T/slow.ready" >"$T/slow.out" 2>&1 &
SLOW=$!
i=0
while [ ! -s "$T/slow.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
# The 8 held now fill this address's share: a ninth is turned away...
check_eq "nor served from that address now" "000" "$(code "$URL/healthz")"
# ...while another address is served all the while (127.0.0.0/8 is all
# loopback).
check_eq "healthz from another address" "200" "$(code --interface 127.0.0.2 "$URL/healthz")"
check_eq "a webhook from another address" "200" "$(code --interface 127.0.0.2 -d 'from=%2B447700900131&text=Jane+Smith+SE1+7PB&id=s1' "$URL/webhooks/fk")"
check_eq "lead stored" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900131'")"
wait $SLOW
# 4 over the limit of 8 refused at once, the 8 cut off by the deadline
# (3 s) long before their 12 s were up.
check_eq "slow clients: refused, cut, held" "refused 4 cut 8 held 0" "$(cat "$T/slow.out")"
check_contains "the cut-off is logged" "past the request deadline" "$(cat "$T/serve.err")"
check_eq "served again from the same address" "200" "$(code "$URL/healthz")"

# --- headers: 64 pass, 65 are too many (curl sends Host, User-Agent and
# Accept itself).
hdrs() { n=0; while [ $n -lt "$1" ]; do printf -- "-H\nX-H$n: v\n"; n=$((n + 1)); done; }
args61=$(hdrs 61)
args62=$(hdrs 62)
IFS='
'
check_eq "64 headers pass" "200" "$(code $args61 "$URL/healthz")"
check_eq "65 headers are too many" "431" "$(code $args62 "$URL/healthz")"
unset IFS
# A long query (Kannel and Vonage send texts in the URL) still fits.
q=$(head -c 12000 /dev/zero | tr '\0' a)
check_eq "a 12 KB query" "200" "$(code "$URL/healthz?x=$q")"
big=$(head -c 8000 /dev/zero | tr '\0' b)
check_eq "an 8 KB header" "200" "$(code -H "X-Big: $big" "$URL/healthz")"

# --- the admin page may not be framed by another site.
curl -s -D "$T/h" -o /dev/null "$URL/admin/"
check_contains "CSP frame-ancestors" "frame-ancestors 'none'" "$(cat "$T/h")"
check_contains "X-Frame-Options" "X-Frame-Options: DENY" "$(cat "$T/h")"

# --- readiness while all is well.
check_eq "readyz" "200" "$(code "$URL/readyz")"
r=$(curl -s "$URL/readyz")
check_eq "readyz says why" "1" "$(jget "$r" '$.ready')"
check_eq "readyz: each check" "ok ok ok ok ok" "$(jget "$r" '$.checks.database') $(jget "$r" '$.checks.schema') $(jget "$r" '$.checks.postcodes.status') $(jget "$r" '$.checks.outbox') $(jget "$r" '$.checks.writer')"
check_eq "readyz: built-in areas, no import yet" "124 0" "$(jget "$r" '$.checks.postcodes.areas') $(jget "$r" '$.checks.postcodes.units')"

# --- the database file is deleted (renamed here, to put it back) under the
# running server: nothing may be acknowledged that is not durable.
mv "$T/gateway.db" "$T/moved.db"
check_eq "webhook refused" "503" "$(post /webhooks/fk 'from=%2B447700900132&text=Tom+M1+1AD&id=s2')"
check_eq "not ready" "503" "$(code "$URL/readyz")"
r=$(curl -s "$URL/readyz")
check_contains "readyz names the database" "moved" "$(jget "$r" '$.checks.database')"
check_eq "still alive" "200" "$(code "$URL/healthz")"
check_contains "logged loudly" "NOTHING CAN BE STORED" "$(cat "$T/serve.err")"
mv "$T/moved.db" "$T/gateway.db"
check_eq "stored again once it is back" "200" "$(post /webhooks/fk 'from=%2B447700900132&text=Tom+M1+1AD&id=s2')"
check_eq "ready again" "200" "$(code "$URL/readyz")"
check_contains "recovery logged" "storing again" "$(cat "$T/serve.err")"
check_eq "the retried message stored once" "1" "$(sql "SELECT count(*) FROM inbound WHERE ext_id = 's2'")"
stop_server

# --- the same, before any request thread has opened the database: its
# open fails (a server never creates the file), and that is the same
# health as a failed batch, said once however many webhooks arrive.
: >"$T/serve.err"
start_server "$T/providers.conf"
mv "$T/gateway.db" "$T/moved.db"
for i in 1 2 3 4 5; do
	check_eq "webhook $i refused unopened" "503" "$(post /webhooks/fk "from=%2B447700900133&text=Ann+M1+1AD&id=u$i")"
done
check_eq "not ready unopened" "503" "$(code "$URL/readyz")"
check_eq "said once" "1" "$(grep -c 'NOTHING CAN BE STORED' "$T/serve.err")"
n=$(grep -c 'error store: .*unable to open' "$T/serve.err")
check_eq "the open error once a thread, not once a request" "yes" "$([ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo yes || echo "no: $n")"
mv "$T/moved.db" "$T/gateway.db"
check_eq "stored once it is back" "200" "$(post /webhooks/fk 'from=%2B447700900133&text=Ann+M1+1AD&id=u1')"
check_eq "ready once it is back" "200" "$(code "$URL/readyz")"
check_contains "recovery logged unopened" "storing again" "$(cat "$T/serve.err")"
stop_server
finish
