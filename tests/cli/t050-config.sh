# t050-config: every error reported as file:line, the example lists every
# key, and a bad config stops before touching anything.
. tests/cli/lib.sh

cat >"$T/bad.conf" <<CONF
[database]
path = $T/other.db
synchronus = full

[matching]
radius_km = far
[replies]
branch = Hi {nmae}
[nonsense]
x = 1
[notify]
quiet_hours = 22-07
CONF
check_status "bad config" 1 "$GATEWAY" --config "$T/bad.conf" check-config
err=$(cat "$T/err")
check_contains "typo key" "bad.conf:3: unknown key \"synchronus\" in [database]" "$err"
check_contains "bad number" "bad.conf:6: radius_km: expected a number" "$err"
check_contains "unknown field" "bad.conf:8: branch: unknown field {nmae}" "$err"
check_contains "unknown section" "bad.conf:10: unknown section [nonsense]" "$err"
check_contains "quiet hours not hours" "bad.conf:12: quiet_hours: expected local hours" "$err"
check_status "bad config stops commands" 1 "$GATEWAY" --config "$T/bad.conf" locate "Jo SE1 7PB"
[ -e "$T/other.db" ] && bad "a bad config created the database" || ok

check_status "example config is valid" 0 "$GATEWAY" --config "$TOP/gateway.conf.example" check-config
# Every key the gateway knows is in the example, and no other.
"$GATEWAY" --config "$TOP/gateway.conf.example" config show | grep ' = ' | cut -d' ' -f1 | sort >"$T/known"
grep -E '^[a-z0-9_]+ =' "$TOP/gateway.conf.example" | cut -d' ' -f1 | sort >"$T/example"
check_eq "example lists every key" "" "$(diff "$T/known" "$T/example")"

printf '[notify]\nsmtp_password = hunter2-not-real\n[provider p]\ntype = fake\nsecret = s3cret-not-real\n' >"$T/sec.conf"
"$GATEWAY" --config "$T/sec.conf" config show >"$T/shown"
case $(cat "$T/shown") in *hunter2*|*s3cret*) bad "config show printed a secret" ;; *) ok ;; esac
check_contains "says it is hidden" "smtp_password = (hidden)" "$(cat "$T/shown")"
check_status "missing file" 1 "$GATEWAY" --config "$T/none.conf" check-config
check_status "unknown command" 2 gw frobnicate
check_status "usage" 2 gw locate
printf '[replies]\nhelp = Long line %s\n' "$(head -c 3000 /dev/zero | tr '\0' 'x')" >"$T/long.conf"
check_status "long lines" 0 "$GATEWAY" --config "$T/long.conf" check-config
finish
