# t840-faults: the disk fails under the running server -- full, then
# read-only -- by an LD_PRELOAD shim (tests/tools/faultfs.c) that fails the
# database's writes and syncs while a control file exists.  Webhooks get
# 503, /readyz says why, an alarm reaches the [alerts] webhook although the
# database cannot queue it, and once the fault clears serving resumes by
# itself: the provider's retry gets 200, the message is stored once, and
# the clearing is alarmed too.  Then a silent instance: alarmed once,
# cleared by the next message, and the state survives a restart.
. tests/cli/lib.sh

# The shim goes in ahead of ASan's runtime, which then must not insist on
# coming first; its own calls go on through ASan's interceptors.
REAL_GATEWAY=$GATEWAY
cat >"$T/faulty-gateway" <<EOF
#!/bin/sh
LD_PRELOAD="$TOP/build/faultfs.so" FAULTFS_CONTROL="$T/fault" \\
FAULTFS_PATH="$(realpath "$T")/gateway.db" \\
ASAN_OPTIONS="\${ASAN_OPTIONS:-detect_leaks=1}:verify_asan_link_order=0" \\
exec "$REAL_GATEWAY" "\$@"
EOF
chmod +x "$T/faulty-gateway"
GATEWAY=$T/faulty-gateway

start_fake hook
HOOK=$FAKE_PORT
start_fake smtp --smtp
SMTP=$FAKE_PORT
cat >"$T/extra.conf" <<CONF
[notify]
smtp_url = smtp://127.0.0.1:$SMTP
smtp_starttls = no
[alerts]
email = ops@example.org
webhook_url = http://127.0.0.1:$HOOK/hooks/alerts
webhook_secret = alert-secret-not-real
[provider fk]
type = fake
allow_unsigned = yes
CONF
start_server "$T/extra.conf"

# wait_hook N [SINK]: until the sink (hook) has N requests; fails after
# 20 s.
wait_hook() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(wc -l <"$T/${2:-hook}.log")" -ge "$1" ] && { ok; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	bad "waited for alert $1; ${2:-hook} has: $(cat "$T/${2:-hook}.log")"
	return 1
}

