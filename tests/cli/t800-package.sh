#!/bin/sh
# The Debian package and the systemd unit: make deb builds it, it holds the
# binary, the conffile and the unit, lintian finds no error, systemd-analyze
# verifies the unit and rates it 2.0 or better; and `gateway serve` speaks
# the sd_notify protocol (READY=1 once the port is open, WATCHDOG=1 under
# WATCHDOG_USEC, STOPPING=1 on SIGTERM).
. tests/cli/lib.sh

if ! scripts/deps.sh package >"$T/deps.out" 2>&1; then
	echo "t800-package: SKIP: cannot install debhelper, dpkg-dev, lintian," \
	    "systemd and socat ($(tail -1 "$T/deps.out"))"
	finish
fi

# --- the package ------------------------------------------------------------
if timeout 900 make --no-print-directory deb >"$T/deb.out" 2>&1; then ok; else
	bad "make deb: $(tail -20 "$T/deb.out")"
	finish
fi
DEB=$(ls build/deb/gateway_*.deb)
R=$T/root
dpkg -x "$DEB" "$R"
dpkg-deb -e "$DEB" "$T/control"

for f in usr/bin/gateway etc/gateway/gateway.conf \
    lib/systemd/system/gateway.service usr/lib/sysusers.d/gateway.conf \
    usr/lib/tmpfiles.d/gateway.conf usr/share/doc/gateway/copyright; do
	if [ -f "$R/$f" ]; then ok; else bad "the package has no /$f"; fi
done
check_eq "conffiles" "/etc/gateway/gateway.conf" "$(cat "$T/control/conffiles")"
check_status "installed gateway --help" 0 "$R/usr/bin/gateway" --help
check_contains "--help lists serve" "serve" "$(cat "$T/out" "$T/err")"
check_status "check-config on the installed config" 0 \
    "$R/usr/bin/gateway" --config "$R/etc/gateway/gateway.conf" check-config
conf=$("$R/usr/bin/gateway" --config "$R/etc/gateway/gateway.conf" config show)
check_contains "database under /var/lib" "path = /var/lib/gateway/gateway.db" "$conf"
check_contains "listens on loopback" "listen = 127.0.0.1:8080" "$conf"
check_contains "the release binary, not the sanitised one" "no" \
    "$(nm -D "$R/usr/bin/gateway" | grep -q __asan_init && echo asan || echo no)"
check_contains "postrm purges the database" "rm -rf /var/lib/gateway" \
    "$(cat "$T/control/postrm")"
check_contains "postinst makes the user" "systemd-sysusers" \
    "$(cat "$T/control/postinst")"

# doctor, from the installed tree on the installed config, its database
# moved to a scratch path: missing first, then made by the binary itself.
sed "s|^path = /var/lib/gateway/gateway.db$|path = $T/pkg.db|" \
    "$R/etc/gateway/gateway.conf" >"$T/pkg.conf"
check_status "doctor: no database yet fails" 1 \
    "$R/usr/bin/gateway" --config "$T/pkg.conf" doctor
check_contains "doctor: says the database is missing" "FAIL  database: $T/pkg.db" "$(cat "$T/out")"
check_contains "doctor: the config is fine" "ok    config: $T/pkg.conf" "$(cat "$T/out")"
check_status "the installed binary makes the database" 0 \
    "$R/usr/bin/gateway" --config "$T/pkg.conf" branch list
check_status "doctor on the installed config" 0 \
    "$R/usr/bin/gateway" --config "$T/pkg.conf" doctor
doc=$(cat "$T/out")
check_contains "doctor: integrity" "ok    database: $T/pkg.db: integrity_check ok" "$doc"
check_contains "doctor: migrations" "ok    migrations: schema" "$doc"
check_contains "doctor: no alarm" "ok    alarms: none raised" "$doc"
check_contains "doctor: its verdict" "0 failed, " "$doc"

lintian --fail-on error "$DEB" >"$T/lintian.out" 2>&1
check_eq "lintian errors" "" "$(grep '^E:' "$T/lintian.out")"

# --- the unit -----------------------------------------------------------------
sed "s|/usr/bin/gateway|$R/usr/bin/gateway|g" \
    "$R/lib/systemd/system/gateway.service" >"$T/gateway.service"
check_eq "systemd-analyze verify" "" \
    "$(systemd-analyze verify "$T/gateway.service" 2>&1)"
level=$(systemd-analyze security --offline=true "$T/gateway.service" 2>&1 |
    sed -n 's/.*Overall exposure level for gateway.service: \([0-9.]*\).*/\1/p')
check_eq "exposure $level at most 2.0" yes \
    "$(echo "$level" | awk '$1 != "" && $1 <= 2.0 {print "yes"}')"

# --- sd_notify ------------------------------------------------------------------
socat -u UNIX-RECV:"$T/notify.sock" OPEN:"$T/notify.log",creat,append &
FAKE_PIDS="$FAKE_PIDS $!"
i=0
while [ ! -S "$T/notify.sock" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
printf '[server]\nlisten = 127.0.0.1:0\n[database]\npath = %s\nexample_data = yes\n' \
    "$T/gateway.db" >"$T/serve.conf"
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=400000 \
    "$GATEWAY" --config "$T/serve.conf" serve >"$T/serve.out" 2>"$T/serve.err" &
SERVER_PID=$!

# wait_notify TEXT: poll the listener's log for TEXT (up to 20 s); socat
# writes the datagrams one after another, with no separator.
wait_notify() {
	i=0
	while [ $i -lt 200 ]; do
		grep -qF "$1" "$T/notify.log" 2>/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}
if wait_notify READY=1; then ok; else bad "no READY=1: $(cat "$T/serve.err")"; fi
# READY=1 came after the port was bound: it answers at once.
PORT=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$T/serve.out")
check_eq "healthz right after READY=1" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT:-1}/healthz")"
check_contains "STATUS names the port" "STATUS=listening on port $PORT" \
    "$(cat "$T/notify.log")"
if wait_notify WATCHDOG=1; then ok; else bad "no WATCHDOG=1 under WATCHDOG_USEC"; fi
check_eq "no STOPPING=1 before SIGTERM" "" "$(grep -F STOPPING=1 "$T/notify.log")"
kill -TERM "$SERVER_PID"
if wait "$SERVER_PID"; then ok; else bad "serve exit status $?: $(tail "$T/serve.err")"; fi
SERVER_PID=""
if wait_notify STOPPING=1; then ok; else bad "no STOPPING=1 on SIGTERM"; fi

finish
