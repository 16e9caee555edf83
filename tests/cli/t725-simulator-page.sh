# t725-simulator-page: the admin page's Simulator tab in a real browser
# (tests/browser/simulator.test.mjs); then what it left in the database.
. tests/cli/lib.sh

TOKEN=sim-page-token-not-real
cat >"$T/providers.conf" <<CONF
$(token_conf page admin "$TOKEN")
[provider fk]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:9
CONF
start_server "$T/providers.conf"
browser_run simulator.test.mjs "$URL" "$TOKEN" || { stop_server; finish; }
check_eq "its texts audited under the token" "3" \
    "$(sql "SELECT count(*) FROM audit WHERE action = 'simulate' AND actor = 'token:page'")"
check_eq "and the clear" "1" "$(sql "SELECT count(*) FROM audit WHERE action = 'clear'")"
check_eq "no test row left" "0" "$(sql "SELECT (SELECT count(*) FROM inbound) + (SELECT count(*) FROM leads) + (SELECT count(*) FROM outbox)")"
stop_server
finish
