# t750-campaigns-welsh: campaigns on the one number and Welsh replies,
# through the real server: a campaign keyword tags the lead and words the
# reply its way, and the follow-up answer keeps it; lead list, export and
# the admin API filter by campaign; a Cardiff postcode gets the bilingual
# reply, Welsh first; CYMRAEG and ENGLISH switch and are remembered for the
# number; forget erases the choice; config mistakes say file:line.
. tests/cli/lib.sh

ADMIN=admin-token-not-real
sha() { printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1; }
cat >"$T/providers.conf" <<CONF
[token ada]
role = admin
sha256 = $(sha $ADMIN)
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
[campaign strike]
keyword = STRIKE, WALKOUT
branch = Thanks for backing the strike[ {name}]! Your branch: {branch}. Contact {contact}[ on {phone}]
branch.cy = Diolch am gefnogi'r streic[ {name}]! Eich cangen: {branch}. Cyswllt: {contact}[ {phone}]
no_postcode = Thanks for backing the strike[ {name}]! Text your postcode to find your branch.
[campaign save-nhs]
keyword = NHS
CONF
start_server "$T/providers.conf"

n=0
text() {	# text FROM WORDS: one message from +4477009007FROM; REPLY_TEXT
	n=$((n + 1))
	post /webhooks/fk "from=%2B4477009007$1&id=w$n" \
	    --data-urlencode "text=$2" >/dev/null
	REPLY_TEXT=$(sql "SELECT body FROM outbox WHERE idem_key = 'fk:w$n:reply'")
}
campaign_of() {	# campaign_of FROM: each lead's campaign, "-" for none
	sql "SELECT coalesce(campaign, '-') FROM leads WHERE phone = '+4477009007$1' ORDER BY id"
}
api() {	# api PATH: the status; the body in $T/resp
	curl -s -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
	    "$URL/admin/api/$1"
}

# --- campaigns ---------------------------------------------------------
text 01 "STRIKE Jane Smith SE1 7PB"
check_eq "a campaign keyword tags the lead" "strike" "$(campaign_of 01)"
check_eq "the rest parsed as usual" "Jane Smith|SE1 7PB" \
    "$(sql "SELECT name || '|' || postcode FROM leads WHERE phone = '+447700900701'")"
check_contains "the campaign's template" "Thanks for backing the strike Jane Smith! Your branch: Southwark" "$REPLY_TEXT"
text 02 "Walkout! Tom Jones M1 1AD"
check_eq "a second keyword, punctuated" "strike" "$(campaign_of 02)"
text 03 "Aisha Khan LS1 4AP"
check_eq "no keyword: no campaign" "-" "$(campaign_of 03)"
check_contains "the default template" "Hi Aisha Khan! Your nearest branch is" "$REPLY_TEXT"
text 04 "I support the strike, Olu EC1A 1BB"
check_eq "not the first word: no campaign" "-" "$(campaign_of 04)"
text 05 "NHS Ravi Patel B1 1AA"
check_eq "a campaign without templates" "save-nhs" "$(campaign_of 05)"
check_contains "gets the defaults" "Hi Ravi Patel! Your nearest branch is" "$REPLY_TEXT"
text 06 "JOIN Ann Lee SE1 7PB"
check_eq "JOIN as ever" "-|Ann Lee" \
    "$(sql "SELECT coalesce(campaign, '-') || '|' || name FROM leads WHERE phone = '+447700900706'")"

# The follow-up answer keeps the campaign the conversation started under.
text 07 "strike Gwen Price"
check_contains "the campaign asks for the postcode" "Thanks for backing the strike Gwen Price! Text your postcode" "$REPLY_TEXT"
check_eq "the conversation keeps it" "postcode|strike" \
    "$(sql "SELECT waiting_for || '|' || campaign FROM conversations WHERE phone = '+447700900707'")"
text 07 "M1 1AD"
check_eq "the answer's lead is the campaign's" "strike" "$(campaign_of 07)"
check_contains "in its wording" "Thanks for backing the strike Gwen Price! Your branch: Manchester" "$REPLY_TEXT"

# Lists and exports filter by campaign.
gw lead list --campaign strike >"$T/list"
check_eq "lead list --campaign" "3" "$(wc -l <"$T/list" | tr -d ' ')"
check_contains "says the campaign" "campaign=strike" "$(cat "$T/list")"
gw lead list --campaign nobody >"$T/list"
check_eq "an unknown campaign: none" "0" "$(wc -l <"$T/list" | tr -d ' ')"
gw lead export --campaign save-nhs "$T/nhs.csv"
check_eq "export --campaign: header and one row" "2" "$(wc -l <"$T/nhs.csv" | tr -d ' ')"
check_contains "the campaign column" "save-nhs" "$(tail -1 "$T/nhs.csv")"
check_eq "api ?campaign=" "200" "$(api 'leads?campaign=strike')"
check_eq "three strike leads" "3" "$(jlen "$(cat "$T/resp")" '$.leads')"
check_eq "each says so" "strike" "$(jget "$(cat "$T/resp")" '$.leads[0].campaign')"
check_eq "api leads.csv?campaign=" "200" "$(api 'leads.csv?campaign=save-nhs')"
check_eq "one row" "2" "$(wc -l <"$T/resp" | tr -d ' ')"
check_eq "no campaign: null" "null" \
    "$(api 'leads?per_page=100' >/dev/null; jget "$(cat "$T/resp")" '$.leads[2].campaign')"

