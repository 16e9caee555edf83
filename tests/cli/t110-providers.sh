# t110-providers: each provider's real payload, signed the provider's way
# (by openssl here, not by our code), through the real server: the status,
# the reply the provider would relay, the rows stored; a wrong signature is
# 403 and stores nothing.
. tests/cli/lib.sh

TW_TOKEN=twilio-token-not-real
PL_TOKEN=plivo-token-not-real
TL_TOKEN=textlocal-token-not-real
VG_SECRET=vonage-secret-not-real
MB_KEY=messagebird-key-not-real
AN_KEY=android-key-not-real
KN_TOKEN=kannel-token-not-real
PUBLIC_URL=https://sms.example.org
# An Ed25519 key pair for Telnyx, made for this test.
openssl genpkey -algorithm ed25519 -out "$T/telnyx.pem" 2>/dev/null
TX_PUB=$(openssl pkey -in "$T/telnyx.pem" -pubout -outform DER | tail -c 32 | base64 | tr -d '\n')
cat >"$T/providers.conf" <<CONF
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TW_TOKEN
from = +447700900000
[provider pl]
type = plivo
auth_id = MAtest0000000000000
auth_token = $PL_TOKEN
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
[provider mb]
type = messagebird
access_key = messagebird-access-not-real
signing_key = $MB_KEY
from = +447700900000
[provider tx]
type = telnyx
public_key = $TX_PUB
api_key = telnyx-api-key-not-real
from = +447700900000
[provider an]
type = android
signing_key = $AN_KEY
base_url = http://127.0.0.1:9/android
username = sms
password = android-password-not-real
[provider kn]
type = kannel
token = $KN_TOKEN
base_url = http://127.0.0.1:9/kannel
username = gateway
password = kannel-password-not-real
from = +447700900000
allow_from = 127.0.0.1
CONF
start_server "$T/providers.conf"

inbound_count() {
	sql "SELECT count(*) FROM inbound WHERE instance = '$1'"
}
b64() {
	base64 | tr -d '\n'
}

# --- Twilio: HMAC-SHA1 over the public URL and the sorted parameters.
body='ToCountry=GB&SmsMessageSid=SMtest0001&NumMedia=0&SmsSid=SMtest0001&SmsStatus=received&Body=Jane+Smith+SE1+7PB&To=%2B447700900000&NumSegments=1&MessageSid=SMtest0001&AccountSid=ACtest000000000000000000000000000&From=%2B447700900301&ApiVersion=2010-04-01'
signed="$PUBLIC_URL/webhooks/twAccountSidACtest000000000000000000000000000ApiVersion2010-04-01BodyJane Smith SE1 7PBFrom+447700900301MessageSidSMtest0001NumMedia0NumSegments1SmsMessageSidSMtest0001SmsSidSMtest0001SmsStatusreceivedTo+447700900000ToCountryGB"
sig=$(printf '%s' "$signed" | openssl dgst -sha1 -hmac "$TW_TOKEN" -binary | b64)
check_eq "twilio wrong signature" "403" "$(post /webhooks/tw "$body" -H "X-Twilio-Signature: AAAA$sig")"
check_eq "twilio nothing stored" "0" "$(inbound_count tw)"
check_eq "twilio" "200" "$(post /webhooks/tw "$body" -H "X-Twilio-Signature: $sig")"
check_contains "twilio TwiML reply" "<Response><Message>Hi Jane Smith! Your nearest branch is Southwark" "$(cat "$T/resp")"
check_eq "twilio retry" "200" "$(post /webhooks/tw "$body" -H "X-Twilio-Signature: $sig")"
check_contains "twilio same reply" "<Message>Hi Jane Smith!" "$(cat "$T/resp")"
check_eq "twilio one lead" "1" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900301'")"
check_eq "twilio inline: not among the sends (no receipt could find it)" "0" "$(sql "SELECT count(*) FROM outbox WHERE instance = 'tw'")"
check_contains "its words kept with the message" "Hi " "$(sql "SELECT reply FROM inbound WHERE instance = 'tw'")"

