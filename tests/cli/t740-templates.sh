# t740-templates: reply templates worded over the admin API and the CLI,
# through the real server: the next real webhook's reply follows an edit
# and a reset; an unknown field is refused, by name, on every path; every
# change is audited; a viewer reads and previews but may not write; smart
# encoding and an instance's transliterate = yes.  Then the Replies tab in
# a real browser (tests/browser/templates.test.mjs).
. tests/cli/lib.sh

ADMIN=admin-token-not-real
VIEWER=viewer-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf ed admin "$ADMIN")
$(token_conf val viewer "$VIEWER")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
[provider cy]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
transliterate = yes
CONF
start_server "$T/providers.conf"

resp() { cat "$T/resp"; }
tgw() { "$GATEWAY" --config "$T/serve.conf" "$@"; }
# text INSTANCE ID WORDS: through the webhook; the reply's body from the outbox.
text() {
	check_eq "webhook $2" "200" "$(post "/webhooks/$1" "from=%2B447700900741&text=$3&id=$2")"
	sql "SELECT body FROM outbox WHERE idem_key = '$1:$2:reply'"
}
DEFAULT_START="Hi Sam Jones! Your nearest branch is Southwark"

# Reading: a viewer may, and sees every template with its default.
check_eq "viewer lists" "200" "$(api $VIEWER GET templates)"
check_eq "thirteen templates" "13" "$(jlen "$(resp)" '$.templates')"
check_eq "branch first" "branch" "$(jget "$(resp)" '$.templates[0].name')"
check_eq "not edited" "0" "$(jget "$(resp)" '$.templates[0].edited')"
check_eq "budget shown" "2" "$(jget "$(resp)" '$.max_segments')"
check_eq "one template" "200" "$(api $VIEWER GET templates/help)"
check_contains "its wording" "Reply STOP" "$(jget "$(resp)" '$.text')"
check_eq "unknown template" "404" "$(api $ADMIN GET templates/nope)"
check_contains "reply before" "$DEFAULT_START" "$(text fk t1 'Sam+Jones+SE1+7PB')"

# Writing: a viewer may not; an unknown field is refused by its name.
check_eq "viewer may not set" "403" "$(api $VIEWER PUT templates/branch '{"text":"x {name}"}')"
check_eq "viewer may not reset" "403" "$(api $VIEWER DELETE templates/branch)"
check_eq "unknown field refused" "422" "$(api $ADMIN PUT templates/branch '{"text":"Hi {nmae}"}')"
check_eq "the field named" "text" "$(jget "$(resp)" '$.field')"
check_eq "the placeholder named" "nmae" "$(jget "$(resp)" '$.placeholder')"
check_contains "in the message" "{nmae}" "$(jget "$(resp)" '$.error')"
check_eq "empty refused" "422" "$(api $ADMIN PUT templates/branch '{"text":""}')"
check_eq "not text refused" "422" "$(api $ADMIN PUT templates/branch '{"text":5}')"
check_eq "preview refuses it too" "422" "$(api $VIEWER POST templates/preview '{"name":"branch","text":"{brnach}"}')"
check_eq "preview names it" "brnach" "$(jget "$(resp)" '$.placeholder')"
check_status "CLI refuses it" 1 tgw template set branch 'Hi {nmae}'
check_contains "CLI names it" "unknown field {nmae}" "$(cat "$T/err")"
check_status "CLI: unknown template" 1 tgw template set nope 'Hi'
check_eq "nothing written" "0" "$(sql "SELECT count(*) FROM reply_templates")"

# An edit by the API words the next real reply, typographic punctuation
# made plain GSM-7.
NEW='{"text":"Welcome[ {name}]! Meet {branch} \u2013 \u201csoon\u201d\u2026"}'
check_eq "admin sets" "200" "$(api $ADMIN PUT templates/branch "$NEW")"
check_eq "now edited" "1" "$(jget "$(resp)" '$.edited')"
check_eq "reply follows the edit" 'Welcome Sam Jones! Meet Southwark - "soon"...' \
    "$(text fk t2 'Sam+Jones+SE1+7PB')"
check_eq "audited under the token" "token:ed|set" \
    "$(sql "SELECT actor || '|' || action FROM audit WHERE record = 'template:branch'")"
check_contains "audit keeps the text" "Meet {branch}" \
    "$(sql "SELECT after FROM audit WHERE record = 'template:branch'")"
check_eq "same text again: no audit row" "200" "$(api $ADMIN PUT templates/branch "$NEW")"
check_eq "still one row" "1" "$(sql "SELECT count(*) FROM audit WHERE record = 'template:branch'")"
tgw template list >"$T/list"
check_contains "CLI lists it from the database" "branch            database" "$(cat "$T/list")"

