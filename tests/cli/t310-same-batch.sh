# t310-same-batch: what the request thread read before the writer's
# transaction may be out of date when two messages from one number are
# written in one batch (or one right after the other).  The writer sees
# that and decides them again: a name and a postcode sent at once make one
# lead with both; a STOP and a signup sent at once never text the number
# after its STOP; the parts of a long message arriving at once make one.
. tests/cli/lib.sh

SYNCHRONOUS=full	# slower commits: more messages share a batch
VG_SECRET=vonage-secret-not-real
cat >"$T/sb.conf" <<CONF
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
[provider vg]
type = vonage
api_key = vonagekey
api_secret = vonage-api-secret-not-real
signature_secret = $VG_SECRET
from = +447700900000
base_url = http://127.0.0.1:9
CONF
start_server "$T/sb.conf"
send() {	# send FROM TEXT ID, in the background
	curl -s -o /dev/null -w '%{http_code}\n' --data-urlencode "from=$1" \
	    --data-urlencode "text=$2" --data-urlencode "id=$3" \
	    "$URL/webhooks/fk" >>"$T/codes" &
}
: >"$T/codes"

# A name and a postcode from each of 40 numbers, the two at once.
i=100
while [ $i -lt 140 ]; do
	send "+447700900$i" "Priya Shah" "n$i"
	send "+447700900$i" "SE1 7PB" "p$i"
	i=$((i + 1))
done
wait_codes() {
	j=0
	while [ "$(wc -l <"$T/codes")" -lt "$1" ] && [ $j -lt 300 ]; do
		sleep 0.1; j=$((j + 1))
	done
}
wait_codes 80
check_eq "all answered 200" "80" "$(grep -c '^200$' "$T/codes")"
check_eq "one lead per number" "40" "$(sql "SELECT count(DISTINCT phone) FROM leads WHERE phone BETWEEN '+447700900100' AND '+447700900139'")"
check_eq "no second lead" "40" "$(sql "SELECT count(*) FROM leads WHERE phone BETWEEN '+447700900100' AND '+447700900139'")"
check_eq "each with both name and postcode" "40" "$(sql "SELECT count(*) FROM leads WHERE phone BETWEEN '+447700900100' AND '+447700900139' AND name = 'Priya Shah' AND postcode = 'SE1 7PB'")"
check_eq "no question left open" "0" "$(sql "SELECT count(*) FROM conversations WHERE phone BETWEEN '+447700900100' AND '+447700900139' AND waiting_for = 'postcode'")"

# A STOP and a signup from each of 40 numbers at once: whichever is
# written first, nothing is queued to the number after its STOP.
: >"$T/codes"
i=200
while [ $i -lt 240 ]; do
	send "+447700900$i" "STOP" "s$i"
	send "+447700900$i" "Tom Reed M1 1AD" "j$i"
	i=$((i + 1))
done
wait_codes 80
check_eq "all answered 200" "80" "$(grep -c '^200$' "$T/codes")"
check_eq "every number opted out" "40" "$(sql "SELECT count(*) FROM optouts WHERE phone BETWEEN '+447700900200' AND '+447700900239'")"
check_eq "no reply queued after a STOP" "0" "$(sql "
    SELECT count(*) FROM outbox o JOIN inbound i ON i.id = o.inbound_id
    WHERE o.purpose = 'reply' AND o.recipient BETWEEN '+447700900200' AND '+447700900239'
      AND i.id > (SELECT s.id FROM inbound s WHERE s.sender = o.recipient AND s.ext_id LIKE 's%')")"
check_eq "signups after a STOP kept, unanswered" "0" "$(sql "
    SELECT count(*) FROM inbound j JOIN inbound s ON s.sender = j.sender AND s.ext_id LIKE 's%'
    WHERE j.ext_id LIKE 'j%' AND j.id > s.id AND j.outcome != 'opted_out'")"

# The three parts of a long message from each of 10 phones, all at once.
ts=$(date +%s)
part() {	# part MSISDN MSGID N TEXT (spaces as +)
	q="msisdn=$1&to=447700900000&messageId=$2&text=$4&type=text&concat=true&concat-ref=9&concat-total=3&concat-part=$3&timestamp=$ts"
	s="&concat=true&concat-part=$3&concat-ref=9&concat-total=3&messageId=$2&msisdn=$1&text=$(printf '%s' "$4" | tr + ' ')&timestamp=$ts&to=447700900000&type=text"
	sig=$(printf '%s%s' "$s" "$VG_SECRET" | openssl dgst -md5 -r | cut -d' ' -f1)
	curl -s -o /dev/null -w '%{http_code}\n' "$URL/webhooks/vg?$q&sig=$sig" >>"$T/codes" &
}
: >"$T/codes"
i=300
while [ $i -lt 310 ]; do
	part "447700900$i" "0B000000${i}1" 1 'Hello+there+'
	part "447700900$i" "0B000000${i}2" 2 'this+is+Ann+'
	part "447700900$i" "0B000000${i}3" 3 'Lee+B1+1AA'
	i=$((i + 1))
done
wait_codes 30
check_eq "all parts answered 200" "30" "$(grep -c '^200$' "$T/codes")"
check_eq "one message per phone" "10" "$(sql "SELECT count(*) FROM inbound WHERE instance = 'vg'")"
check_eq "the whole text" "10" "$(sql "SELECT count(*) FROM inbound WHERE instance = 'vg' AND text = 'Hello there this is Ann Lee B1 1AA'")"
check_eq "one lead per phone" "10" "$(sql "SELECT count(*) FROM leads WHERE phone BETWEEN '+447700900300' AND '+447700900309' AND name = 'Ann Lee'")"
stop_server
stale=$(sed -n 's/.*, \([0-9]*\) decided again in the writer.*/\1/p' "$T/serve.err")
echo "(messages decided again in the writer: ${stale:-?})"
finish