# --- Plivo V3: HMAC-SHA256 over URL ? sorted k+v . nonce.
body='To=447700900000&From=447700900302&TotalRate=0&Units=1&Text=Tom+M1+1AD&TotalAmount=0&Type=sms&MessageUUID=7a242edc-2f57-11e7-98c9-06ab0bf64327'
nonce=31627761595286130198
signed="$PUBLIC_URL/webhooks/pl?FromX447700900302MessageUUID7a242edc-2f57-11e7-98c9-06ab0bf64327Text" 
signed="$PUBLIC_URL/webhooks/pl?From447700900302MessageUUID7a242edc-2f57-11e7-98c9-06ab0bf64327TextTom M1 1ADTo447700900000TotalAmount0TotalRate0TypesmsUnits1.$nonce"
sig=$(printf '%s' "$signed" | openssl dgst -sha256 -hmac "$PL_TOKEN" -binary | b64)
check_eq "plivo wrong nonce" "403" "$(post /webhooks/pl "$body" -H "X-Plivo-Signature-V3: $sig" -H "X-Plivo-Signature-V3-Nonce: 1$nonce")"
check_eq "plivo" "200" "$(post /webhooks/pl "$body" -H "X-Plivo-Signature-V3: $sig" -H "X-Plivo-Signature-V3-Nonce: $nonce")"
check_contains "plivo XML reply" '<Message src="447700900000" dst="447700900302" type="sms" callbackUrl="https://sms.example.org/status/pl?ref=pl%3A7a242edc-2f57-11e7-98c9-06ab0bf64327%3Areply" callbackMethod="POST">Hi Tom!' "$(cat "$T/resp")"
check_eq "plivo lead" "+447700900302|Tom|M1 1AD" "$(sql "SELECT phone, name, postcode FROM leads WHERE phone = '+447700900302'")"
check_eq "plivo stored once" "1" "$(inbound_count pl)"

# --- Textlocal: a secret token in the URL, inbound form fields.
body='sender=447700900303&inNumber=447700900000&content=Aisha+Khan+LS1+4AP&keyword=AISHA&comments=Khan+LS1+4AP&rcvd=2026-11-29+10%3A00%3A00&firstname=&lastname=&custom1=&custom2=&custom3='
check_eq "textlocal wrong token" "403" "$(post "/webhooks/tl?token=wrong-token-wrong-token" "$body")"
check_eq "textlocal no token" "403" "$(post /webhooks/tl "$body")"
check_eq "textlocal nothing stored" "0" "$(inbound_count tl)"
check_eq "textlocal" "200" "$(post "/webhooks/tl?token=$TL_TOKEN" "$body")"
check_eq "textlocal lead" "Aisha Khan|LS1 4AP" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900303'")"
check_eq "textlocal reply queued" "1" "$(sql "SELECT count(*) FROM outbox WHERE instance = 'tl' AND recipient = '+447700900303'")"

