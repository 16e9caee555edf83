# t720-simulator: /admin/api/simulate through the real server: a
# conversation over several texts, what the answer says of each (parse,
# geocode, match, segments), the drama-range rule, test rows kept out of
# the leads, the export and /metrics, the notify flag, the clear, and the
# audit.
. tests/cli/lib.sh

ADMIN=admin-token-not-real
VIEWER=viewer-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf ada admin "$ADMIN")
$(token_conf val viewer "$VIEWER")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
[notify]
channels = sms
CONF
start_server "$T/providers.conf"

sim() {	# sim FROM TEXT [NOTIFY]: the status; the answer in $T/resp
	api $ADMIN POST simulate "{\"from\":\"$1\",\"text\":\"$2\",\"notify\":${3:-false}}"
}
r() { jget "$(cat "$T/resp")" "$1"; }

# What is asked for, and refused, before anything is stored: each row a
# body, the status and the field named.
while IFS='|' read -r body want field; do
	check_eq "$body" "$want" "$(api $ADMIN POST simulate "$body")"
	[ -n "$field" ] && check_eq "$body names" "$field" "$(r '$.field')"
done <<'CASES'
{"from":"+441134960123","text":"Jo SE1 7PB"}|422|from
{"from":"+441632960123","text":"Jo SE1 7PB"}|422|from
{"from":"+4477009001234","text":"Jo SE1 7PB"}|422|from
{"from":"not a number","text":"Jo SE1 7PB"}|422|from
{"text":"Jo SE1 7PB"}|422|from
{"from":"+447700900123"}|422|text
{"from":"+447700900123","text":""}|422|text
{"from":"+447700900123","text":"Jo","notify":"yes"}|422|notify
["+447700900123"]|400|
CASES
check_eq "nothing stored" "0" "$(sql "SELECT count(*) FROM inbound")"
check_eq "a viewer may not simulate" "403" \
    "$(api $VIEWER POST simulate '{"from":"+447700900123","text":"Jo SE1 7PB"}')"
check_eq "nor clear" "403" "$(api $VIEWER DELETE simulate)"

# A name alone: the reply asks for the postcode; the postcode next: the
# branch, and one lead with both.
check_eq "name only" "200" "$(sim +447700900123 'Jane Smith')"
check_eq "parsed name" "Jane Smith" "$(r '$.parse.name')"
check_eq "no postcode" "null" "$(r '$.parse.postcode')"
check_contains "asks for the postcode" "postcode" "$(r '$.replies[0]')"
check_eq "no lead yet" "null" "$(r '$.lead_id')"
check_eq "why no match" "no postcode in the text" "$(r '$.match.reason')"
check_eq "the postcode" "200" "$(sim +447700900123 'SE1 7PB')"
check_contains "the reply names the branch" "Southwark" "$(r '$.replies[0]')"
check_contains "and the name given before" "Jane Smith" "$(r '$.replies[0]')"
check_eq "merged name" "Jane Smith" "$(r '$.parse.name')"
check_eq "postcode" "SE1 7PB" "$(r '$.parse.postcode')"
check_eq "match kind" "coverage" "$(r '$.match.kind')"
check_eq "match branch" "Southwark" "$(r '$.match.branch')"
check_contains "reason" "coverage of Southwark" "$(r '$.match.reason')"
check_contains "geocoded" "district unit sector" "$(r '$.geocode.level') unit sector"
check_eq "GSM-7" "GSM-7" "$(r '$.segments.encoding')"
check_eq "no UCS-2 characters" "0" "$(jlen "$(cat "$T/resp")" '$.segments.ucs2_chars')"
LEAD=$(r '$.lead_id')
check_eq "one lead, named" "Jane Smith|SE1 7PB|1" \
    "$(sql "SELECT name, postcode, test FROM leads WHERE id = $LEAD")"
check_eq "the conversation closed" "0" \
    "$(sql "SELECT count(*) FROM conversations WHERE phone = '+447700900123'")"

# A name GSM-7 has no letter for: the reply goes as UCS-2, and says why.
check_eq "UCS-2 text" "200" "$(sim '07700 900124' 'Zoë Łukasz SE1 7PB')"
check_eq "a national number taken" "+447700900124" \
    "$(sql "SELECT sender FROM inbound ORDER BY id DESC LIMIT 1")"
check_eq "UCS-2" "UCS-2" "$(r '$.segments.encoding')"
check_eq "the characters that forced it" '["ë","Ł"]' "$(r '$.segments.ucs2_chars')"
check_eq "70 a part, 67 of several" "67" "$(r '$.segments.per_segment')"
UNITS=$(r '$.segments.units')
check_eq "segments from the units" "$(( (UNITS + 66) / 67 ))" "$(r '$.segments.count')"

# The replies are recorded as sent to the simulator, never queued for a
# provider, and marked test like every row the simulator made.
check_eq "replies sent to the simulator" "3|sent|simulator" \
    "$(sql "SELECT count(*), min(state), min(instance) FROM outbox WHERE purpose = 'reply'")"
