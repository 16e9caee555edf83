# t140-vonage-messages: the Vonage Messages API through the real server.
# Webhooks signed the way @vonage/jwt signs them (HS256 over iat, jti,
# payload_hash, made here with openssl): accepted, a lead and a reply; a
# tampered body, a wrong secret or a stale token get 403 and store
# nothing.  The reply's send, captured by fakeserver, is checked against
# the published API reference: POST /v1/messages, JSON, and an RS256
# application JWT (verified here with the public key) or Basic auth.
. tests/cli/lib.sh

SECRET=vonage-messages-signature-secret-not-real
APP_ID=aaaaaaaa-bbbb-cccc-dddd-0123456789ab
PUBLIC_URL=https://sms.example.org
# A key pair for this run only.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/app.key" 2>/dev/null
openssl pkey -in "$T/app.key" -pubout -out "$T/app.pub"

start_fake api --ok-body '{"message_uuid":"fake-uuid-%d"}'
cat >"$T/providers.conf" <<CONF
[provider vm]
type = vonage-messages
signature_secret = $SECRET
application_id = $APP_ID
private_key_file = $T/app.key
from = +447700900000
base_url = http://127.0.0.1:$FAKE_PORT
[provider vb]
type = vonage-messages
signature_secret = $SECRET
api_key = aaa012
api_secret = abc123456789
from = 447700900000
base_url = http://127.0.0.1:$FAKE_PORT/
CONF
start_server "$T/providers.conf"

b64url() {
	openssl base64 -A | tr '+/' '-_' | tr -d '='
}
unb64url() {
	s=$(tr -- '-_' '+/')
	while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
	printf '%s' "$s" | openssl base64 -d -A
}
# token BODY [IAT] [SECRET]: a webhook JWT for BODY, as Vonage makes one.
token() {
	hash=$(printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1)
	h=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
	c=$(printf '{"iat":%s,"jti":"c5ba8f24-1a14-4c10-bfdf-%012d","iss":"Vonage","payload_hash":"%s","api_key":"a1b2c3d","application_id":"%s"}' \
	    "${2:-$(date +%s)}" "$$" "$hash" "$APP_ID" | b64url)
	s=$(printf '%s.%s' "$h" "$c" | openssl dgst -sha256 -hmac "${3:-$SECRET}" -binary | b64url)
	printf '%s.%s.%s' "$h" "$c" "$s"
}
# send PATH BODY TOKEN: POST as Vonage does; prints the status.
send() {
	post "$1" "$2" -H 'Content-Type: application/json' -H "Authorization: Bearer $3"
}
inbound_count() {
	sql "SELECT count(*) FROM inbound WHERE instance = '$1'"
}
msg() {		# msg UUID FROM TEXT: an inbound SMS body
	printf '{"channel":"sms","message_uuid":"%s","to":"447700900000","from":"%s","timestamp":"2026-11-29T10:00:00Z","text":"%s","sms":{"num_messages":"1"},"usage":{"price":"0.0057","currency":"EUR"}}' "$1" "$2" "$3"
}

# --- Refused: nothing stored.
body=$(msg aaaaaaaa-bbbb-4ccc-8ddd-000000000141 447700900141 'Jane Smith SE1 7PB')
tok=$(token "$body")
tampered=$(printf '%s' "$body" | sed 's/447700900141/447700900149/')
check_eq "tampered body" "403" "$(send /webhooks/vm "$tampered" "$tok")"
check_eq "a byte more" "403" "$(send /webhooks/vm "$body " "$tok")"
check_eq "wrong secret" "403" "$(send /webhooks/vm "$body" "$(token "$body" "" wrong-secret)")"
check_eq "an hour old" "403" "$(send /webhooks/vm "$body" "$(token "$body" $(($(date +%s) - 3600)))")"
check_eq "two different tokens" "403" "$(post /webhooks/vm "$body" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $tok" -H "Authorization: Bearer $(token "$tampered")")"
check_eq "Basic is not a signature" "403" "$(post /webhooks/vm "$body" -H 'Content-Type: application/json' \
    -H 'Authorization: Basic YWFhMDEyOmFiYzEyMzQ1Njc4OQ==')"
# Unsigned: Vonage says only its own errors do that, and retries a 5xx.
check_eq "unsigned gets a 5xx" "500" "$(post /webhooks/vm "$body" -H 'Content-Type: application/json')"
check_eq "nothing stored" "0" "$(inbound_count vm)"
check_eq "no lead" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900141'")"

# --- Accepted: a lead, a reply through the API.
check_eq "signed" "200" "$(send /webhooks/vm "$body" "$tok")"
check_eq "empty answer" "" "$(cat "$T/resp")"
check_eq "stored" "1" "$(inbound_count vm)"
check_eq "lead" "Jane Smith|SE1 7PB" "$(sql "SELECT name, postcode FROM leads WHERE phone = '+447700900141'")"
check_eq "retry stores once" "200" "$(send /webhooks/vm "$body" "$tok")"
check_eq "still one" "1" "$(inbound_count vm)"
wait_for "reply sent" "SELECT state || ' ' || ext_id FROM outbox WHERE instance = 'vm' AND recipient = '+447700900141'" "sent fake-uuid-1"
# Not SMS text: 200 and nothing stored.
wa='{"channel":"whatsapp","message_type":"text","message_uuid":"w-1","to":"447700900000","from":"447700900142","text":"Tom M1 1AD"}'
check_eq "whatsapp ignored" "200" "$(send /webhooks/vm "$wa" "$(token "$wa")")"
check_eq "whatsapp not stored" "1" "$(inbound_count vm)"