# --- Vonage: md5hash over the sorted &k=v, secret appended; GET query.
ts=$(date +%s)
q="msisdn=447700900304&to=447700900000&messageId=0A0000000123ABCD1&text=Olu+EC1A+1BB&type=text&keyword=OLU&message-timestamp=2026-11-29+10%3A00%3A00&timestamp=$ts&nonce=abc123"
s="&keyword=OLU&message-timestamp=2026-11-29 10:00:00&messageId=0A0000000123ABCD1&msisdn=447700900304&nonce=abc123&text=Olu EC1A 1BB&timestamp=$ts&to=447700900000&type=text"
sig=$(printf '%s%s' "$s" "$VG_SECRET" | openssl dgst -md5 -r | cut -d' ' -f1)
check_eq "vonage bad sig" "403" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/webhooks/vg?$q&sig=0$sig")"
check_eq "vonage" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/webhooks/vg?$q&sig=$sig")"
check_eq "vonage lead" "Olu|EC1A 1BB" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900304'")"
# A long message in two parts: one lead, once both are in.
part() {	# part N TEXT
	q="msisdn=447700900305&to=447700900000&messageId=0A00000000PART0$1&text=$2&type=text&concat=true&concat-ref=42&concat-total=2&concat-part=$1&timestamp=$ts"
	s="&concat=true&concat-part=$1&concat-ref=42&concat-total=2&messageId=0A00000000PART0$1&msisdn=447700900305&text=$(printf '%s' "$2" | tr + ' ')&timestamp=$ts&to=447700900000&type=text"
	sig=$(printf '%s%s' "$s" "$VG_SECRET" | openssl dgst -md5 -r | cut -d' ' -f1)
	curl -s -o /dev/null -w '%{http_code}' "$URL/webhooks/vg?$q&sig=$sig"
}
check_eq "vonage part 2 first" "200" "$(part 2 'Jones+B1+1AA')"
check_eq "no lead from half a message" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900305'")"
check_eq "vonage part 1" "200" "$(part 1 'Hi+this+is+Mary+')"
check_eq "reassembled lead" "Mary Jones|B1 1AA" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900305'")"
check_eq "reassembled text" "Hi this is Mary Jones B1 1AA" "$(sql "SELECT text FROM inbound WHERE sender = '+447700900305'")"

# --- MessageBird: a HS256 JWT with url_hash and payload_hash.
body='id=e8077d803532c0b5937c639b60216938&recipient=447700900000&originator=447700900306&body=Kim+Lee+BN1+1GE&createdDatetime=2026-11-29T10%3A00%3A00%2B00%3A00'
now=$(date +%s)
url_hash=$(printf '%s' "$PUBLIC_URL/webhooks/mb" | openssl dgst -sha256 -r | cut -d' ' -f1)
payload_hash=$(printf '%s' "$body" | openssl dgst -sha256 -r | cut -d' ' -f1)
b64url() {
	base64 | tr -d '\n=' | tr '/+' '_-'
}
jwt() {	# jwt KEY
	h=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
	c=$(printf '{"iss":"MessageBird","nbf":%d,"exp":%d,"jti":"t1","url_hash":"%s","payload_hash":"%s"}' \
	    "$now" "$((now + 60))" "$url_hash" "$payload_hash" | b64url)
	s=$(printf '%s.%s' "$h" "$c" | openssl dgst -sha256 -hmac "$1" -binary | b64url)
	printf '%s.%s.%s' "$h" "$c" "$s"
}
check_eq "messagebird wrong key" "403" "$(post /webhooks/mb "$body" -H "MessageBird-Signature-JWT: $(jwt wrong-key)")"
check_eq "messagebird" "200" "$(post /webhooks/mb "$body" -H "MessageBird-Signature-JWT: $(jwt "$MB_KEY")")"
check_eq "messagebird lead" "Kim Lee|BN1 1GE" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900306'")"

# --- Telnyx: Ed25519 over "timestamp|body".
ts=$(date +%s)
body='{"data":{"record_type":"event","id":"bf6307bd-884d-4c1f-b6ea-c62b8c495d3c","event_type":"message.received","occurred_at":"2026-11-29T10:00:02.574Z","payload":{"record_type":"message","direction":"inbound","id":"7ee4241c-f127-47e5-9c34-3aac291f8058","type":"SMS","from":{"phone_number":"+447700900307"},"to":[{"phone_number":"+447700900000"}],"text":"Priya NR2 1NH","parts":1}}}'
printf '%s|%s' "$ts" "$body" >"$T/telnyx.msg"
sig=$(openssl pkeyutl -sign -rawin -inkey "$T/telnyx.pem" -in "$T/telnyx.msg" | base64 | tr -d '\n')
check_eq "telnyx stale" "403" "$(post /webhooks/tx "$body" -H "telnyx-signature-ed25519: $sig" -H "telnyx-timestamp: $((ts - 600))")"
check_eq "telnyx" "200" "$(post /webhooks/tx "$body" -H "Content-Type: application/json" -H "telnyx-signature-ed25519: $sig" -H "telnyx-timestamp: $ts")"
check_eq "telnyx lead" "Priya|NR2 1NH" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900307'")"
other='{"data":{"record_type":"event","id":"c1","event_type":"message.sent","payload":{"id":"p1"}}}'
printf '%s|%s' "$ts" "$other" >"$T/telnyx.msg"
sig=$(openssl pkeyutl -sign -rawin -inkey "$T/telnyx.pem" -in "$T/telnyx.msg" | base64 | tr -d '\n')
check_eq "telnyx other event" "200" "$(post /webhooks/tx "$other" -H "telnyx-signature-ed25519: $sig" -H "telnyx-timestamp: $ts")"
check_eq "other events store nothing" "1" "$(inbound_count tx)"

