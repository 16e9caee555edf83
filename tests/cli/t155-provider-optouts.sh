# t155-provider-optouts: a number the provider says opted out is opted out
# here, with the provider's evidence, and never texted again: a send
# answered 21610, a receipt with ErrorCode 21610, an inbound with Twilio's
# OptOutType = STOP (and START, an opt-in at Twilio).
. tests/cli/lib.sh

TW_TOKEN=twilio-token-not-real
PUBLIC_URL=https://sms.example.org

# tw_sig PATH BODY: X-Twilio-Signature for a form POST to PUBLIC_URL/PATH.
tw_sig() {
	# The bodies here escape only "+".
	params=$(printf '%s' "$2" | tr '&' '\n' | LC_ALL=C sort | sed 's/=//; s/+/ /g; s/%2B/+/g' | tr -d '\n')
	printf '%s%s' "$PUBLIC_URL$1" "$params" | openssl dgst -sha1 -hmac "$TW_TOKEN" -binary | base64 | tr -d '\n'
}
tw_post() {
	post "$1" "$2" -H "X-Twilio-Signature: $(tw_sig "$1" "$2")"
}
optout() {
	sql "SELECT source || '|' || instance || '|' || evidence FROM optouts WHERE phone = '$1'"
}

# Twilio's API: the first send is refused, the number having said STOP
# there; every other send is taken.
start_fake tw --script 400 --ok-body '{"sid":"SMfake%d","status":"queued"}' \
    --error-body '{"code":21610,"message":"Attempt to send to unsubscribed recipient","more_info":"https://www.twilio.com/docs/errors/21610","status":400}'
TW=$FAKE_PORT
start_fake fk
FK=$FAKE_PORT
cat >"$T/providers.conf" <<CONF
[notify]
channels = sms
sms_instance = tw
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:$FK
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TW_TOKEN
from = +447700900000
base_url = http://127.0.0.1:$TW
CONF
start_server "$T/providers.conf"

# --- A send answered 21610: that row fails for good, the number is opted
# out with what Twilio said, and nothing more goes to it.
check_eq "signup" "200" "$(post /webhooks/fk 'from=%2B447700900501&text=Jane+Smith+SE1+7PB&id=p1')"
wait_for "the organiser's text died" "SELECT state FROM outbox WHERE instance = 'tw' AND recipient = '+447700900201'" "dead"
check_contains "why it died" "21610" "$(sql "SELECT last_error FROM outbox WHERE instance = 'tw' AND recipient = '+447700900201'")"
check_eq "opted out with the evidence" "provider|tw|twilio send: HTTP 400: 21610 Attempt to send to unsubscribed recipient" "$(optout +447700900201)"
check_eq "one send so far" "1" "$(wc -l <"$T/tw.log")"
check_eq "second signup" "200" "$(post /webhooks/fk 'from=%2B447700900502&text=Tom+Jones+SE1+7PB&id=p2')"
wait_for "the next one is not sent" "SELECT state || ' ' || last_error FROM outbox WHERE instance = 'tw' AND idem_key = 'fk:p2:notify:sms'" "discarded opted out"
check_eq "still one send" "1" "$(wc -l <"$T/tw.log")"

# --- A receipt with ErrorCode 21610: the number that message went to.
check_eq "a Camden signup" "200" "$(post /webhooks/fk 'from=%2B447700900503&text=Ann+Lee+NW1+8NH&id=p3')"
wait_for "sent to Camden's organiser" "SELECT state || ' ' || ext_id FROM outbox WHERE instance = 'tw' AND recipient = '+447700900202'" "sent SMfake2"
body='MessageSid=SMfake2&MessageStatus=undelivered&ErrorCode=21610&To=%2B447700900202&From=%2B447700900000&AccountSid=ACtest000000000000000000000000000&ApiVersion=2010-04-01'
check_eq "forged receipt" "403" "$(post /status/tw "$body" -H 'X-Twilio-Signature: AAAA')"
check_eq "nothing from it" "" "$(optout +447700900202)"
check_eq "receipt" "200" "$(tw_post /status/tw "$body")"
check_eq "row failed" "failed|undelivered 21610" "$(sql "SELECT state || '|' || last_error FROM outbox WHERE ext_id = 'SMfake2'")"
check_eq "opted out by the receipt" "provider|tw|twilio receipt: undelivered 21610" "$(optout +447700900202)"
check_eq "another Camden signup" "200" "$(post /webhooks/fk 'from=%2B447700900504&text=Raj+Patel+NW1+8NH&id=p4')"
wait_for "not sent either" "SELECT state FROM outbox WHERE instance = 'tw' AND idem_key = 'fk:p4:notify:sms'" "discarded"
check_eq "two sends in all" "2" "$(wc -l <"$T/tw.log")"

# --- OptOutType=STOP: Twilio matched a keyword of its own (ARRET, in the
# Messaging Service's Advanced Opt-Out) that the words alone would not be.
body='MessageSid=SMin0001&From=%2B447700900505&To=%2B447700900000&Body=ARRET&OptOutType=STOP&AccountSid=ACtest000000000000000000000000000&ApiVersion=2010-04-01'
check_eq "OptOutType=STOP" "200" "$(tw_post /webhooks/tw "$body")"
check_contains "no reply of ours: Twilio confirms" "<Response/>" "$(cat "$T/resp")"
check_eq "recorded with the evidence" "provider|tw|twilio inbound: OptOutType=STOP" "$(optout +447700900505)"
check_eq "the words kept" "ARRET|stop" "$(sql "SELECT o.text || '|' || i.outcome FROM optouts o JOIN inbound i ON i.id = o.inbound_id WHERE o.phone = '+447700900505'")"
check_eq "retried: the same" "200" "$(tw_post /webhooks/tw "$body")"
check_eq "one row" "1" "$(sql "SELECT count(*) FROM optouts WHERE phone = '+447700900505'")"
# OptOutType=START: opted in at Twilio, as a supporter's START is here.
body='MessageSid=SMin0002&From=%2B447700900505&To=%2B447700900000&Body=REPRENDRE&OptOutType=START&AccountSid=ACtest000000000000000000000000000&ApiVersion=2010-04-01'
check_eq "OptOutType=START" "200" "$(tw_post /webhooks/tw "$body")"
check_eq "opted back in" "" "$(optout +447700900505)"
check_eq "as a START" "start" "$(sql "SELECT outcome FROM inbound WHERE ext_id = 'SMin0002'")"
# A value Twilio does not document says nothing.
body='MessageSid=SMin0003&From=%2B447700900506&To=%2B447700900000&Body=Hello&OptOutType=MAYBE&AccountSid=ACtest000000000000000000000000000&ApiVersion=2010-04-01'
check_eq "unknown OptOutType" "200" "$(tw_post /webhooks/tw "$body")"
check_eq "not an opt-out" "" "$(optout +447700900506)"
stop_server

# --- the evidence is there for an admin to see, not only in the database.
gw() { "$GATEWAY" --config "$T/serve.conf" "$@"; }
check_contains "optout list: the provider's words" "twilio send: HTTP 400: 21610" "$(gw optout list)"
gw optout export "$T/optouts.csv"
check_eq "optout export: its columns" "phone,opted_out_at,source,instance,text,evidence" "$(head -n 1 "$T/optouts.csv")"
check_contains "optout export: the evidence" ",provider,tw,,twilio send: HTTP 400: 21610" "$(cat "$T/optouts.csv")"
finish
