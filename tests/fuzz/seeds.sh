#!/bin/sh
# Write the seed folders for tests/fuzz/ into OUT/NAME/, one small file a
# seed: the golden tables of tests/cases/, the project's own data files,
# and the payloads of the provider unit tests and docs/providers.md.
#
#   tests/fuzz/seeds.sh OUT
set -eu
cd "$(dirname "$0")/../.."
out=${1:?usage: seeds.sh OUT}
rm -rf "$out"
mkdir -p "$out"
for d in message postcode csv http config template admin provider; do
	mkdir -p "$out/$d"
done

seed() {	# seed DIR: stdin becomes the next seed in OUT/DIR
	n=$(ls "$out/$1" | wc -l)
	cat >"$out/$1/$((n + 1))"
}

# The first column of each golden table, as the text it stands for.
column1() {	# column1 FILE DIR
	grep -v '^#' "$1" | grep -v '^$' | cut -f1 | while IFS= read -r line; do
		printf '%s' "$line" | seed "$2"
	done
}
column1 tests/cases/message.tsv message
column1 tests/cases/postcode.tsv postcode

for f in data/postcode_areas.csv data/district_overrides.csv data/example/*.csv; do
	head -n 12 "$f" | seed csv
done
printf 'postcode,lat,long\n"SE1 7PB",51.5,-0.1\r\n"a ""quoted"" field","multi\nline",\n,,,\n' | seed csv
printf 'pcds,lat,long\nSE1 7PB,51.501,-0.117\n"unterminated,1,2\n' | seed csv

for body in 'from=%2B447700900123&text=Jane+Smith+SE1+7PB&id=1' \
    'a=1&b=two+words&c=%E2%82%AC&d=&e&=f&&g=%zz' 'x=%00y&y=%41%42%43'; do
	printf 'application/x-www-form-urlencoded\n%s' "$body" | seed http
done
printf 'application/json; charset=utf-8\n{"a":1}' | seed http

# Config: the example, and sections that every check looks at.
cp gateway.conf.example "$out/config/example"
seed config <<'EOF'
[server]
listen = 127.0.0.1:0
threads = 2
[replies]
branch = Hi[ {name}]! {branch}[ ({distance})]
max_segments = 3
[token ada]
role = admin
sha256 = 0000000000000000000000000000000000000000000000000000000000000000
[provider tw]
type = twilio
account_sid = AC0123456789abcdef0123456789abcdef
auth_token = 12345
from = +447700900000
allow_from = 127.0.0.1, ::1, 10.0.0.0/8
rate = 1.5
EOF
seed config <<'EOF'
[provider x]
type = nosuch
[provider bad name]
type = fake
[notify]
quiet_hours = 21:00-08:00
channels = email,sms
[database]
synchronous = sometimes
EOF

# Templates: the built-in replies, each with its fields.
for t in 'Hi[ {name}]! Your nearest branch is {branch}[ ({distance})].[ {meets}.] Contact {contact}[ on {phone}][ or {email}]' \
    "Hi[ {name}]! There's no branch near you yet, but {contact}, our {region} organiser, can help you get involved:[ {phone}][ {email}]" \
    "Sorry, we can't find the postcode {postcode}. Please check it and text it again (like SE1 7PB)." \
    'Thanks {name}![ {contact} will be in touch.]' '{nosuch} [unclosed {name' '[[{name}]] {{}} ]['; do
	printf '%s\nZo\303\253\nSE1 7PB\nSouthwark\nThursdays 7pm, \302\2432\nKit\n+447700900950\nkit@example.org\n1.2 miles\nLondon\n' "$t" | seed template
done

# Admin API requests: ROLE METHOD PATH?QUERY, then the body.
while IFS= read -r req; do
	printf '%s\n' "$req" | sed 's/\\n/\n/' | seed admin
done <<'EOF'
viewer GET branches
viewer GET branches/1
admin GET branches/9999
viewer GET regions
viewer GET region-areas
viewer GET leads?branch=1&region=2&since=2024-01-01&until=2024-12-31&page=2&per_page=10
viewer GET leads?page=9223372036854775807&per_page=500
viewer GET leads?page=0
viewer GET optouts
viewer GET outbox?state=queued
viewer GET audit?record=branch:1&since=2024-01-01&until=2030-01-01
viewer POST branches\n{"name":"X"}
none GET branches
admin POST branches\n{"name":"Truro","latitude":50.263,"longitude":-5.051,"meets":"Fridays 7pm","contact_name":"Kit","contact_phone":"07700 900950","region":"South West","coverage":["TR1"]}
admin PUT branches/1\n{"meets":"Saturdays 10am","active":false}
admin DELETE branches/2
admin PUT regions/1\n{"organiser_name":"Rhian","organiser_phone":"07700 900960","notify":"email"}
admin PUT region-areas/td15\n{"region":"North East"}
admin DELETE region-areas/TD15
admin POST optouts\n{"phone":"07700 900970"}
admin DELETE optouts/07700900970
admin POST outbox/1/retry
admin POST outbox/1/discard
admin POST forget\n{"phone":"+447700900952"}
admin POST branches\n{"name":
EOF

# Provider requests (see tests/fuzz/fuzz_provider.c): the unit tests'
# vectors, so that verify's success paths are reached too.
prov() { seed provider; }
prov <<'EOF'
twilio 201 0
POST https://mycompany.com/myapp.php?foo=1&bar=2
Content-Type: application/x-www-form-urlencoded
X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8=

CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212
EOF
prov <<'EOF'
twilio 200 0
POST https://gw.example.org/webhooks/twilio
Content-Type: application/x-www-form-urlencoded

MessageSid=SM0123456789abcdef0123456789abcdef&From=%2B447700900123&To=%2B447700900000&Body=Jane+Smith+SE1+7PB&NumSegments=1&MessageStatus=delivered&ErrorCode=30003
EOF
prov <<'EOF'
twilio 400 0
POST https://gw.example.org/status/twilio
Content-Type: application/json

{"code":21211,"message":"The 'To' number is not a valid phone number.","sid":"SM1","status":400}
EOF
prov <<'EOF'
android 202 1719046000
POST https://gw.example.org/webhooks/android
Content-Type: application/json
X-Signature: a2fda8e66ceb3a5baec974cb03d6313d6597a4526db906ca0962c10e0e2e3175
X-Timestamp: 1719046000

{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C","payload":{"messageId":"abc123","message":"Android is always a sweet treat!","sender":"6505551212","recipient":"+1234567890","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"}
EOF
prov <<'EOF'
android 200 0
POST https://gw.example.org/status/android
Content-Type: application/json

{"event":"sms:delivered","payload":{"messageId":"abc123","phoneNumber":"+447700900123"},"id":"x"}
EOF
prov <<'EOF'
telnyx 200 1700000000
POST https://gw.example.org/webhooks/telnyx
Content-Type: application/json
telnyx-signature-ed25519: 17eo16gOav3tuzLdmvxDZ/GA4CzZ2WUXcp3gqdc4PXyuI/pn3l5Oxx1szWpw6EtDiKH7M72SUuRHOUubZ6kRAQ==
telnyx-timestamp: 1700000000

{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4","payload":{"from":{"phone_number":"+447700900123"},"text":"Hello","to":[{"phone_number":"+447700900456"}]},"record_type":"event"}}
EOF
prov <<'EOF'
telnyx 200 0
POST https://gw.example.org/status/telnyx
Content-Type: application/json

{"data":{"event_type":"message.finalized","payload":{"id":"40385f64-5717-4562-b3fc-2c963f66afa6","to":[{"phone_number":"+447700900123","status":"delivery_failed"}],"errors":[{"code":"40300","title":"Blocked"}]}}}
EOF
prov <<'EOF'
plivo 202 0
POST https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml
Content-Type: application/x-www-form-urlencoded
X-Plivo-Signature-V3: iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=
X-Plivo-Signature-V3-Nonce: 31627761595286130198

Direction=outbound&From=19792014278&ALegUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&CallStatus=in-progress&BillRate=0.002&ParentAuthID=MANWVLYTK4ZWU1YTY4QA&To=sip%3APlivoSignature382029104058171078704104%40phone-qa.voice.plivodev.com&ALegRequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&CallUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&RequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&SIP-H-To=%3Csip%3APlivoSignature382029104058171078704104%4052.9.11.55%3Btransport%3Dudp%3E%3Btag%3D1&SessionStart=2020-04-08+11%3A34%3A33.238707&Event=StartApp
EOF
prov <<'EOF'
plivo 202 0
POST https://gw.example.org/webhooks/plivo
Content-Type: application/x-www-form-urlencoded

From=447700900123&To=447700900000&Text=Jane+SE1+7PB&Type=sms&MessageUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&Status=delivered&ErrorCode=200
EOF
prov <<'EOF'
plivo 202 0
GET https://gw.example.org/status/plivo?MessageUUID=db3ce55a-7f1d-11e1-8ea7-1231380bc196&Status=undelivered&ErrorCode=30&To=447700900123
Content-Type: application/json

{"api_id":"db342550-7f1d-11e1-8ea7-1231380bc196","message":"message(s) queued","message_uuid":["db3ce55a-7f1d-11e1-8ea7-1231380bc196"]}
EOF
prov <<'EOF'
messagebird 201 1625479200
GET https://gw.example.org/webhooks/messagebird?id=e8077d803532c0b5937c639b60216938&recipient=447700900000&originator=447700900123&body=Jane+SE1+7PB&createdDatetime=2016-05-03T14%3A26%3A57%2B00%3A00
MessageBird-Signature-JWT: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwfQ.x

{"id":"e8077d803532c0b5937c639b60216938","recipients":{"totalCount":1,"items":[{"recipient":447700900123,"status":"sent"}]}}
EOF
prov <<'EOF'
messagebird 200 0
GET https://gw.example.org/status/messagebird?id=e8077d803532c0b5937c639b60216938&reference=x&recipient=447700900123&status=delivery_failed&statusReason=unknown&statusErrorCode=1
EOF
prov <<'EOF'
vonage 200 1700000000
GET https://gw.example.org/webhooks/vonage?msisdn=447700900123&to=447700900000&messageId=0A0000000123ABCD1&text=Jane+SE1+7PB&type=text&keyword=JANE&message-timestamp=2020-01-01+12%3A00%3A00&timestamp=1700000000&nonce=abc&sig=0123456789abcdef0123456789abcdef
EOF
prov <<'EOF'
vonage 200 0
POST https://gw.example.org/webhooks/vonage
Content-Type: application/json

{"msisdn":"447700900123","to":"447700900000","messageId":"0A0000000123ABCD2","text":"part one ","type":"text","concat":"true","concat-ref":"2C","concat-total":"2","concat-part":"1"}
EOF
prov <<'EOF'
vonage-hmac 200 0
POST https://gw.example.org/status/vonage
Content-Type: application/x-www-form-urlencoded

msisdn=447700900123&to=447700900000&network-code=23410&messageId=0A0000000123ABCD1&price=0.03&status=failed&scts=2001011400&err-code=6&message-timestamp=2020-01-01+12%3A00%3A00
EOF
prov <<'EOF'
vonage 200 0
POST https://rest.nexmo.com/sms/json
Content-Type: application/json

{"message-count":"1","messages":[{"to":"447700900123","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"12345"}]}
EOF
prov <<'EOF'
vonage-messages 202 1738584865
POST https://gw.example.org/webhooks/vonage-messages
Content-Type: application/json
Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3Mzg1ODQ4NjUsImp0aSI6ImM1YmE4ZjI0LTFhMTQtNGMxMC1iZmRmLTNmYmU4Y2U1MTFiNSIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjUzOTY0MzU3MDkyMTE1MTNmZjQwNTdiZTRkYmI0ZjY3YjhlZGYxY2NkYTEzMzA2MjZjM2MzMDBkZDFhZjE4ODMiLCJhcGlfa2V5IjoiYTFiMmMzZCIsImFwcGxpY2F0aW9uX2lkIjoiYWFhYWFhYWEtYmJiYi1jY2NjLWRkZGQtMDEyMzQ1Njc4OWFiIn0.m6YPGSrpz0Ykz7WPqS6DoL4Xyj0OmCgseFSB35TfLWw

{"channel":"sms","message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab","to":"447700900000","from":"447700900001","timestamp":"2025-02-03T12:14:25Z","text":"Hello From Vonage!","sms":{"num_messages":"1","keyword":"HELLO"},"usage":{"price":"0.0057","currency":"EUR"},"origin":{"network_code":"23410"}}
EOF
prov <<'EOF'
vonage-messages 422 0
POST https://gw.example.org/status/vonage-messages
Content-Type: application/json

{"message_uuid":"bbbbbbbb-cccc-4ddd-8eee-0123456789ab","to":"447700900001","from":"447700900000","timestamp":"2025-02-03T12:14:58Z","status":"rejected","channel":"sms","error":{"type":"https://developer.vonage.com/api-errors/messages#1240","title":"1240","detail":"Illegal Number","instance":"x"}}
EOF
prov <<'EOF'
textlocal 200 0
POST https://gw.example.org/webhooks/textlocal?token=k3Jq9vX2mPz7Lw4t
Content-Type: application/x-www-form-urlencoded

sender=447700900123&inNumber=447700900000&keyword=BRANCH&content=Jane+SE1+7PB&comments=SE1+7PB&rcvd=2024-01-01+12%3A00%3A00
EOF
prov <<'EOF'
textlocal 200 0
POST https://gw.example.org/status/textlocal?token=k3Jq9vX2mPz7Lw4t
Content-Type: application/x-www-form-urlencoded

number=447700900123&status=D&customID=abc&datetime=2024-01-01

{"balance":1110,"batch_id":123456789,"messages":[{"id":"1151346216","recipient":447700900123}],"status":"success"}
EOF
prov <<'EOF'
kannel 202 0
GET https://gw.example.org/webhooks/kannel?token=test-token-not-real&from=%2B447700900123&to=447700900000&text=Jane+SE1+7PB&id=3f1b2c4d-8e9a-4b1c-9d2e-5f6a7b8c9d0e&coding=0&charset=UTF-8
EOF
prov <<'EOF'
kannel 202 0
POST https://gw.example.org/webhooks/kannel?token=test-token-not-real
Content-Type: text/plain; charset=ISO-8859-1
X-Kannel-From: +447700900123
X-Kannel-To: 447700900000
X-Kannel-Coding: 0

Zo\353 SE1 7PB
EOF
prov <<'EOF'
kannel 202 0
GET https://gw.example.org/status/kannel?token=test-token-not-real&id=abc&type=1&reply=ACK%2F
Content-Type: text/plain

0: Accepted for delivery
EOF
prov <<'EOF'
fake-open 200 0
POST https://gw.example.org/webhooks/fake
Content-Type: application/x-www-form-urlencoded

from=%2B447700900123&text=Jane+Smith+SE1+7PB&id=1&to=%2B447700900000
EOF
prov <<'EOF'
fake 200 0
POST https://gw.example.org/status/fake
Content-Type: application/json
X-Fake-Signature: 00

{"id":"1","status":"delivered","error":""}
EOF
