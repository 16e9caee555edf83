# t820-metrics: /metrics after a mix of webhooks: valid Prometheus text,
# counters equal to what the database holds, allow_from and the token; and
# the log's formats (text, json, the journal's).
. tests/cli/lib.sh
scripts/deps.sh metrics >&2 || true

SECRET=test-secret-not-real
TOKEN=metrics-token-not-real
TOKEN_SHA=$(printf '%s' "$TOKEN" | openssl dgst -sha256 -r | cut -d' ' -f1)
start_fake api
cat >"$T/providers.conf" <<CONF
[provider fake]
type = fake
secret = $SECRET
base_url = http://127.0.0.1:$FAKE_PORT
[log]
format = json
CONF
start_server "$T/providers.conf"

signed() {
	sig=$(printf '%s' "$1" | hmac_hex "$SECRET")
	post /webhooks/fake "$1" -H "X-Fake-Signature: $sig"
}
scrape() {
	curl -s -o "$T/metrics" -w '%{http_code}' "$@" "$URL/metrics"
}
# metric NAME{LABELS}: the value scraped, 0 when absent.
metric() {
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$T/metrics"
}

# The mix: each row of the table is a webhook and the status it gets.
while read -r want body; do
	case $body in
	bad:*) got=$(post /webhooks/fake "${body#bad:}" -H 'X-Fake-Signature: 00ff') ;;
	*) got=$(signed "$body") ;;
	esac
	check_eq "$body" "$want" "$got"
done <<'CASES'
200 from=%2B447700900801&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=k1
200 from=%2B447700900801&to=%2B447700900000&text=Jane+Smith+SE1+7PB&id=k1
200 from=%2B447700900802&to=%2B447700900000&text=Sam+Jones+M1+1AD&id=k2
200 from=%2B447700900803&to=%2B447700900000&text=hello+there&id=k3
200 from=%2B447700900804&to=%2B447700900000&text=STOP&id=k4
403 bad:from=%2B447700900805&text=Jo+SE1+7PB&id=k5
400 text=no+sender&id=k6
CASES
check_eq "unknown instance" "404" "$(post /webhooks/nobody 'x=1')"
wait_for "replies sent" "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')" "0" 20

check_eq "scrape" "200" "$(scrape)"
check_contains "content type" "text/plain; version=0.0.4" \
    "$(curl -s -o /dev/null -w '%{content_type}' "$URL/metrics")"
if command -v promtool >/dev/null 2>&1; then
	if promtool check metrics <"$T/metrics" >"$T/promtool" 2>&1; then ok
	else bad "promtool: $(cat "$T/promtool")"; fi
else
	bad "promtool is not installed (scripts/deps.sh metrics)"
fi

# The counters against the database.
check_eq "accepted = inbound rows" "$(sql "SELECT count(*) FROM inbound WHERE instance = 'fake'")" \
    "$(metric 'gateway_inbound_total{instance="fake",outcome="accepted"}')"
check_eq "duplicate" "1" "$(metric 'gateway_inbound_total{instance="fake",outcome="duplicate"}')"
check_eq "bad signature" "1" "$(metric 'gateway_inbound_total{instance="fake",outcome="bad_signature"}')"
check_eq "malformed" "1" "$(metric 'gateway_inbound_total{instance="fake",outcome="malformed"}')"
check_eq "unknown instance" "1" "$(metric 'gateway_inbound_total{instance="(unknown)",outcome="rejected"}')"
for kind in coverage nearest region national out_of_area none; do
	check_eq "leads $kind" \
	    "$(sql "SELECT count(*) FROM leads WHERE coalesce(nullif(match_kind, ''), 'none') = '$kind'")" \
	    "$(metric "gateway_leads_total{match_kind=\"$kind\"}")"
done
check_eq "opt-outs" "$(sql "SELECT count(*) FROM optouts")" "$(metric gateway_optouts_total)"
for state in queued sending sent delivered failed dead discarded; do
	check_eq "outbox $state" "$(sql "SELECT count(*) FROM outbox WHERE state = '$state'")" \
	    "$(metric "gateway_outbox_rows{state=\"$state\"}")"
done
check_eq "sends ok = sent" "$(sql "SELECT count(*) FROM outbox WHERE channel = 'sms' AND state = 'sent'")" \
    "$(metric 'gateway_sends_total{channel="sms",instance="fake",outcome="ok"}')"
check_eq "a batch per commit" "$(metric gateway_batch_size_count)" \
    "$(metric gateway_commit_duration_seconds_count)"
check_eq "every job in a batch" "$(awk '$1 ~ /^gateway_inbound_total/ && $1 ~ /outcome="(accepted|duplicate|part|unavailable)"/ { s += $2 } END { print s + 0 }' "$T/metrics")" \
    "$(metric gateway_batch_size_sum)"
[ "$(metric 'gateway_inbound_last_timestamp_seconds{instance="fake"}')" -gt 0 ] && ok || bad "no last inbound time"
[ "$(metric gateway_http_request_duration_seconds_count)" -ge 8 ] && ok || bad "requests not timed"
check_contains "build info" 'gateway_build_info{version="' "$(cat "$T/metrics")"

# One JSON line per message, the number masked.
grep '"msg":"webhook"' "$T/serve.err" >"$T/lines"
check_eq "a line per answered message" "6" "$(wc -l <"$T/lines")"
check_eq "json fields" "fake|+44770090****|accepted|coverage|1" "$(jq -r \
    'select(.number == "+44770090****" and .outcome == "accepted") | [.instance, .number, .outcome, .match_kind, (.ms | type == "number" | tostring | sub("true"; "1"))] | join("|")' \
    "$T/lines" | head -1)"
check_eq "no number whole" "0" "$(grep -c '90080[0-9]' "$T/serve.err")"
check_eq "every line is JSON" "0" "$(grep -v '^{' "$T/serve.err" | grep -vc 'ERROR\|^$' || true)"
stop_server

# The guard: another address is refused; a configured token is required.
cat >"$T/guarded.conf" <<CONF
[metrics]
allow_from = 127.0.0.1/32
token_sha256 = $TOKEN_SHA
CONF
start_server "$T/guarded.conf"
check_eq "no token" "401" "$(scrape)"
check_eq "wrong token" "401" "$(scrape -H 'Authorization: Bearer nope')"
check_eq "token" "200" "$(scrape -H "Authorization: Bearer $TOKEN")"
check_eq "other address" "403" "$(scrape --interface 127.0.0.2 -H "Authorization: Bearer $TOKEN")"
check_contains "text lines" " info serve: listening on" "$(cat "$T/serve.err")"
stop_server
printf '[metrics]\nallow_from = 10.0.0.0/33\n' >"$T/badnet.conf"
cat "$T/gateway.conf" "$T/badnet.conf" >"$T/bad.conf"
"$GATEWAY" --config "$T/bad.conf" check-config >/dev/null 2>"$T/err" && bad "a bad allow_from passed" || ok
check_contains "says which" "allow_from" "$(cat "$T/err")"

# Under systemd's journal: the level as a prefix, no time of our own.
: >"$T/serve.err"
export JOURNAL_STREAM=8:1234
start_server
unset JOURNAL_STREAM
check_eq "healthz" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
stop_server
check_contains "info as <6>" "<6>serve: listening on" "$(cat "$T/serve.err")"
check_contains "warn as <4>" "<4>serve: no [provider NAME]" "$(cat "$T/serve.err")"
check_eq "no timestamps" "0" "$(grep -c '^[0-9]\{4\}-' "$T/serve.err")"
finish
