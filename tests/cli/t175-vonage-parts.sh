# t175-vonage-parts: a long reply through Vonage's SMS API goes in parts,
# each with its own message-id, and each part has its own receipt.  The
# row is delivered only once every part is, failed as soon as one part
# fails (and stays failed), and a receipt for an id never sent, or one
# repeated, changes nothing.  Webhooks and receipts are signed as Vonage
# signs them (md5hash, docs/providers.md 2.2); the send, captured by
# fakeserver, asks for receipts and names the row by client-ref.  A
# later part's receipt saying the number opted out is heard.
. tests/cli/lib.sh

SECRET=vonage-signature-secret-not-real
PUBLIC_URL=https://sms.example.org

# vg_post PATH K=V...: a form POST signed as Vonage signs it: every
# parameter but sig, sorted by name, as "&k=v" with "&" and "=" in values
# made "_", then hex(MD5(that || secret)).  Values here hold no "&", "="
# or "%"; spaces and ":" are form-encoded.  Prints the status.
vg_post() {
	path=$1
	shift
	s=$(for kv in "$@" "timestamp=$(date +%s)" "nonce=n$$"; do
		printf '%s\n' "$kv"
	done | LC_ALL=C sort -t= -k1,1)
	sig=$(printf '%s' "$s" | sed 's/^/\&/' | tr -d '\n' |
	    { cat; printf '%s' "$SECRET"; } | openssl dgst -md5 -r | cut -d' ' -f1)
	body=$(printf '%s\n' "$s" | sed 's/ /+/g; s/:/%3A/g' | tr '\n' '&')
	post "$path" "${body}sig=$sig"
}
# receipt ID STATUS [ERR]: a delivery receipt for one part.
receipt() {
	vg_post /status/vg "messageId=$1" "status=$2" "err-code=${3:-0}" \
	    msisdn=447700900601 to=447700900000 network-code=23410 \
	    price=0.03330000 scts=2601011200 api-key=abcd1234 \
	    "client-ref=vg:$4:reply" "message-timestamp=2026-01-01 12:00:00"
}
state() {
	sql "SELECT state FROM outbox WHERE idem_key = 'vg:$1:reply'"
}
parts() {
	sql "SELECT group_concat(p.state, ' ') FROM (SELECT p.state FROM
	    outbox_parts p JOIN outbox o ON o.id = p.outbox_id WHERE
	    o.idem_key = 'vg:$1:reply' ORDER BY p.part) p"
}

# Vonage's answer to a message in three parts: one entry per part, each
# with its own message-id and status "0" (docs/providers.md 2.4).
part() {
	printf '{"to":"447700900601","message-id":"%s-%%d","status":"0","remaining-balance":"38.07243628","message-price":"0.03330000","network":"23410"}' "$1"
}
start_fake api --ok-body "{\"message-count\":\"3\",\"messages\":[$(part aa),$(part bb),$(part cc)]}"
# A help text long enough for three parts (GSM-7: 153 characters each).
long="Text your name and postcode to find your nearest branch, like Jane Smith SE1 7PB."
long="$long We will tell you where and when it meets and who to contact there."
long="$long Branches meet every month and everyone is welcome, whether you have been before or not."
long="$long Texts are free to send. Reply STOP to opt out at any time, or START to opt back in."
cat >"$T/providers.conf" <<CONF
[replies]
max_segments = 3
help = $long
[provider vg]
type = vonage
api_key = abcd1234
api_secret = vonage-api-secret-not-real
signature_secret = $SECRET
signature_method = md5hash
from = 447700900000
base_url = http://127.0.0.1:$FAKE_PORT
CONF
start_server "$T/providers.conf"

# inbound ID: a supporter texts HELP; the answer goes through the outbox.
inbound() {
	vg_post /webhooks/vg msisdn=447700900601 to=447700900000 \
	    "messageId=$1" text=HELP type=text keyword=HELP \
	    "message-timestamp=2026-01-01 12:00:00" api-key=abcd1234
}