check_eq "every row marked" "0|0|0" "$(sql "SELECT (SELECT count(*) FROM inbound WHERE test = 0), (SELECT count(*) FROM leads WHERE test = 0), (SELECT count(*) FROM outbox WHERE test = 0)")"
check_eq "no notification without notify" "0" \
    "$(sql "SELECT count(*) FROM outbox WHERE purpose = 'notify'")"

# notify: the organisers are told, by a real instance, the row marked.
check_eq "notify" "200" "$(sim +447700900125 'Sam Patel M1 1AD' true)"
check_eq "the organiser told, by the first provider" "1|sms|fk|1" \
    "$(sql "SELECT count(*), channel, instance, test FROM outbox WHERE purpose = 'notify'")"

# A real text beside them: only it is a lead, in the list, the export and
# the metrics.
check_eq "webhook" "200" "$(post /webhooks/fk 'from=%2B447700900126&text=Real+Person+SE1+7PB&id=w1')"
check_eq "leads list" "200" "$(api $ADMIN GET leads)"
check_eq "only the real lead" "1|+447700900126" \
    "$(jlen "$(cat "$T/resp")" '$.leads')|$(r '$.leads[0].phone')"
check_eq "export" "200" "$(api $ADMIN GET leads.csv)"
check_eq "export: the header and the real lead" "2" "$(wc -l <"$T/resp" | tr -d ' ')"
check_contains "export: the real lead" "Real Person" "$(cat "$T/resp")"
check_eq "stats" "200" "$(api $ADMIN GET stats)"
# (the answer carries every district of the map: too long for jget's
# command line)
check_eq "stats: only the real lead" "1" \
    "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/resp'), '\$.leads_total')")"
curl -s "$URL/metrics" >"$T/metrics"
check_eq "metrics: one lead" "1" \
    "$(awk '$1 ~ /^gateway_leads_total/ { n += $2 } END { print n + 0 }' "$T/metrics")"
check_eq "metrics: no simulator" "" "$(grep simulator "$T/metrics")"
check_eq "metrics: sent rows are the real ones" "0" \
    "$(awk '$1 == "gateway_outbox_rows{state=\"sent\"}" { print $2 }' "$T/metrics")"

# STOP from a test number: a test opt-out, out of the list.
check_eq "stop" "200" "$(sim +447700900127 'STOP')"
check_eq "confirmed" "STOP" "$(r '$.parse.keyword')"
check_contains "the confirmation" "START" "$(r '$.replies[0]')"
check_eq "opted out, marked" "1" "$(sql "SELECT test FROM optouts WHERE phone = '+447700900127'")"
check_eq "optouts list" "200" "$(api $ADMIN GET optouts)"
check_eq "not listed" "0" "$(jlen "$(cat "$T/resp")" '$')"
check_eq "opted out, no reply" "200" "$(sim +447700900127 'Jo SE1 7PB')"
check_eq "nothing sent to them" "0" "$(jlen "$(cat "$T/resp")" '$.replies')"

# Audited under the token.
check_eq "each text audited" "6" \
    "$(sql "SELECT count(*) FROM audit WHERE action = 'simulate' AND actor = 'token:ada'")"

# The clear: every test row goes, the real ones stay, and it is audited.
check_eq "clear" "200" "$(api $ADMIN DELETE simulate)"
check_eq "leads cleared" "3" "$(r '$.leads')"
check_eq "messages cleared" "6" "$(r '$.messages')"
check_eq "opt-outs cleared" "1" "$(r '$.optouts')"
check_eq "no test row left" "0" "$(sql "SELECT (SELECT count(*) FROM inbound WHERE test <> 0) + (SELECT count(*) FROM leads WHERE test <> 0) + (SELECT count(*) FROM outbox WHERE test <> 0) + (SELECT count(*) FROM optouts WHERE test <> 0) + (SELECT count(*) FROM conversations WHERE test <> 0)")"
check_eq "the real lead kept" "+447700900126" "$(sql "SELECT phone FROM leads")"
check_eq "the clear audited" "token:ada" "$(sql "SELECT actor FROM audit WHERE action = 'clear' AND record = 'simulator'")"
check_eq "POST clear too" "200" "$(api $ADMIN POST simulate/clear)"
check_eq "nothing more" "0" "$(r '$.leads')"

# A conversation left open by the simulator is its own: a real text from
# the number does not finish it.
check_eq "test name" "200" "$(sim +447700900128 'Ann Lee')"
check_eq "real postcode" "200" "$(post /webhooks/fk 'from=%2B447700900128&text=SE1+7PB&id=w2')"
check_eq "the real lead has no test name" "" \
    "$(sql "SELECT name FROM leads WHERE phone = '+447700900128' AND test = 0")"
stop_server
finish