# wait_readyz WHAT PATH WANT: until /readyz has WANT at PATH (the alarms
# are looked at once a second); its body in $T/ready.
wait_readyz() {
	i=0
	while [ $i -lt 200 ]; do
		curl -s -o "$T/ready" "$URL/readyz"
		[ "$(jget "$(cat "$T/ready")" "$2")" = "$3" ] && { ok; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	bad "$1: waited for $2 = $3 in /readyz: $(cat "$T/ready")"
	return 1
}

check_eq "stored before any fault" 200 \
    "$(post /webhooks/fk 'from=%2B447700900811&text=Jane+Smith+SE1+7PB&id=f0')"

n=0
# fault ERRNO WHAT ID: the disk fails; then it heals.
fault() {
	errno=$1 why=$2 id=$3
	echo "$errno" >"$T/fault"
	check_eq "$errno: the webhook gets 503" 503 \
	    "$(post /webhooks/fk "from=%2B447700900812&text=Ann+SE1+7PB&id=$id")"
	curl -s -o "$T/ready" -w '%{http_code}' "$URL/readyz" >"$T/code"
	check_eq "$errno: /readyz is 503" 503 "$(cat "$T/code")"
	check_contains "$errno: /readyz says why" "$why" \
	    "$(jget "$(cat "$T/ready")" '$.checks.writer.error')"
	n=$((n + 1))
	wait_hook $n
	alert=$(sed -n "${n}p" "$T/hook.log")
	body=$(jget "$alert" '$.body')
	check_eq "$errno: the alarm's path" "/hooks/alerts" "$(jget "$alert" '$.path')"
	check_eq "$errno: a storage alarm, raised" "storage raised" \
	    "$(jget "$body" '$.alarm.kind') $(jget "$body" '$.alarm.state')"
	check_contains "$errno: it says what" "NOTHING CAN BE STORED" "$(jget "$body" '$.text')"
	check_contains "$errno: and why" "$why" "$(jget "$body" '$.text')"
	sig=$(printf '%s' "$body" | hmac_hex alert-secret-not-real)
	check_eq "$errno: signed" "sha256=$sig" "$(jget "$alert" '$.headers."X-Gateway-Signature"')"
	curl -s -o "$T/ready" "$URL/readyz"
	check_eq "$errno: listed in /readyz" "storage" "$(jget "$(cat "$T/ready")" '$.alarms[0].kind')"
	wait_hook $n smtp
	mail=$(sed -n "${n}p" "$T/smtp.log")
	check_eq "$errno: e-mailed too" '["ops@example.org"]' "$(jget "$mail" '$.to')"
	check_contains "$errno: the subject says what" "storage raised" "$(jget "$mail" '$.data')"

	# The disk heals: the provider's retry is stored, once.
	rm -f "$T/fault"
	check_eq "$errno: the retry gets 200" 200 \
	    "$(post /webhooks/fk "from=%2B447700900812&text=Ann+SE1+7PB&id=$id")"
	check_eq "$errno: stored once" 1 "$(sql "SELECT count(*) FROM inbound WHERE ext_id = '$id'")"
	wait_readyz "$errno: ready again" '$.ready' 1
	wait_readyz "$errno: no alarm left" '$.alarms[0]' null
	n=$((n + 1))
	wait_hook $n
	body=$(jget "$(sed -n "${n}p" "$T/hook.log")" '$.body')
	check_eq "$errno: cleared, through the outbox" "storage cleared" \
	    "$(jget "$body" '$.alarm.kind') $(jget "$body" '$.alarm.state')"
	check_contains "$errno: it says so" "storing again" "$(jget "$body" '$.text')"
	check_contains "$errno: and what it was" "$why" "$(jget "$body" '$.text')"
	wait_hook $n smtp
	check_contains "$errno: e-mailed, cleared" "storage cleared" \
	    "$(jget "$(sed -n "${n}p" "$T/smtp.log")" '$.data')"
}

fault ENOSPC "No space left on device" f1
fault EROFS "Read-only file system" f2
check_contains "the fault is logged" "NOTHING CAN BE STORED" "$(cat "$T/serve.err")"
check_contains "and its end" "storing again" "$(cat "$T/serve.err")"
stop_server

# Silence: a second instance with alarm_silence; hours that cover the day.
cat >>"$T/extra.conf" <<CONF
alarm_silence = 1s
[provider quiet]
type = fake
allow_unsigned = yes
alarm_silence = 1d
[alerts]
alarm_hours = 00:00-24:00
CONF
: >"$T/hook.log"
: >"$T/smtp.log"
start_server "$T/extra.conf"
wait_hook 1
body=$(jget "$(sed -n 1p "$T/hook.log")" '$.body')
check_eq "silence: raised for the silent instance" "silence raised fk" \
    "$(jget "$body" '$.alarm.kind') $(jget "$body" '$.alarm.state') $(jget "$body" '$.alarm.instance')"
wait_for "silence: raised once, in the database" \
    "SELECT count(*) FROM instance_activity WHERE silent_since > 0" 1
curl -s -o "$T/ready" -w '%{http_code}' "$URL/readyz" >"$T/code"
check_eq "silence: /readyz stays 200" 200 "$(cat "$T/code")"
check_eq "silence: and lists it" "silence fk" \
    "$(jget "$(cat "$T/ready")" '$.alarms[0].kind') $(jget "$(cat "$T/ready")" '$.alarms[0].instance')"
stop_server
check_status "doctor runs" 0 "$GATEWAY" --config "$T/serve.conf" doctor
check_contains "doctor lists the alarm" "alarm: fk silent" "$(cat "$T/out")"
check_contains "doctor tells of the other" "silence: quiet: " "$(cat "$T/out")"

# A restart neither raises it again nor forgets it; the next message
# clears it, once (and no new silence is long enough for an hour).
sed -i 's/^alarm_silence = 1s$/alarm_silence = 1h/' "$T/extra.conf"
start_server "$T/extra.conf"
check_eq "restart: still listed" "fk" "$(jget "$(curl -s "$URL/readyz")" '$.alarms[0].instance')"
check_eq "a message" 200 "$(post /webhooks/fk 'from=%2B447700900813&text=Kim+SE1+7PB&id=s1')"
wait_hook 2
body=$(jget "$(sed -n 2p "$T/hook.log")" '$.body')
check_eq "silence: cleared by the message" "silence cleared fk" \
    "$(jget "$body" '$.alarm.kind') $(jget "$body" '$.alarm.state') $(jget "$body" '$.alarm.instance')"
check_eq "nothing else sent" 2 "$(wc -l <"$T/hook.log")"
wait_hook 2 smtp
check_contains "e-mailed: raised, then cleared" "silence raised: fk" "$(jget "$(sed -n 1p "$T/smtp.log")" '$.data')"
check_contains "e-mailed: cleared" "silence cleared: fk" "$(jget "$(sed -n 2p "$T/smtp.log")" '$.data')"
stop_server

# Config errors, each with its line.
printf '[provider x]\ntype = fake\nallow_unsigned = yes\nalarm_silence = 6 hours\n[alerts]\nalarm_hours = 8-22\n' >"$T/bad.conf"
check_status "bad durations and hours are errors" 1 "$REAL_GATEWAY" --config "$T/bad.conf" check-config
check_contains "the duration's line" "bad.conf:4: [provider x]: alarm_silence" "$(cat "$T/err")"
check_contains "the hours' line" "bad.conf:6: alarm_hours" "$(cat "$T/err")"
finish
