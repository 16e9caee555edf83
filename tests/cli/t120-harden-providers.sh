# t120-harden-providers: what a forger, a reused reference, a Latin-1 text
# and a careless secret file do to the real server.  Signatures are made
# by openssl here, not by our code.
. tests/cli/lib.sh

PL_TOKEN=plivo-token-not-real
TL_TOKEN=textlocal-token-not-real
TW_TOKEN=twilio-token-not-real
VG_SECRET=vonage-secret-not-real
PUBLIC_URL=https://sms.example.org
cat >"$T/providers.conf" <<CONF
[conversation]
resignup_days = 0
[provider pl]
type = plivo
auth_id = MAtest0000000000000
auth_token = $PL_TOKEN
from = +447700900000
[provider plv2]
type = plivo
auth_id = MAtest0000000000000
auth_token = $PL_TOKEN
from = +447700900000
accept_v2 = yes
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TW_TOKEN
from = +447700900000
[provider tl]
type = textlocal
apikey = textlocal-apikey-not-real
token = $TL_TOKEN
from = +447700900000
[provider vg]
type = vonage
api_key = vonagekey
api_secret = vonage-api-secret-not-real
signature_secret = $VG_SECRET
from = +447700900000
CONF
start_server "$T/providers.conf"

b64() {
	base64 | tr -d '\n'
}
inbound_count() {
	sql "SELECT count(*) FROM inbound WHERE instance = '$1'"
}

# --- Plivo V2 signs the URL and a nonce, not the message: whoever saw one
# request can post any text under it.  Off by default; with it on, any V3
# header means V3 decides.
v2() {	# v2 INSTANCE NONCE: the V2 signature of the instance's URL
	printf '%s%s' "$PUBLIC_URL/webhooks/$1" "$2" | openssl dgst -sha256 -hmac "$PL_TOKEN" -binary | b64
}
forged='To=447700900000&From=447700900401&Text=Eve+Forger+SE1+7PB&Type=sms&MessageUUID=forged-0001'
check_eq "plivo V2 refused by default" "403" "$(post /webhooks/pl "$forged" -H "X-Plivo-Signature-V2: $(v2 pl 123)" -H "X-Plivo-Signature-V2-Nonce: 123")"
check_eq "plivo V2 stored nothing" "0" "$(inbound_count pl)"
check_eq "plivo accept_v2 = yes takes V2" "200" "$(post /webhooks/plv2 "$forged" -H "X-Plivo-Signature-V2: $(v2 plv2 123)" -H "X-Plivo-Signature-V2-Nonce: 123")"
for hdr in "X-Plivo-Signature-V3: AAAA" "X-Plivo-Signature-Ma-V3: AAAA" "X-Plivo-Signature-V3-Nonce: 99"; do
	body="To=447700900000&From=447700900402&Text=Eve+Forger+SE1+7PB&Type=sms&MessageUUID=forged-${hdr%%:*}"
	check_eq "plivo: a failing V3 header ($hdr) is not rescued by V2" "403" \
	    "$(post /webhooks/plv2 "$body" -H "$hdr" -H "X-Plivo-Signature-V2: $(v2 plv2 123)" -H "X-Plivo-Signature-V2-Nonce: 123")"
done
check_eq "plivo V3 failures stored nothing" "0" "$(sql "SELECT count(*) FROM inbound WHERE sender = '+447700900402'")"

# --- A signature header twice with different values: whose is it?
body='Body=Jane+Smith+SE1+7PB&To=%2B447700900000&MessageSid=SMtest0401&From=%2B447700900403'
signed="$PUBLIC_URL/webhooks/twBodyJane Smith SE1 7PBFrom+447700900403MessageSidSMtest0401To+447700900000"
sig=$(printf '%s' "$signed" | openssl dgst -sha1 -hmac "$TW_TOKEN" -binary | b64)
check_eq "twilio two different signatures" "403" "$(post /webhooks/tw "$body" -H "X-Twilio-Signature: $sig" -H "X-Twilio-Signature: AAAA$sig")"
check_eq "twilio two different, stored nothing" "0" "$(inbound_count tw)"
check_eq "twilio the same signature twice" "200" "$(post /webhooks/tw "$body" -H "X-Twilio-Signature: $sig" -H "X-Twilio-Signature: $sig")"

