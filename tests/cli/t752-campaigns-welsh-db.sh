# t752-campaigns-welsh-db: campaigns and Welsh replies beside the templates
# in the database, the simulator and the dashboard, through the real
# server: an English default row answers English readers and never a
# Welsh one; language_set is a template like the others (list, show,
# preview, edit); a simulated campaign lead and language choice stay out
# of the real ones, the campaign filters and the dashboard, and go with
# the clear; the dashboard counts real leads by the campaign they came by.
. tests/cli/lib.sh

ADMIN=admin-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf ada admin $ADMIN)
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
[campaign strike]
keyword = STRIKE
branch = Thanks for backing the strike[ {name}]! Your branch: {branch}
CONF
start_server "$T/providers.conf"

n=0
text() {	# text FROM WORDS: one message from +4477009007FROM; REPLY_TEXT
	n=$((n + 1))
	post /webhooks/fk "from=%2B4477009007$1&id=d$n" \
	    --data-urlencode "text=$2" >/dev/null
	REPLY_TEXT=$(sql "SELECT body FROM outbox WHERE idem_key = 'fk:d$n:reply'")
}
r() { jget "$(cat "$T/resp")" "$1"; }
# A field of the stats' answer (too long for jget's command line).
by_campaign() {
	sqlite3 :memory: "SELECT group_concat(json_extract(value, '\$.campaign') || '=' || json_extract(value, '\$.leads'), ' ') FROM json_each(json_extract(readfile('$T/resp'), '\$.by_campaign'))"
}

# --- an English default row, and Welsh readers --------------------------
check_eq "help edited" "200" "$(api $ADMIN PUT templates/help '{"text":"Edited help: text your name and postcode."}')"
text 20 "HELP"
check_contains "English: the row" "Edited help" "$REPLY_TEXT"
text 21 "CYMRAEG"
text 21 "HELP"
check_contains "Welsh: the built-in Welsh" "Anfonwch eich enw a'ch cod post" "$REPLY_TEXT"
check_eq "not the English row" "" "$(printf '%s' "$REPLY_TEXT" | grep 'Edited')"

# --- language_set, a template like the others ---------------------------
gw template list >"$T/list"
check_contains "listed" "language_set" "$(cat "$T/list")"
gw template show language_set >"$T/show"
check_contains "shown" "OK, we'll text you in English" "$(cat "$T/show")"
check_eq "preview" "200" "$(api $ADMIN POST templates/preview '{"name":"language_set"}')"
check_contains "previewed" "in English" "$(r '$.example.text')"
check_status "set" 0 gw template set language_set "Right: English from now on."
text 23 "ENGLISH"
check_eq "the row answers ENGLISH" "Right: English from now on." "$REPLY_TEXT"
text 23 "CYMRAEG"
check_contains "CYMRAEG: the built-in Welsh" "Iawn, byddwn yn anfon negeseuon" "$REPLY_TEXT"

# --- a campaign's row beside its conf wording -----------------------------
text 24 "STRIKE Jane Smith SE1 7PB"
check_contains "the campaign's conf wording" "Thanks for backing the strike Jane Smith! Your branch: Southwark" "$REPLY_TEXT"

# --- the simulator's campaign lead and language choice --------------------
check_eq "simulated campaign lead" "200" \
    "$(api $ADMIN POST simulate '{"from":"+447700900725","text":"STRIKE Sim Person SE1 7PB"}')"
check_contains "worded as the campaign's" "Thanks for backing the strike" "$(r '$.replies[0]')"
check_eq "simulated CYMRAEG" "200" "$(api $ADMIN POST simulate '{"from":"+447700900725","text":"CYMRAEG"}')"
check_eq "kept as the simulator's" "cy|1" \
    "$(sql "SELECT language || '|' || test FROM language_prefs WHERE phone = '+447700900725'")"
text 25 "HELP"
check_contains "the real number is not Welsh by it" "Edited help" "$REPLY_TEXT"
gw lead list --campaign strike >"$T/list"
check_eq "lead list --campaign: the real lead only" "1" "$(wc -l <"$T/list" | tr -d ' ')"
check_eq "api ?campaign=" "200" "$(api $ADMIN GET 'leads?campaign=strike')"
check_eq "one strike lead" "1" "$(jlen "$(cat "$T/resp")" '$.leads')"
check_eq "stats" "200" "$(api $ADMIN GET stats)"
check_eq "by_campaign: the real leads.campaign" \
    "strike=$(sql "SELECT count(*) FROM leads WHERE test = 0 AND campaign = 'strike'")" \
    "$(by_campaign | tr ' ' '\n' | grep '^strike=')"
check_contains "the strike lead among them" "strike=1" "$(by_campaign)"
check_eq "stats ?campaign=strike" "200" "$(api $ADMIN GET 'stats?campaign=strike')"
check_eq "one lead" "1" "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/resp'), '\$.leads_total')")"
check_eq "clear" "200" "$(api $ADMIN DELETE simulate)"
check_eq "the simulator's choice cleared" "0" \
    "$(sql "SELECT count(*) FROM language_prefs WHERE test <> 0")"
check_eq "the real ones kept" "2" "$(sql "SELECT count(*) FROM language_prefs WHERE test = 0")"

stop_server
finish
