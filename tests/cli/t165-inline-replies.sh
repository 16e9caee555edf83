# t165-inline-replies: a reply given inline in the webhook's answer (Plivo
# XML, TwiML, Kannel) is recorded as sent, in the outbox with the sends,
# marked inline; Plivo's answer asks for its receipts, which find it.
. tests/cli/lib.sh

PL_TOKEN=plivo-token-not-real
PUBLIC_URL=https://sms.example.org
cat >"$T/providers.conf" <<CONF
[provider pl]
type = plivo
auth_id = MAtest0000000000000
auth_token = $PL_TOKEN
from = +447700900000
CONF
start_server "$T/providers.conf"

# pl_post PATH_AND_QUERY SIGNED_QUERY BODY SORTED_KV NONCE: Plivo V3 over
# the URL, the decoded query, the sorted body and the nonce.
pl_post() {
	sig=$(printf '%s' "$PUBLIC_URL${1%%\?*}?$2$4.$5" | openssl dgst -sha256 -hmac "$PL_TOKEN" -binary | base64 | tr -d '\n')
	post "$1" "$3" -H "X-Plivo-Signature-V3: $sig" -H "X-Plivo-Signature-V3-Nonce: $5"
}

IN=7a242edc-2f57-11e7-98c9-06ab0bf64327
body="To=447700900000&From=447700900302&Text=Tom+M1+1AD&Type=sms&MessageUUID=$IN"
kv="From447700900302MessageUUID${IN}TextTom M1 1ADTo447700900000Typesms"
check_eq "inbound" "200" "$(pl_post /webhooks/pl '' "$body" "$kv" 1001)"
check_contains "reply inline, asking for its receipts" \
    "type=\"sms\" callbackUrl=\"$PUBLIC_URL/status/pl?ref=pl%3A$IN%3Areply\" callbackMethod=\"POST\">Hi Tom!" "$(cat "$T/resp")"
check_eq "recorded as sent, inline" "sent|1|+447700900302|pl:$IN:reply|reply" \
    "$(sql "SELECT state, inline, recipient, ext_id, purpose FROM outbox WHERE instance = 'pl'")"
check_contains "its words" "Hi Tom!" "$(sql "SELECT body FROM outbox WHERE instance = 'pl'")"
check_eq "a retry: the same answer" "200" "$(pl_post /webhooks/pl '' "$body" "$kv" 1002)"
check_contains "with the same callback" "callbackUrl=\"$PUBLIC_URL/status/pl?ref=pl%3A$IN%3Areply\"" "$(cat "$T/resp")"
check_eq "one row" "1" "$(sql "SELECT count(*) FROM outbox WHERE instance = 'pl'")"
check_eq "never sent by the outbox" "1" "$(sql "SELECT attempts FROM outbox WHERE instance = 'pl'")"

# The receipt, as Plivo sends it to that callbackUrl: under the reply's
# own MessageUUID, which the gateway never saw, and the ref in the URL.
OUT=83876bdb-93fb-4d5e-8c52-6b6c9e84f1a1
rq="ref=pl%3A$IN%3Areply"
rkv="ref=pl:$IN:reply"
body="Status=sent&From=447700900000&To=447700900302&MessageUUID=$OUT&ParentMessageUUID=$OUT&PartInfo=1+of+1&ErrorCode=&Units=1"
kv="ErrorCodeFrom447700900000MessageUUID${OUT}ParentMessageUUID${OUT}PartInfo1 of 1StatussentTo447700900302Units1"
check_eq "receipt: sent" "200" "$(pl_post "/status/pl?$rq" "$rkv." "$body" "$kv" 2001)"
check_eq "still sent" "sent" "$(sql "SELECT state FROM outbox WHERE instance = 'pl'")"
check_eq "forged receipt" "403" "$(pl_post "/status/pl?$rq" "$rkv." "$(echo "$body" | sed 's/=sent/=delivered/')" "$kv" 2002)"
body=$(echo "$body" | sed 's/=sent/=delivered/')
kv=$(echo "$kv" | sed 's/Statussent/Statusdelivered/')
check_eq "receipt: delivered" "200" "$(pl_post "/status/pl?$rq" "$rkv." "$body" "$kv" 2003)"
check_eq "found and recorded" "delivered" "$(sql "SELECT state FROM outbox WHERE instance = 'pl'")"
# A receipt for an ordinary send still goes by its MessageUUID.
body="Status=failed&From=447700900000&To=447700900302&MessageUUID=$OUT&ErrorCode=30"
kv="ErrorCode30From447700900000MessageUUID${OUT}StatusfailedTo447700900302"
check_eq "receipt without a ref" "200" "$(pl_post /status/pl '' "$body" "$kv" 2004)"
check_eq "nothing of ours under that id" "delivered" "$(sql "SELECT state FROM outbox WHERE instance = 'pl'")"
stop_server
finish