# --- SMS Gateway for Android: hex HMAC-SHA256 of body + X-Timestamp; its
# ids repeat, so the same text from the same phone soon after is one.
android() {	# android EVENT_ID
	printf '{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"%s","payload":{"messageId":"abc123","message":"Ben Carter BS1 5TR","sender":"07700900308","recipient":"+447700900000","simNumber":1,"receivedAt":"2026-11-29T10:00:00.000+00:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"}' "$1"
}
body=$(android Ey6ECgOkVVFjz3CL48B8C)
sig=$(printf '%s%s' "$body" "$ts" | hmac_hex "$AN_KEY")
check_eq "android wrong key" "403" "$(post /webhooks/an "$body" -H "X-Signature: $(printf '%s%s' "$body" "$ts" | hmac_hex x)" -H "X-Timestamp: $ts")"
check_eq "android" "200" "$(post /webhooks/an "$body" -H "X-Signature: $sig" -H "X-Timestamp: $ts")"
body=$(android Zz9ECgOkVVFjz3CL48B8D)
sig=$(printf '%s%s' "$body" "$ts" | hmac_hex "$AN_KEY")
check_eq "android again, new event id" "200" "$(post /webhooks/an "$body" -H "X-Signature: $sig" -H "X-Timestamp: $ts")"
check_eq "android one message" "1" "$(inbound_count an)"
check_eq "android lead" "+447700900308|Ben Carter|BS1 5TR" "$(sql "SELECT phone, name, postcode FROM leads WHERE phone = '+447700900308'")"

# --- Kannel: get-url with the token; the reply is the response body.
kq="token=$KN_TOKEN&from=%2B447700900309&to=447700900000&text=Sian+CF10+1EP&id=kannel-0001&coding=0&charset=UTF-8"
check_eq "kannel wrong token" "403" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/webhooks/kn?token=nope&from=%2B447700900309&text=x&id=k0")"
check_eq "kannel" "200" "$(curl -s -o "$T/resp" -w '%{http_code}' "$URL/webhooks/kn?$kq")"
check_contains "kannel plain reply" "Hi Sian! Your nearest branch is Cardiff" "$(cat "$T/resp")"
# UTF-16BE in (coding 2): "Siân CF10 1EP".
kq="token=$KN_TOKEN&from=%2B447700900310&to=447700900000&text=%00S%00i%00%E2%00n%00+%00C%00F%001%000%00+%001%00E%00P&id=kannel-0002&coding=2&charset=UTF-16BE"
check_eq "kannel UCS-2" "200" "$(curl -s -D "$T/headers" -o "$T/resp" -w '%{http_code}' "$URL/webhooks/kn?$kq")"
check_eq "kannel name intact" "Siân" "$(sql "SELECT name FROM leads WHERE phone = '+447700900310'")"
check_contains "kannel UCS-2 reply" "X-Kannel-Coding: 2" "$(cat "$T/headers")"
check_contains "kannel reply in UTF-16BE" "Hi Siân! Your nearest branch is Cardiff" "$(iconv -f UTF-16BE -t UTF-8 "$T/resp")"

stop_server
check_eq "one inbound row per message" "10" "$(sql "SELECT count(*) FROM inbound WHERE instance IN ('tw','pl','tl','vg','mb','tx','an','kn')")"
finish
