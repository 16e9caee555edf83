#!/bin/sh
# t145-bird: Bird through the real server.  Platform API: a Standard
# Webhooks-signed sms.received makes a lead and a reply, sent to a fake
# Bird and checked field by field; a tampered or stale copy gets 403 and
# stores nothing; a signed sms.delivered moves the reply on.  Channels API:
# a messagebird-signature-signed sms.inbound against the public URL.
. tests/cli/lib.sh

# A throwaway secret: whsec_ and base64 of 24 bytes (not a real one).
KEY_B64=$(printf 'bird-test-key-not-real!!' | openssl base64 -A)
SECRET="whsec_$KEY_B64"
KEY_HEX=$(printf '%s' "$KEY_B64" | openssl base64 -d -A | od -An -tx1 | tr -d ' \n')
CH_KEY=bird-channels-signing-key-not-real
PUBLIC_URL=https://gw.example.org
export PUBLIC_URL

# sw_sign ID TS BODY: the Standard Webhooks signature header.
sw_sign() {
	printf '%s.%s.%s' "$1" "$2" "$3" |
	    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY_HEX" -binary |
	    openssl base64 -A | sed 's/^/v1,/'
}

# mb_sign TS URL BODY: the Channels API's messagebird-signature.
mb_sign() {
	{ printf '%s\n%s\n' "$1" "$2"; printf '%s' "$3" | openssl dgst -sha256 -binary; } |
	    openssl dgst -sha256 -hmac "$CH_KEY" -binary | openssl base64 -A
}

start_fake bird
cat >"$T/providers.conf" <<CONF
[outbox]
retry_base = 1
[provider bd]
type = bird
access_key = bk_eu1_not-a-real-key
signing_key = $SECRET
from = +447700900000
base_url = http://127.0.0.1:$FAKE_PORT/
[provider bc]
type = bird
access_key = bird-access-key-not-real
signing_key = $CH_KEY
workspace_id = 11111111-2222-4333-8444-555555555555
channel_id = 66666666-7777-4888-9999-000000000000
from = +447700900001
base_url = http://127.0.0.1:$FAKE_PORT/
CONF
start_server "$T/providers.conf"

ts=$(date +%s)
body='{"type":"sms.received","timestamp":"2026-12-01T10:00:00Z","data":{"sms_id":"sms_t145a","workspace_id":"ws_1","to":"+447700900000","from":"+447700900145","tags":null,"metadata":null,"text":"Jane Smith SE1 7PB","segments":{"count":1}}}'
sig=$(sw_sign msg_t145a "$ts" "$body")
tampered=$(printf '%s' "$body" | sed 's/Jane/June/')

check_eq "tampered body" "403" "$(post /webhooks/bd "$tampered" -H "Content-Type: application/json" \
    -H "webhook-id: msg_t145a" -H "webhook-timestamp: $ts" -H "webhook-signature: $sig")"
check_eq "other id" "403" "$(post /webhooks/bd "$body" -H "webhook-id: msg_t145b" \
    -H "webhook-timestamp: $ts" -H "webhook-signature: $sig")"
old=$((ts - 600))
check_eq "stale" "403" "$(post /webhooks/bd "$body" -H "webhook-id: msg_t145a" \
    -H "webhook-timestamp: $old" -H "webhook-signature: $(sw_sign msg_t145a "$old" "$body")")"
check_eq "unsigned" "403" "$(post /webhooks/bd "$body" -H "Content-Type: application/json")"
check_eq "nothing stored" "0|0|0" "$(sql "SELECT (SELECT count(*) FROM inbound), (SELECT count(*) FROM leads), (SELECT count(*) FROM outbox)")"

check_eq "signed" "200" "$(post /webhooks/bd "$body" -H "Content-Type: application/json" \
    -H "webhook-id: msg_t145a" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,bm90LXRoaXMtb25l $sig")"
check_eq "empty answer" "" "$(cat "$T/resp")"
check_eq "lead" "Jane Smith|SE1 7PB" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900145'")"
check_eq "again: one message" "200" "$(post /webhooks/bd "$body" -H "webhook-id: msg_t145a" \
    -H "webhook-timestamp: $ts" -H "webhook-signature: $sig")"
check_eq "stored once" "1" "$(sql "SELECT count(*) FROM inbound WHERE ext_id = 'sms_t145a'")"