# --- (a) Every part delivered: the row only after the last.
check_eq "inbound" "200" "$(inbound 0A00000000000001)"
wait_for "sent" "SELECT state FROM outbox WHERE idem_key = 'vg:0A00000000000001:reply'" "sent"
check_eq "three parts kept" "aa-1 bb-1 cc-1" "$(sql "SELECT group_concat(ext_id, ' ') FROM (SELECT ext_id FROM outbox_parts ORDER BY part)")"
check_eq "the row names the first" "aa-1" "$(sql "SELECT ext_id FROM outbox WHERE idem_key = 'vg:0A00000000000001:reply'")"
check_eq "first part delivered" "200" "$(receipt aa-1 delivered 0 0A00000000000001)"
check_eq "not yet delivered" "sent" "$(state 0A00000000000001)"
check_eq "the first part is" "delivered sent sent" "$(parts 0A00000000000001)"
# Vonage sends a receipt again when it had no 200; the same one twice is
# still one part of three.
check_eq "first part again" "200" "$(receipt aa-1 delivered 0 0A00000000000001)"
check_eq "still not delivered" "sent" "$(state 0A00000000000001)"
check_eq "third part delivered" "200" "$(receipt cc-1 delivered 0 0A00000000000001)"
check_eq "two of three" "sent" "$(state 0A00000000000001)"
check_eq "accepted is no news" "200" "$(receipt bb-1 accepted 0 0A00000000000001)"
check_eq "not from accepted" "sent" "$(state 0A00000000000001)"
check_eq "last part delivered" "200" "$(receipt bb-1 delivered 0 0A00000000000001)"
check_eq "delivered" "delivered" "$(state 0A00000000000001)"
check_eq "every part" "delivered delivered delivered" "$(parts 0A00000000000001)"

# --- (b) One part fails: the row fails at once, and stays failed.
check_eq "second inbound" "200" "$(inbound 0A00000000000002)"
wait_for "second sent" "SELECT state FROM outbox WHERE idem_key = 'vg:0A00000000000002:reply'" "sent"
check_eq "first part delivered" "200" "$(receipt aa-2 delivered 0 0A00000000000002)"
check_eq "second part failed" "200" "$(receipt bb-2 failed 6 0A00000000000002)"
check_eq "failed at once" "failed|failed (err-code 6)" "$(sql "SELECT state || '|' || last_error FROM outbox WHERE idem_key = 'vg:0A00000000000002:reply'")"
check_eq "third part delivered" "200" "$(receipt cc-2 delivered 0 0A00000000000002)"
check_eq "still failed" "failed" "$(state 0A00000000000002)"
check_eq "first part again" "200" "$(receipt aa-2 delivered 0 0A00000000000002)"
check_eq "failed yet" "failed" "$(state 0A00000000000002)"
check_eq "the parts as told" "delivered failed delivered" "$(parts 0A00000000000002)"
check_eq "the first row untouched" "delivered" "$(state 0A00000000000001)"

# --- (c) A receipt for an id never sent: 200, and nothing changes.
before=$(sql "SELECT group_concat(id || state || ext_id || last_error || updated_at, ',') FROM outbox; SELECT group_concat(outbox_id || part || state, ',') FROM outbox_parts")
check_eq "unknown id" "200" "$(receipt zz-9 failed 6 0A00000000000009)"
check_eq "unknown id delivered" "200" "$(receipt zz-8 delivered 0 0A00000000000009)"
check_eq "nothing changed" "$before" "$(sql "SELECT group_concat(id || state || ext_id || last_error || updated_at, ',') FROM outbox; SELECT group_concat(outbox_id || part || state, ',') FROM outbox_parts")"
# Unsigned or forged, a receipt is refused.
check_eq "forged receipt" "403" "$(post /status/vg 'messageId=aa-1&status=failed&err-code=6&timestamp=1&sig=00')"

# --- A later part says the number opted out (err-code 9): it is opted
# out here too, though the row names only the first part's id.
check_eq "third inbound" "200" "$(inbound 0A00000000000003)"
wait_for "third sent" "SELECT state FROM outbox WHERE idem_key = 'vg:0A00000000000003:reply'" "sent"
check_eq "first part delivered" "200" "$(receipt aa-3 delivered 0 0A00000000000003)"
check_eq "second part: opted out" "200" "$(receipt bb-3 failed 9 0A00000000000003)"
check_eq "failed" "failed" "$(state 0A00000000000003)"
check_eq "opted out with the evidence" "provider|vg|vonage receipt: failed (err-code 9)" "$(sql "SELECT source || '|' || instance || '|' || evidence FROM optouts WHERE phone = '+447700900601'")"

# --- (d) What Vonage was asked: receipts, to our status URL, named by
# the row's key; the text whole (Vonage splits it).
check_eq "three sends" "3" "$(wc -l <"$T/api.log")"
req=$(head -1 "$T/api.log")
check_eq "POST /sms/json" "POST /sms/json" "$(jget "$req" '$.method') $(jget "$req" '$.path')"
form=$(jget "$req" '$.body' | tr '&' '\n')
check_contains "status-report-req" "
status-report-req=true
" "
$form
"
check_contains "client-ref" "
client-ref=vg%3A0A00000000000001%3Areply
" "
$form
"
check_contains "callback" "callback=https%3A%2F%2Fsms.example.org%2Fstatus%2Fvg" "$form"
check_contains "the long text" "text=Text%20your%20name%20and%20postcode" "$form"
check_contains "to its end" "opt%20back%20in.
" "$form
"
check_eq "as GSM-7" "type=text" "$(printf '%s\n' "$form" | grep '^type=')"
stop_server
finish