# --- Vonage: two long messages from one phone under the same concat-ref
# (phones reuse these small numbers) are two messages; retried parts of
# one are still one.
ts=$(date +%s)
part() {	# part MSGID N TOTAL TEXT (spaces as +)
	q="msisdn=447700900411&to=447700900000&messageId=$1&text=$4&type=text&concat=true&concat-ref=7&concat-total=$3&concat-part=$2&timestamp=$ts"
	s="&concat=true&concat-part=$2&concat-ref=7&concat-total=$3&messageId=$1&msisdn=447700900411&text=$(printf '%s' "$4" | tr + ' ')&timestamp=$ts&to=447700900000&type=text"
	sig=$(printf '%s%s' "$s" "$VG_SECRET" | openssl dgst -md5 -r | cut -d' ' -f1)
	curl -s -o /dev/null -w '%{http_code}' "$URL/webhooks/vg?$q&sig=$sig"
}
replies() {
	sql "SELECT count(*) FROM outbox WHERE instance = 'vg' AND recipient = '+447700900411'"
}
check_eq "vonage A part 1" "200" "$(part 0A00000000A1 1 2 'Hi+this+is+Mary+')"
check_eq "vonage A part 2" "200" "$(part 0A00000000A2 2 2 'Jones+B1+1AA')"
check_eq "vonage A lead" "Mary Jones|B1 1AA" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900411'")"
check_eq "vonage A part 2 again" "200" "$(part 0A00000000A2 2 2 'Jones+B1+1AA')"
check_eq "vonage A part 1 again" "200" "$(part 0A00000000A1 1 2 'Hi+this+is+Mary+')"
check_eq "vonage A retried: one message" "1" "$(inbound_count vg)"
check_eq "vonage A retried: one lead" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900411'")"
wait_for "vonage A: one reply" "SELECT count(*) FROM outbox WHERE instance = 'vg' AND recipient = '+447700900411'" "1"
# B: the same phone, the same ref, other words (in three parts).
check_eq "vonage B part 2" "200" "$(part 0A00000000B2 2 3 'I+am+Tom+')"
check_eq "vonage B part 1" "200" "$(part 0A00000000B1 1 3 'Hello+')"
check_eq "vonage B part 3" "200" "$(part 0A00000000B3 3 3 'Smith+M1+1AD')"
check_eq "vonage B is its own message" "2" "$(inbound_count vg)"
check_eq "vonage B text" "Hello I am Tom Smith M1 1AD" "$(sql "SELECT text FROM inbound WHERE instance = 'vg' ORDER BY id DESC LIMIT 1")"
check_eq "vonage B its own lead" "Mary Jones|B1 1AA
Tom Smith|M1 1AD" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900411' ORDER BY id")"
check_eq "vonage B part 3 again" "200" "$(part 0A00000000B3 3 3 'Smith+M1+1AD')"
check_eq "vonage B retried: still two" "2" "$(inbound_count vg)"
wait_for "vonage: a reply each" "SELECT count(*) FROM outbox WHERE instance = 'vg' AND recipient = '+447700900411'" "2"

# --- Texts that are not UTF-8 (Latin-1 / Windows-1252) are read, not lost.
check_eq "textlocal Latin-1" "200" "$(post "/webhooks/tl?token=$TL_TOKEN" 'sender=447700900421&inNumber=447700900000&content=Si%E2n+Evans+CF10+1EP')"
check_eq "textlocal Latin-1 lead" "Siân Evans|CF10 1EP" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900421'")"
check_eq "textlocal Windows-1252" "200" "$(post "/webhooks/tl?token=$TL_TOKEN" 'sender=447700900422&inNumber=447700900000&content=%93Gwen%94+Price+CF10+1EP')"
check_eq "textlocal Windows-1252 text" "“Gwen” Price CF10 1EP" "$(sql "SELECT text FROM inbound WHERE sender = '+447700900422'")"
check_eq "textlocal declared UTF-8, invalid" "200" "$(post "/webhooks/tl?token=$TL_TOKEN" 'sender=447700900423&inNumber=447700900000&content=Ann%FF+Jones+CF10+1EP' -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8')"
check_eq "textlocal invalid becomes U+FFFD" "Ann� Jones CF10 1EP" "$(sql "SELECT text FROM inbound WHERE sender = '+447700900423'")"
check_eq "nothing stored is invalid UTF-8" "ok" "$(sql "SELECT sender, text FROM inbound" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && echo ok)"
stop_server

gw lead list >"$T/leads" 2>"$T/err"
check_contains "lead list shows Siân" "Siân Evans" "$(cat "$T/leads")"
gw lead export "$T/leads.csv" 2>"$T/err"
check_contains "lead export has Siân" "Siân Evans" "$(cat "$T/leads.csv")"
check_eq "lead export is UTF-8" "ok" "$(iconv -f UTF-8 -t UTF-8 "$T/leads.csv" >/dev/null 2>&1 && echo ok)"

# --- A secret file that holds nothing but white space, an empty inline
# secret: config errors naming the file, the line and the key.
printf '  \t \n' >"$T/blank.token"
: >"$T/empty.token"
cat >"$T/secrets.conf" <<CONF
[database]
path = $T/secrets.db
[provider a]
type = textlocal
apikey_file = $T/blank.token
token = $TL_TOKEN
[provider b]
type = kannel
token_file = $T/empty.token
base_url = http://127.0.0.1:9
username = gateway
password = kannel-password-not-real
[provider c]
type = plivo
auth_id = MAtest0000000000000
auth_token =
from = +447700900000
CONF
check_status "blank secrets refused" 1 "$GATEWAY" --config "$T/secrets.conf" check-config
err=$(cat "$T/err")
check_contains "blank file named, at its line" "$T/secrets.conf:5: [provider a]: apikey_file: $T/blank.token is empty" "$err"
check_contains "empty file named, at its line" "$T/secrets.conf:9: [provider b]: token_file: $T/empty.token is empty" "$err"
check_contains "empty inline secret, at its line" "$T/secrets.conf:16: [provider c]: auth_token is empty" "$err"
finish