wait_for "reply sent" "SELECT state || ' ' || ext_id FROM outbox WHERE idem_key = 'bd:sms_t145a:reply'" "sent fake-1"
req=$(head -1 "$T/bird.log")
check_eq "method" "POST" "$(jget "$req" '$.method')"
check_eq "path" "/v1/sms/messages" "$(jget "$req" '$.path')"
check_eq "auth" "Bearer bk_eu1_not-a-real-key" "$(jget "$req" '$.headers.Authorization')"
check_eq "content type" "application/json" "$(jget "$req" '$.headers."Content-Type"')"
check_eq "idempotency key" "bd:sms_t145a:reply" "$(jget "$req" '$.headers."Idempotency-Key"')"
sent=$(jget "$req" '$.body')
check_eq "to" "+447700900145" "$(jget "$sent" '$.to')"
check_eq "from" "+447700900000" "$(jget "$sent" '$.from')"
check_eq "category" "transactional" "$(jget "$sent" '$.category')"
check_contains "text" "Your nearest branch is Southwark" "$(jget "$sent" '$.text')"
check_eq "nothing else" "4" "$(sqlite3 :memory: "SELECT count(*) FROM json_each('$(printf '%s' "$sent" | sed "s/'/''/g")')")"

# The receipt, signed the same way, to the status URL.
dlr='{"type":"sms.delivered","timestamp":"2026-12-01T10:00:05Z","data":{"sms_id":"fake-1","to":"+447700900145","from":"+447700900000"}}'
check_eq "receipt" "200" "$(post /status/bd "$dlr" -H "webhook-id: msg_t145d" -H "webhook-timestamp: $ts" \
    -H "webhook-signature: $(sw_sign msg_t145d "$ts" "$dlr")")"
wait_for "delivered" "SELECT state FROM outbox WHERE idem_key = 'bd:sms_t145a:reply'" "delivered"

# Channels API: signed over the public URL; a copy for another URL fails.
cb='{"service":"channels","event":"sms.inbound","payload":{"id":"7c1e0d1a-0000-4000-8000-000000000145","channelId":"66666666-7777-4888-9999-000000000000","sender":{"contact":{"id":"c1","identifierKey":"phonenumber","identifierValue":"+447700900146"}},"receiver":{"connector":{"id":"k1"}},"body":{"type":"text","text":{"text":"Kim Lee BN1 1GE"}},"status":"delivered","direction":"incoming"}}'
csig=$(mb_sign "$ts" "$PUBLIC_URL/webhooks/bc" "$cb")
check_eq "channels wrong url" "403" "$(post /webhooks/bc "$cb" -H "messagebird-request-timestamp: $ts" \
    -H "messagebird-signature: $(mb_sign "$ts" "$PUBLIC_URL/webhooks/bd" "$cb")")"
check_eq "channels" "200" "$(post /webhooks/bc "$cb" -H "Content-Type: application/json" \
    -H "messagebird-request-timestamp: $ts" -H "messagebird-signature: $csig")"
check_eq "channels lead" "Kim Lee|BN1 1GE" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900146'")"
wait_for "channels reply sent" "SELECT state FROM outbox WHERE idem_key = 'bc:7c1e0d1a-0000-4000-8000-000000000145:reply'" "sent"
req=$(grep '/workspaces/' "$T/bird.log" | head -1)
check_eq "channels path" "/workspaces/11111111-2222-4333-8444-555555555555/channels/66666666-7777-4888-9999-000000000000/messages" "$(jget "$req" '$.path')"
check_eq "channels auth" "AccessKey bird-access-key-not-real" "$(jget "$req" '$.headers.Authorization')"
sent=$(jget "$req" '$.body')
check_eq "channels to" "phonenumber +447700900146" "$(jget "$sent" '$.receiver.contacts[0].identifierKey') $(jget "$sent" '$.receiver.contacts[0].identifierValue')"
check_eq "channels body type" "text" "$(jget "$sent" '$.body.type')"
check_contains "channels text" "Brighton" "$(jget "$sent" '$.body.text.text')"
check_eq "channels reference" "bc:7c1e0d1a-0000-4000-8000-000000000145:reply" "$(jget "$sent" '$.reference')"

stop_server
check_eq "no errors logged" "" "$(grep ' error ' "$T/serve.err")"
finish