# --- The send, field by field.
req=$(sed -n 1p "$T/api.log")
check_eq "method" "POST" "$(jget "$req" '$.method')"
check_eq "path" "/v1/messages" "$(jget "$req" '$.path')"
check_contains "content type" "application/json" "$(jget "$req" '$.headers."Content-Type"')"
auth=$(jget "$req" '$.headers.Authorization')
check_eq "bearer" "Bearer " "$(printf '%s' "$auth" | cut -c1-7)"
jwt=${auth#Bearer }
jh=$(printf '%s' "$jwt" | cut -d. -f1 | unb64url)
jc=$(printf '%s' "$jwt" | cut -d. -f2 | unb64url)
check_eq "jwt alg" "RS256" "$(jget "$jh" '$.alg')"
check_eq "jwt typ" "JWT" "$(jget "$jh" '$.typ')"
check_eq "jwt application_id" "$APP_ID" "$(jget "$jc" '$.application_id')"
check_eq "jwt iat" "integer" "$(sqlite3 :memory: "SELECT json_type('$jc', '\$.iat')")"
check_eq "jwt exp after iat" "1" "$(sqlite3 :memory: "SELECT json_extract('$jc', '\$.exp') > json_extract('$jc', '\$.iat')")"
check_eq "jwt jti a UUID" "36" "$(jget "$jc" '$.jti' | tr -d '\n' | wc -c)"
printf '%s' "$jwt" | cut -d. -f3 | unb64url >"$T/sig"
check_contains "jwt signed by the application key" "Verified OK" \
    "$(printf '%s' "$jwt" | cut -d. -f1,2 | tr -d '\n' | openssl dgst -sha256 -verify "$T/app.pub" -signature "$T/sig")"
sent=$(jget "$req" '$.body')
check_eq "message_type" "text" "$(jget "$sent" '$.message_type')"
check_eq "channel" "sms" "$(jget "$sent" '$.channel')"
check_eq "to, no +" "447700900141" "$(jget "$sent" '$.to')"
check_eq "from, no +" "447700900000" "$(jget "$sent" '$.from')"
check_contains "text" "Hi Jane Smith! Your nearest branch is Southwark" "$(jget "$sent" '$.text')"
# The idempotency key, or its digest when longer than client_ref takes.
key=$(sql "SELECT idem_key FROM outbox WHERE ext_id = 'fake-uuid-1'")
[ ${#key} -gt 40 ] && key=$(printf '%s' "$key" | openssl dgst -sha256 -r | cut -c1-32)
check_eq "client_ref" "$key" "$(jget "$sent" '$.client_ref')"
check_eq "webhook_url" "$PUBLIC_URL/status/vm" "$(jget "$sent" '$.webhook_url')"
check_eq "webhook_version" "v1" "$(jget "$sent" '$.webhook_version')"

# --- A status webhook moves the row on.
st='{"message_uuid":"fake-uuid-1","to":"447700900141","from":"447700900000","timestamp":"2026-11-29T10:00:05Z","status":"delivered","channel":"sms","usage":{"currency":"EUR","price":"0.0333"},"sms":{"count_total":"1"}}'
check_eq "status tampered" "403" "$(send /status/vm "$(printf '%s' "$st" | sed 's/delivered/rejected/')" "$(token "$st")")"
check_eq "status" "200" "$(send /status/vm "$st" "$(token "$st")")"
check_eq "delivered" "delivered" "$(sql "SELECT state FROM outbox WHERE ext_id = 'fake-uuid-1'")"

# --- Basic auth.
body2=$(msg aaaaaaaa-bbbb-4ccc-8ddd-000000000143 447700900143 'Tom M1 1AD')
check_eq "basic instance" "200" "$(send /webhooks/vb "$body2" "$(token "$body2")")"
wait_for "basic reply sent" "SELECT state FROM outbox WHERE instance = 'vb' AND recipient = '+447700900143'" "sent"
req=$(grep '447700900143' "$T/api.log" | head -1)
check_eq "basic path" "/v1/messages" "$(jget "$req" '$.path')"
check_eq "basic auth" "Basic YWFhMDEyOmFiYzEyMzQ1Njc4OQ==" "$(jget "$req" '$.headers.Authorization')"
check_eq "basic to" "447700900143" "$(jget "$(jget "$req" '$.body')" '$.to')"

stop_server
check_eq "secrets not logged" "" "$(grep -e "$SECRET" -e abc123456789 "$T/serve.err" "$T/serve.out")"
check_eq "no errors but the unsigned one" "" "$(grep ' error ' "$T/serve.err" | grep -v 'cannot verify')"
finish
