# t150-provider-keys: each provider type's keys come from one table, which
# the README's list, `config show` and the config checks all read.
. tests/cli/lib.sh

# The README's list is what `gateway config keys` prints, line for line.
"$GATEWAY" config keys >"$T/keys"
grep -E '^- `[a-z-]+`: `' "$TOP/README.md" >"$T/readme"
check_eq "README lists every type's keys" "" "$(diff "$T/keys" "$T/readme")"
check_contains "a secret's _file is listed" '`auth_token` (required, secret, or `auth_token_file`)' "$(cat "$T/keys")"

# Every secret may come from KEY_file, whatever the type; config show says
# set or unset, never the value.
printf 'sid-secret-not-real\n' >"$T/api.secret"
printf 'vonage-api-secret-not-real\n' >"$T/vg.secret"
cat >"$T/keys.conf" <<CONF
[database]
path = $T/keys.db
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = twilio-token-not-real
api_key = SKtest
api_secret_file = $T/api.secret
from = +447700900000
base_url = http://127.0.0.1:9/twilio///
[provider vg]
type = vonage
api_key = abcd1234
api_secret_file = $T/vg.secret
signature_secret = vonage-signature-not-real
from = +447700900000
CONF
check_status "secrets from files" 0 "$GATEWAY" --config "$T/keys.conf" check-config
"$GATEWAY" --config "$T/keys.conf" config show >"$T/shown"
shown=$(cat "$T/shown")
case $shown in *not-real*) bad "config show printed a secret" ;; *) ok ;; esac
check_contains "inline secret is set" "auth_token = (set)" "$shown"
check_contains "file secret is set, and from where" "api_secret = (set, from $T/vg.secret)" "$shown"
check_contains "url trimmed once" "base_url = http://127.0.0.1:9/twilio" "$shown"
check_contains "a default shown" "signature_method = md5hash   ; default" "$shown"

# What the table refuses, at its line.
cat >"$T/bad.conf" <<CONF
[database]
path = $T/bad.db
[provider a]
type = vonage
api_key = abcd1234
api_secret = s
signature_secret = t
from = +447700900000
signature_method = md5
[provider b]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = x
from = +447700900000
base_url = ftp://example.org
[provider c]
type = plivo
auth_id = MAtest
auth_token = x
auth_token_file = $T/api.secret
from = +447700900000
[provider d]
type = kannel
token = tok
base_url = http://127.0.0.1:13013
username = u
password = p
colour = blue
[provider e]
type = telnyx
api_key = k
from = +447700900000
CONF
check_status "bad keys refused" 1 "$GATEWAY" --config "$T/bad.conf" check-config
err=$(cat "$T/err")
check_contains "value not allowed" "bad.conf:9: [provider a]: signature_method is md5hash, hmac-md5, hmac-sha1, hmac-sha256 or hmac-sha512, not \"md5\"" "$err"
check_contains "not a URL" "bad.conf:15: [provider b]: base_url must start with http:// or https://" "$err"
check_contains "inline and file" "bad.conf:20: [provider c]: set auth_token or auth_token_file, not both" "$err"
check_contains "unknown key" "bad.conf:28: [provider d]: unknown key \"colour\"" "$err"
check_contains "required secret" "[provider e]: public_key (or public_key_file) is required" "$err"
finish
