# t700-admin-page: the admin page in a real browser (tests/browser).
. tests/cli/lib.sh

TOKEN=page-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf page admin "$TOKEN")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"
browser_run admin.test.mjs "$URL" "$TOKEN" || { stop_server; finish; }
check_eq "the new branch's lead stored" "Penzance" \
    "$(sql "SELECT b.name FROM leads l JOIN branches b ON b.id = l.branch_id WHERE l.phone = '+447700900991'")"
check_contains "audited under the token" "token:page" "$(sql "SELECT actor FROM audit WHERE record LIKE 'branch:%' AND action = 'create' ORDER BY id DESC LIMIT 1")"
stop_server
finish
