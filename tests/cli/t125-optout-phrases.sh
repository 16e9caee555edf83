# t125-optout-phrases: opt-outs as people write them, through the fake
# provider's webhook: suppressed, confirmed once, never texted again; and
# a question gets the question reply and makes no lead.
. tests/cli/lib.sh

SECRET=test-secret-not-real
cat >"$T/gw.conf" <<CONF
[provider fake]
type = fake
secret = $SECRET
[notify]
questions = yes
[national]
email = join@example.org
CONF
start_server "$T/gw.conf"

signed() {
	sig=$(printf '%s' "$1" | hmac_hex "$SECRET")
	post /webhooks/fake "$1" -H "X-Fake-Signature: $sig"
}
confirms() {
	sql "SELECT count(*) FROM outbox WHERE recipient = '$1' AND purpose = 'confirm_stop'"
}
replies() {
	sql "SELECT count(*) FROM outbox WHERE recipient = '$1' AND purpose = 'reply'"
}

# Each phrase: one opt-out with its words and "sms-phrase" as the source,
# one confirmation; the same message again changes nothing.
n=0
for text in 'pls+stop+sending+me+these' 'delete+me+from+this+list' \
    'no+more+texts+please' "don't+contact+me+again" 'Stop+please' \
    'quit+texting+me' 'can+you+stop+messaging+me+please' \
    'Hi%2C+please+stop+texting+me' 'Kindly+unsubscribe+me'; do
	n=$((n + 1))
	phone="+4477009004$(printf '%02d' "$n")"
	enc=$(printf '%s' "$phone" | sed 's/+/%2B/')
	check_eq "phrase $n" "200" "$(signed "from=$enc&text=$text&id=p$n")"
	check_eq "phrase $n again" "200" "$(signed "from=$enc&text=$text&id=p$n")"
	check_eq "phrase $n suppressed" "sms-phrase" \
	    "$(sql "SELECT source FROM optouts WHERE phone = '$phone'")"
	check_eq "phrase $n confirmed once" "1" "$(confirms "$phone")"
	# Then a signup from that number: stored, never texted, no lead.
	check_eq "phrase $n signup" "200" "$(signed "from=$enc&text=Jane+SE1+7PB&id=q$n")"
	check_eq "phrase $n never texted" "0" "$(replies "$phone")"
	check_eq "phrase $n no lead" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '$phone'")"
done
check_eq "the words kept" "don't contact me again" \
    "$(sql "SELECT text FROM optouts WHERE phone = '+447700900404'")"

# A keyword with emoji: the source says keyword.
check_eq "stop emoji" "200" "$(signed 'from=%2B447700900420&text=Stop+%E2%9C%8B&id=k1')"
check_eq "keyword source" "sms" "$(sql "SELECT source FROM optouts WHERE phone = '+447700900420'")"

# Negatives: no opt-out.
check_eq "bus stop" "200" "$(signed 'from=%2B447700900430&text=where%27s+the+bus+stop%3F&id=n1')"
check_eq "stop with postcode" "200" "$(signed 'from=%2B447700900431&text=Jo+Stopford+M1+1AD&id=n2')"
check_eq "no opt-out for negatives" "0" \
    "$(sql "SELECT count(*) FROM optouts WHERE phone IN ('+447700900430', '+447700900431')")"

# A question: the question reply, no lead, no conversation, forwarded.
check_eq "question" "200" "$(signed 'from=%2B447700900440&text=Can+I+bring+a+friend%3F&id=x1')"
check_eq "question reply" "1" \
    "$(sql "SELECT count(*) FROM outbox WHERE recipient = '+447700900440' AND purpose = 'reply' AND body LIKE '%name and postcode%' AND body NOT LIKE '%Bring%'")"
check_eq "question no lead" "0" "$(sql "SELECT count(*) FROM leads WHERE phone = '+447700900440'")"
check_eq "question no conversation" "0" "$(sql "SELECT count(*) FROM conversations")"
check_eq "question outcome" "question" "$(sql "SELECT outcome FROM inbound WHERE ext_id = 'x1'")"
check_eq "question forwarded" "1" \
    "$(sql "SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient = 'join@example.org' AND body LIKE '%bring a friend%'")"

stop_server
finish
