# t500-leads-optouts: leads listed and exported with their consent; opt-outs
# added, removed, imported (all or nothing) and exported, each audited.
. tests/cli/lib.sh

cat >"$T/providers.conf" <<CONF
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"
post /webhooks/fk 'from=%2B447700900801&text=Jane+Smith+SE1+7PB&id=l1' >/dev/null
post /webhooks/fk 'from=%2B447700900802&text=Tom+Jones%2C+M1+1AD&id=l2' >/dev/null
# A text a spreadsheet would run as a formula.
post /webhooks/fk 'from=%2B447700900809&text=%3DHYPERLINK(%22http%3A%2F%2Fx.invalid%22%2C%22Ann%22)+SE1+7PB&id=l3' >/dev/null
stop_server

gw lead list >"$T/list"
check_eq "three leads" "3" "$(wc -l <"$T/list")"
check_contains "listed" "Jane Smith" "$(cat "$T/list")"
check_eq "by branch" "1" "$(gw lead list --branch Manchester | wc -l)"
check_eq "by region" "2" "$(gw lead list --region London | wc -l)"
check_eq "by date" "0" "$(gw lead list --until 2020-01-01 | wc -l)"
check_status "unknown branch" 2 gw lead list --branch Atlantis
gw lead export "$T/leads.csv"
check_eq "export header" "id,phone,name,postcode,branch,region,match,consent_message_id,consent_text,consent_at,consent_reply,created_at,updated_at,campaign" "$(head -1 "$T/leads.csv")"
check_contains "consent in the export" '"Tom Jones, M1 1AD"' "$(cat "$T/leads.csv")"
check_contains "reply in the export" "Your nearest branch is Manchester" "$(cat "$T/leads.csv")"
# Formulas are written as text (OWASP): a leading "'" inside the quotes.
check_contains "formula neutralised" ',"'"'"'=HYPERLINK(""http://x.invalid"",""Ann"") SE1 7PB",' "$(cat "$T/leads.csv")"
check_eq "no cell starts a formula" "0" "$(grep -c '\(^\|,\)"\{0,1\}[=+@-]' "$T/leads.csv")"

check_status "opt out" 0 gw optout add "07700 900803" +447700900804
check_status "bad number" 1 gw optout add "not a number" 07700900805
check_eq "nothing from a bad call" "2" "$(sql 'SELECT count(*) FROM optouts')"
check_contains "listed" "+447700900803" "$(gw optout list)"
check_status "opt back in" 0 gw optout remove 07700900803
check_eq "removed" "+447700900804" "$(sql 'SELECT phone FROM optouts')"
printf 'phone,note\n07700 900806,x\n+447700900807,y\n' >"$T/ok.csv"
check_status "import" 0 gw optout import "$T/ok.csv"
printf 'phone\n07700900808\nbogus\n' >"$T/bad.csv"
check_status "bad import" 1 gw optout import "$T/bad.csv"
check_contains "names the line" "bad.csv:3: phone: not a phone number" "$(cat "$T/err")"
check_eq "all or nothing" "0" "$(sql "SELECT count(*) FROM optouts WHERE phone = '+447700900808'")"
gw optout export "$T/out.csv"
check_eq "export" "4" "$(wc -l <"$T/out.csv")"
check_contains "numbers written as text" "\"'+447700900804\"" "$(cat "$T/out.csv")"
check_eq "audited" "4 1" "$(sql "SELECT count(*) FROM audit WHERE record LIKE 'optout:%' AND action = 'create'") $(sql "SELECT count(*) FROM audit WHERE record LIKE 'optout:%' AND action = 'delete'")"
# What the gateway exports, it imports again as it was.
sql 'DELETE FROM optouts'
check_status "re-import the export" 0 gw optout import "$T/out.csv"
check_eq "same numbers back" "+447700900804 +447700900806 +447700900807" "$(sql 'SELECT phone FROM optouts ORDER BY phone' | paste -sd' ')"
finish
