# t180-first-run: a newcomer's first minutes.  `gateway serve` on the
# embedded defaults (no gateway.conf, as `make run` starts it, but on a
# free port in a scratch folder): a text curled at the fake webhook, as the
# README says, has its reply printed on the terminal and marked sent at
# once; a one-time admin token is printed, works on the admin API for that
# run alone, and is written nowhere else.  Never with a config file, nor
# where a token is configured.
. tests/cli/lib.sh

FIRST=$T/first
mkdir -p "$FIRST"
sqlf() { sqlite3 "$FIRST/gateway.db" "$1"; }

# first_start: serve on the embedded defaults in $FIRST, --listen on a free
# loopback port (what `make run LISTEN=...` passes); sets PORT and URL.
first_start() {
	: >"$FIRST/serve.out"
	(cd "$FIRST" && exec "$GATEWAY" serve --listen 127.0.0.1:0 \
	    >"$FIRST/serve.out" 2>>"$FIRST/serve.err") &
	SERVER_PID=$!
	PORT=""
	i=0
	while [ $i -lt 300 ]; do
		PORT=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$FIRST/serve.out")
		[ -n "$PORT" ] && curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	[ -n "$PORT" ] || { bad "server did not start: $(cat "$FIRST/serve.err")"; finish; }
	URL="http://127.0.0.1:$PORT"
}

# wait_out WHAT FILE TEXT: poll FILE until it holds TEXT (20 s at most).
wait_out() {
	i=0
	while [ $i -lt 200 ]; do
		grep -qF -- "$3" "$2" && { ok; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	bad "$1: waited 20s for [$3] in [$(cat "$2")]"
	return 1
}


token_of() { sed -n 's/^admin token: \([0-9a-f]*\) .*/\1/p' "$1"; }

first_start

# The text the README tells a newcomer to send, and its reply on stdout.
check_eq "the text is taken" "200" "$(curl -s -o /dev/null -w '%{http_code}' \
    -d 'from=%2B447700900123&text=Jane+Smith+SE1+7PB&id=1' "$URL/webhooks/fake")"
wait_out "the reply is printed" "$FIRST/serve.out" \
    "--- SMS to +447700900123 from +447700900000 (fake provider: printed, not sent) ---"
out=$(cat "$FIRST/serve.out")
check_contains "with its words" "Hi Jane Smith! Your nearest branch is Southwark" "$out"
check_contains "its segments and encoding" "2 segments, GSM-7, 170 septets; id fake-" "$out"
check_eq "the row is sent, once, without an error" "sent|1||1" \
    "$(sqlf "SELECT state, attempts, last_error, ext_id LIKE 'fake-%' FROM outbox WHERE purpose = 'reply'")"
check_eq "the printed id is the row's" "1" \
    "$(printf '%s\n' "$out" | grep -cF "id $(sqlf "SELECT ext_id FROM outbox WHERE purpose = 'reply'") ---")"

# The one-time token: printed with the page's address, an admin's.
TOKEN=$(token_of "$FIRST/serve.out")
check_eq "a token of 64 hex digits" "64" "${#TOKEN}"
check_contains "the page's address" "admin page: $URL/admin/#token=$TOKEN" "$out"
check_eq "no token: refused" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/api/outbox")"
check_eq "another token: refused" "401" "$(api "0$TOKEN" GET outbox)"
check_eq "the token reads the outbox" "200" "$(api "$TOKEN" GET outbox)"
check_contains "the reply is there, sent" '"state":"sent"' "$(cat "$T/resp")"
check_eq "and may write" "204" "$(api "$TOKEN" POST optouts '{"phone":"07700 900970"}')"
check_eq "audited under its name" "token:first-run" \
    "$(sqlf "SELECT actor FROM audit WHERE record LIKE 'optout%' ORDER BY id DESC LIMIT 1")"
check_eq "the page is served" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/")"
check_contains "and signs in from #token=" '"#token="' "$(curl -s "$URL/admin/app.js")"

# Only the terminal saw it: not the log, not the database or its files.
check_eq "not in the log" "0" "$(grep -c "$TOKEN" "$FIRST/serve.err")"
check_eq "nowhere on disk but the terminal's capture" "" \
    "$(grep -rl "$TOKEN" "$FIRST" | grep -v '/serve.out$')"

# A restart: the old token stops working, a new one is printed.
stop_server
check_eq "stopped on its own" "" "$(grep 'runtime error' "$FIRST/serve.err")"
first_start
NEW=$(token_of "$FIRST/serve.out")
check_eq "a new token" "64" "${#NEW}"
if [ "$NEW" != "$TOKEN" ]; then ok; else bad "the same token after a restart"; fi
check_eq "the old one is refused" "401" "$(api "$TOKEN" GET outbox)"
check_eq "the new one works" "200" "$(api "$NEW" GET outbox)"
stop_server

# A config file, even one like the defaults: no token printed.  With a
# token configured, that one works and nothing else is printed either.
ADMIN=admin-token-not-real
cat >"$T/tokens.conf" <<CONF
$(token_conf ada admin "$ADMIN")
[provider fake]
type = fake
allow_unsigned = yes
CONF
start_server "$T/tokens.conf"
check_eq "configured: no token printed" "" "$(grep -i 'admin token\|#token=' "$T/serve.out")"
check_eq "the configured token works" "200" "$(api "$ADMIN" GET outbox)"
post /webhooks/fake 'from=%2B447700900124&text=Tom+M1+1AD&id=c1' >/dev/null
wait_out "a fake without base_url prints too" "$T/serve.out" "--- SMS to +447700900124 from"
stop_server

# The fake's deliver and base_url: one or the other.
printf '[provider p]\ntype = fake\nallow_unsigned = yes\ndeliver = http\n' >"$T/bad.conf"
check_status "deliver = http needs base_url" 1 "$GATEWAY" --config "$T/bad.conf" check-config
check_contains "says so, at its line" "bad.conf:4: [provider p]: deliver = http needs base_url" "$(cat "$T/err")"
printf '[provider p]\ntype = fake\nallow_unsigned = yes\ndeliver = print\nbase_url = http://127.0.0.1:9\n' >"$T/bad.conf"
check_status "deliver = print with base_url" 1 "$GATEWAY" --config "$T/bad.conf" check-config
check_contains "says which" "deliver = print sends nothing to base_url (line 5)" "$(cat "$T/err")"
finish
