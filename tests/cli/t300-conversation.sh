# t300-conversation: a signup over several texts, through a provider's
# webhook: the question asked, the answer merged, a repeat signup updating
# its lead, STOP winning over an open question, questions expiring.
. tests/cli/lib.sh

cat >"$T/providers.conf" <<CONF
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"

n=0
text() {	# text FROM WORDS: one message from +4477009006FROM
	n=$((n + 1))
	post /webhooks/fk "from=%2B4477009006$1&text=$(printf '%s' "$2" | sed 's/ /+/g')&id=c$n" >/dev/null
	REPLY_TEXT=$(sql "SELECT body FROM outbox WHERE idem_key = 'fk:c$n:reply'")
}
leads() {	# leads FROM: name|postcode of each lead of that number
	sql "SELECT name || '|' || postcode FROM leads WHERE phone = '+4477009006$1' ORDER BY id"
}

# A name, then the postcode asked for.
text 01 "Hi I'm Jane Smith"
check_contains "asks for the postcode" "Please text your postcode" "$REPLY_TEXT"
check_eq "no lead yet" "" "$(leads 01)"
check_eq "waiting for the postcode" "postcode|Jane Smith" \
    "$(sql "SELECT waiting_for || '|' || name FROM conversations WHERE phone = '+447700900601'")"
text 01 "se1 7pb"
check_eq "merged" "Jane Smith|SE1 7PB" "$(leads 01)"
check_contains "answered with the name" "Hi Jane Smith! Your nearest branch is Southwark" "$REPLY_TEXT"
check_eq "conversation over" "0" "$(sql "SELECT count(*) FROM conversations WHERE phone = '+447700900601'")"

# A postcode alone: the answer and a question; then the name.
text 02 "M1 1AD"
check_eq "lead without a name" "|M1 1AD" "$(leads 02)"
check_contains "branch in the answer" "Manchester" "$REPLY_TEXT"
check_contains "asks the name" "What's your name?" "$REPLY_TEXT"
text 02 "Tom Jones"
check_eq "name on the same lead" "Tom Jones|M1 1AD" "$(leads 02)"
check_contains "thanks" "Thanks Tom Jones!" "$REPLY_TEXT"

# The same number again within resignup_days: its lead is updated.
text 01 "Jane Smith LS1 4AP"
check_eq "one lead, updated" "Jane Smith|LS1 4AP" "$(leads 01)"
check_contains "answered for the new postcode" "Leeds" "$REPLY_TEXT"

# STOP wins over an open question.
text 03 "Ann Lee"
check_eq "asked" "1" "$(sql "SELECT count(*) FROM conversations WHERE phone = '+447700900603'")"
text 03 "STOP"
check_eq "question dropped" "0" "$(sql "SELECT count(*) FROM conversations WHERE phone = '+447700900603'")"
text 03 "SE1 7PB"
check_eq "no lead after stop" "" "$(leads 03)"
check_eq "no reply after stop" "" "$REPLY_TEXT"

# A question expires.
text 04 "Ravi Patel"
sql "UPDATE conversations SET expires_at = 1 WHERE phone = '+447700900604'"
text 04 "B1 1AA"
check_eq "expired: not merged" "|B1 1AA" "$(leads 04)"

stop_server
finish
