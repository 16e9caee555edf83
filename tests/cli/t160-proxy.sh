# t160-proxy: behind a reverse proxy.  The same Twilio-signed request is
# accepted with X-Forwarded-* from a peer in trusted_proxies and refused
# (403) from any other; malformed values are ignored, never fatal; a bad
# trusted_proxies is reported as file:line.
. tests/cli/lib.sh

TW_TOKEN=twilio-token-not-real
# Where the provider was told to call: the proxy's address, under a prefix.
SIGNED_URL=https://sms.example.org/gw

# tw_sig URL BODY: X-Twilio-Signature for a form POST to URL (the bodies
# here escape only "+").
tw_sig() {
	params=$(printf '%s' "$2" | tr '&' '\n' | LC_ALL=C sort | sed 's/=//; s/+/ /g; s/%2B/+/g' | tr -d '\n')
	printf '%s%s' "$1" "$params" | openssl dgst -sha1 -hmac "$TW_TOKEN" -binary | base64 | tr -d '\n'
}

# --- Config errors name the file and line.
cat >"$T/bad.conf" <<CONF
[server]
trusted_proxies = 127.0.0.1, 10.0.0.0/33
CONF
check_status "bad range refused" 1 "$GATEWAY" --config "$T/bad.conf" check-config
check_contains "file:line" "$T/bad.conf:2: trusted_proxies: \"10.0.0.0/33\" is not an IP address or CIDR range" "$(cat "$T/err")"
printf '[server]\ntrusted_proxies = proxy.example.org\n' >"$T/bad2.conf"
check_status "a name refused" 1 "$GATEWAY" --config "$T/bad2.conf" check-config
check_contains "names it" "proxy.example.org" "$(cat "$T/err")"
printf '[server]\ntrusted_proxies = 127.0.0.1 ::1, 10.0.0.0/8,fd00::/8\n' >"$T/good.conf"
check_status "IPv4 and IPv6, commas or spaces" 0 "$GATEWAY" --config "$T/good.conf" check-config

cat >"$T/providers.conf" <<CONF
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TW_TOKEN
from = +447700900000
CONF
sed -i '1i [server]\ntrusted_proxies = 127.0.0.1, ::1\n[log]\nlevel = debug' "$T/providers.conf"
start_server "$T/providers.conf"

n=0
# tw_post SOURCE_ADDRESS SIGNED_FOR [HEADER...]: a new message each time.
tw_post() {
	src=$1 url=$2
	shift 2
	n=$((n + 1))
	body="MessageSid=SMproxy$n&From=%2B4477009006$((10 + n))&To=%2B447700900000&Body=Jane+Smith+SE1+7PB"
	post /webhooks/tw "$body" --interface "$src" -H "X-Twilio-Signature: $(tw_sig "$url/webhooks/tw" "$body")" "$@"
}
FWD="-H X-Forwarded-Proto:https -H X-Forwarded-Host:sms.example.org -H X-Forwarded-Prefix:/gw"

# shellcheck disable=SC2086
check_eq "trusted proxy, forwarded URL" "200" "$(tw_post 127.0.0.1 "$SIGNED_URL" $FWD)"
check_contains "answered" "<Message>Hi Jane Smith!" "$(cat "$T/resp")"
# shellcheck disable=SC2086
check_eq "another peer: headers ignored" "403" "$(tw_post 127.0.0.2 "$SIGNED_URL" $FWD)"
check_eq "trusted, but no headers" "403" "$(tw_post 127.0.0.1 "$SIGNED_URL")"
check_eq "no headers: the listen URL" "200" "$(tw_post 127.0.0.2 "$URL")"
check_eq "a list counts by its last value" "200" "$(tw_post 127.0.0.1 "$SIGNED_URL" \
    -H 'X-Forwarded-Proto: http, https' -H 'X-Forwarded-Host: sms.example.org' -H 'X-Forwarded-Prefix: /gw/')"
check_eq "a port kept" "200" "$(tw_post 127.0.0.1 "https://sms.example.org:8443" \
    -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-Host: sms.example.org:8443')"
check_eq "the prefix alone" "200" "$(tw_post 127.0.0.1 "${URL}/gw" -H 'X-Forwarded-Prefix: /gw')"
# Malformed values are ignored one by one: the rest of the URL stands.
for h in 'X-Forwarded-Host: evil.example/x' 'X-Forwarded-Host: a@b' 'X-Forwarded-Host: [::1' \
    'X-Forwarded-Host: h:99999' 'X-Forwarded-Proto: gopher' 'X-Forwarded-Prefix: gw' \
    'X-Forwarded-Prefix: /a/../b' 'X-Forwarded-Prefix: /a?b=1' 'X-Forwarded-Host: '; do
	check_eq "ignored: $h" "200" "$(tw_post 127.0.0.1 "$URL" -H "$h")"
done
check_contains "said at debug" "X-Forwarded-Host from 127.0.0.1 is not host[:port]: ignored" "$(cat "$T/serve.err")"
check_eq "sent twice differently: ignored" "200" "$(tw_post 127.0.0.1 "$URL" \
    -H 'X-Forwarded-Host: sms.example.org' -H 'X-Forwarded-Host: other.example.org')"
long=$(printf 'a%.0s' $(seq 1 400))
check_eq "too long: ignored" "200" "$(tw_post 127.0.0.1 "$URL" -H "X-Forwarded-Host: $long.example")"
check_eq "still up" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
stop_server
finish