# The preview, for a viewer too: example and longest fills, segments,
# encoding and what forces UCS-2.
check_eq "preview" "200" "$(api $VIEWER POST templates/preview '{"name":"branch","text":"Hi {name}, {branch} \u2013 soon"}')"
check_eq "example fill" "Hi Jane Smith, Birmingham - soon" "$(jget "$(resp)" '$.example.text')"
check_eq "GSM-7" "GSM-7" "$(jget "$(resp)" '$.example.encoding')"
check_eq "septets" "32" "$(jget "$(resp)" '$.example.units')"
check_eq "longest branch name" "Hi Bartholomew Featherstonehaugh, Brighton and Hove - soon" \
    "$(jget "$(resp)" '$.longest.text')"
check_eq "nothing forces UCS-2" "0" "$(jlen "$(resp)" '$.ucs2')"
api $VIEWER POST templates/preview '{"name":"branch","text":"Croeso i\u2019r \u0175yl, {name} \u20ac"}' >/dev/null
check_eq "UCS-2" "UCS-2" "$(jget "$(resp)" '$.example.encoding')"
check_eq "w-circumflex named" '["ŵ"]' "$(jget "$(resp)" '$.ucs2')"
api $VIEWER POST templates/preview '{"name":"help","text":"Costs \u20ac5[ {name}]"}' >/dev/null
check_eq "extension characters count two" "9" "$(jget "$(resp)" '$.example.units')"
api $VIEWER POST templates/preview '{"name":"branch","text":"{meets} {meets} {meets} {meets} {meets}[ {contact} {phone} {email}]"}' >/dev/null
check_eq "over the budget: parts left out" "2" "$(jget "$(resp)" '$.longest.segments')"
check_eq "the whole fill is more" "3" "$(jget "$(resp)" '$.longest.full.segments')"

# The CLI writes under cli:USER; show gives the example.
check_status "CLI sets" 0 tgw template set help 'Text your name and postcode. STOP to opt out.'
check_contains "CLI audited" "cli:" "$(sql "SELECT actor FROM audit WHERE record = 'template:help' AND action = 'set'")"
check_eq "HELP answered so" "Text your name and postcode. STOP to opt out." "$(text fk t3 'HELP')"
tgw template show help >"$T/show"
check_contains "show: from the database" "from: database" "$(cat "$T/show")"
check_contains "show: the segments" "1 segment, GSM-7" "$(cat "$T/show")"

# transliterate = yes on one instance: look-alike letters there only, and
# never in the supporter's name (transliterate_names is no).
check_eq "Welsh wording" "200" "$(api $ADMIN PUT templates/branch '{"text":"Croeso i\u2019r \u0175yl, {name}!"}')"
check_eq "as written where not asked" "Croeso i'r ŵyl, Sam Jones!" "$(text fk t4 'Sam+Jones+SE1+7PB')"
check_eq "look-alikes where asked" "Croeso i'r wyl, Sam Jones!" "$(text cy t5 'Sam+Jones+SE1+7PB')"
check_eq "a name keeps its letters" "Croeso i'r ŵyl, Gwenllŵan Jones!" \
    "$(text cy t6 'Gwenll%C5%B5an+Jones+SE1+7PB')"

# Reset: the gateway.conf default again, audited.
check_eq "admin resets" "200" "$(api $ADMIN DELETE templates/branch)"
check_eq "default again" "0" "$(jget "$(resp)" '$.edited')"
check_contains "reply back to the default" "$DEFAULT_START" "$(text fk t7 'Sam+Jones+SE1+7PB')"
check_eq "reset audited" "token:ed|reset" \
    "$(sql "SELECT actor || '|' || action FROM audit WHERE record = 'template:branch' ORDER BY id DESC LIMIT 1")"
check_status "CLI resets" 0 tgw template reset help
check_contains "HELP default again" "Reply STOP to opt out" "$(text fk t8 'HELP')"
check_eq "CLI reset audited" "reset" "$(sql "SELECT action FROM audit WHERE record = 'template:help' ORDER BY id DESC LIMIT 1")"
check_eq "no rows left" "0" "$(sql "SELECT count(*) FROM reply_templates")"

# The Replies tab in the browser: edit, the next real reply, the counter.
if "$TOP/tests/browser/setup.sh"; then
	browser_run templates.test.mjs "$URL" "$ADMIN"
	check_eq "the page's edit audited" "token:ed" \
	    "$(sql "SELECT actor FROM audit WHERE record = 'template:branch' ORDER BY id DESC LIMIT 1")"
else
	bad "cannot install the browser test's tools"
fi
stop_server
finish