# --- Welsh -------------------------------------------------------------
text 10 "Rhys Jones CF10 1EP"
check_contains "Cardiff: Welsh" "Helo Rhys Jones! Eich cangen agosaf yw Cardiff" "$REPLY_TEXT"
check_contains "then English" "Hi Rhys Jones! Your nearest branch is Cardiff" "$REPLY_TEXT"
case $REPLY_TEXT in Helo*) ok ;; *) bad "Welsh first: [$REPLY_TEXT]" ;; esac
check_eq "both in two GSM-7 segments" "2 (GSM-7" \
    "$(gw locate 'Rhys Jones CF10 1EP' | sed -n 's/^segments  \([0-9]* ([A-Z0-9-]*\).*/\1/p')"
# A circumflex makes it UCS-2: optional parts go, and it still fits.
check_eq "ŵ counted as UCS-2, still two" "2 (UCS-2" \
    "$(gw locate 'Gwenllian Ŵyn CF10 1EP' | sed -n 's/^segments  \([0-9]* ([A-Z0-9-]*\).*/\1/p')"

# CYMRAEG: Welsh only, from now on, for this number.
text 10 "Cymraeg please"
check_contains "Welsh confirmed, in Welsh" "Iawn, byddwn yn anfon negeseuon atoch yn Gymraeg" "$REPLY_TEXT"
check_eq "remembered" "cy" "$(sql "SELECT language FROM language_prefs WHERE phone = '+447700900710'")"
text 10 "HELP"
check_contains "the next text: Welsh" "Anfonwch eich enw a'ch cod post" "$REPLY_TEXT"
check_eq "and Welsh alone" "" "$(printf '%s' "$REPLY_TEXT" | grep 'Text your name')"
text 10 "Rhys Jones SE1 7PB"
check_contains "Welsh in London too" "Helo Rhys Jones! Eich cangen agosaf yw Southwark" "$REPLY_TEXT"
text 10 "ENGLISH"
check_contains "English confirmed" "OK, we'll text you in English" "$REPLY_TEXT"
text 10 "Rhys Jones CF10 1EP"
check_contains "English in Cardiff, as chosen" "Hi Rhys Jones! Your nearest branch is Cardiff" "$REPLY_TEXT"
check_eq "and English alone" "" "$(printf '%s' "$REPLY_TEXT" | grep 'Helo')"

# A Welsh keyword, and the Welsh stop confirmation.
text 11 "SAESNEG"
check_eq "SAESNEG is English" "en" "$(sql "SELECT language FROM language_prefs WHERE phone = '+447700900711'")"
text 11 "CYMRAEG"
text 11 "STOPIO"
check_contains "opted out in Welsh" "Rydych wedi dad-danysgrifio" "$REPLY_TEXT"
check_eq "opted out" "1" "$(sql "SELECT count(*) FROM optouts WHERE phone = '+447700900711'")"

# A postcode alone in Cardiff: the question for the name in both, and the
# answer in the same languages.
text 12 "CF10 1EP"
check_contains "asks the name in Welsh" "Beth yw eich enw?" "$REPLY_TEXT"
check_contains "and in English" "What's your name?" "$REPLY_TEXT"
text 12 "Dafydd Hughes"
check_contains "thanks in Welsh" "Diolch Dafydd Hughes!" "$REPLY_TEXT"
check_contains "and English" "Thanks Dafydd Hughes!" "$REPLY_TEXT"

# forget erases the choice with the rest of the number's data.
gw forget +447700900710 >"$T/out"
check_contains "forget counts it" "1 language choices" "$(cat "$T/out")"
check_eq "the choice is gone" "0" "$(sql "SELECT count(*) FROM language_prefs WHERE phone = '+447700900710'")"

stop_server

# --- config mistakes, each with file:line -------------------------------
cat >"$T/bad.conf" <<CONF
[database]
path = $T/gateway.db
[campaign one]
keyword = STRIKE
colour = red
[campaign two]
keyword = strike, STOP
[campaign three]
keyword = Join
branch.fr = Bonjour
[campaign four]
branch = Hi {nome}
[region Wales]
language = fr
[language]
wales = welsh
CONF
check_status "bad campaigns refused" 1 "$GATEWAY" --config "$T/bad.conf" check-config
errs=$(cat "$T/err")
check_contains "unknown key" "bad.conf:5: unknown key \"colour\" in [campaign one]" "$errs"
check_contains "a keyword twice" "bad.conf:7: [campaign two] keyword \"strike\" is also [campaign one]'s (line 4)" "$errs"
check_contains "STOP is the gateway's" "bad.conf:7: [campaign two] keyword \"stop\" is the gateway's own (STOP)" "$errs"
check_contains "JOIN is the gateway's" "bad.conf:9: [campaign three] keyword \"join\" is the gateway's own (JOIN)" "$errs"
check_contains "no such language" "bad.conf:10: unknown key \"branch.fr\"" "$errs"
check_contains "a bad template" "bad.conf:12: branch: unknown field {nome}" "$errs"
check_contains "no keyword" "bad.conf:12: [campaign four] has no keyword" "$errs"
check_contains "a region's language" "bad.conf:14: language: expected one of en|cy|cy+en" "$errs"
check_contains "the country default" "bad.conf:16: wales: expected one of en|cy|cy+en" "$errs"

finish
