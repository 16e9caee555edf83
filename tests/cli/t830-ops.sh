# t830-ops: running it in production.  A backup taken under load is whole
# and holds every message acknowledged before it began; restore is refused
# while a server runs and works when it is stopped; doctor on good and bad
# setups; SIGHUP under load answers every request and the new replies are
# used from the next message on, while a bad config keeps the old one;
# config errors in several sections are all reported in one run.
. tests/cli/lib.sh

TOKEN=twilio-token-not-real
PUBLIC_URL=https://sms.example.org
LOADGEN=$TOP/build/loadgen
TAG=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
# The running server's config, for the commands beside it.
gw_serve() {
	"$GATEWAY" --config "$T/serve.conf" "$@"
}

# --- config errors, all of them, in one run -------------------------------
cat >"$T/bad.conf" <<CONF
[server]
threds = 4
threads = 2.5
[database]
path = $T/never.db
[provider p]
type = nosuch
[token t]
role = boss
sha256 = 00
CONF
check_status "bad config refused" 1 "$GATEWAY" --config "$T/bad.conf" check-config
err=$(cat "$T/err")
for want in 'bad.conf:2: unknown key "threds" in [server]' \
    'bad.conf:3: threads: expected a whole number' \
    'bad.conf:7: [provider p]: unknown type "nosuch"' \
    'bad.conf:9: [token t]: role is admin or viewer' \
    'bad.conf:10: [token t]: sha256 is'; do
	check_contains "one run reports: $want" "$want" "$err"
done
check_status "serve refuses it too" 1 "$GATEWAY" --config "$T/bad.conf" serve
check_contains "serve says where" 'bad.conf:7: [provider p]' "$(cat "$T/err")"
printf '[server]\nthreads = 2.5\n' >"$T/frac.conf"
check_status "threads = 2.5 refused" 1 "$GATEWAY" --config "$T/frac.conf" check-config
check_contains "whole number" "frac.conf:2: threads: expected a whole number" "$(cat "$T/err")"
printf '[server]\nthreads = 3\n' >"$T/int.conf"
check_status "threads = 3 is fine" 0 "$GATEWAY" --config "$T/int.conf" check-config

# --- doctor ---------------------------------------------------------------
check_status "doctor: broken config" 1 "$GATEWAY" --config "$T/bad.conf" doctor
check_contains "doctor: config FAIL" "FAIL  config:" "$(cat "$T/out")"
check_contains "doctor: errors on stderr" 'bad.conf:7:' "$(cat "$T/err")"
[ -e "$T/never.db" ] && bad "doctor created the database" || ok

cat >"$T/extra.conf" <<CONF
[conversation]
resignup_days = 0
[provider tw]
type = twilio
account_sid = ACtest000000000000000000000000000
auth_token = $TOKEN
from = +447700900000
[provider kan]
type = kannel
token = kannel-token-not-real
base_url = http://127.0.0.1:13013
username = u
password = p
CONF
start_server "$T/extra.conf"
check_status "doctor: good setup" 0 "$GATEWAY" --config "$T/serve.conf" doctor
out=$(cat "$T/out")
check_contains "doctor: integrity" "ok    database: $T/gateway.db: integrity_check ok" "$out"
check_contains "doctor: migrations" "ok    migrations: schema" "$out"
check_contains "doctor: no postcodes imported" "warn  postcodes: never imported" "$out"
check_contains "doctor: webhook URL" "webhook https://sms.example.org/webhooks/tw," "$out"
check_contains "doctor: kannel token masked" "webhook https://sms.example.org/webhooks/kan?token=****" "$out"
check_contains "doctor: https" "ok    public_url: https://sms.example.org" "$out"
case $out in *kannel-token-not-real*) bad "doctor printed a token" ;; *) ok ;; esac

printf '[server]\npublic_url = http://sms.example.org\n[database]\npath = %s\n' \
    "$T/gateway.db" >"$T/http.conf"
check_status "doctor: http only warns" 0 "$GATEWAY" --config "$T/http.conf" doctor
check_contains "doctor: not https" "warn  public_url: http://sms.example.org is not https" "$(cat "$T/out")"
head -c 8192 /dev/urandom >"$T/junk.db"
printf '[database]\npath = %s\n' "$T/junk.db" >"$T/junk.conf"
check_status "doctor: broken database" 1 "$GATEWAY" --config "$T/junk.conf" doctor
check_contains "doctor: database FAIL" "FAIL  database:" "$(cat "$T/out")"

# --- backup under load ----------------------------------------------------
# load ARGS...: the load generator at the server, in the background.
load() {
	"$LOADGEN" --url "$URL/webhooks/tw" --sign-url "$PUBLIC_URL/webhooks/tw" \
	    --token "$TOKEN" --tag "$TAG" --acked "$T/acked" \
	    --unacked "$T/unacked" --max-time 60 --concurrency 16 "$@" \
	    >"$T/load.out" 2>"$T/load.err"
}
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}
# wait_lines FILE N: until FILE has N lines (or 20 s).
wait_lines() {
	i=0
	while [ "$(lines "$1")" -lt "$2" ] && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}
figure() {
	sed -n "s/.* $1 \([-0-9]*\).*/\1/p; s/^$1 \([-0-9]*\).*/\1/p" "$T/load.out"
}

: >"$T/acked"
load --first 1 --count 2000 &
lpid=$!
wait_lines "$T/acked" 100
# Only whole lines: the generator may be writing the next one.
n=$(lines "$T/acked")
head -n "$n" "$T/acked" >"$T/acked.before"
check_status "backup while serving" 0 gw_serve backup "$T/backup.db"
wait $lpid
check_eq "load ran to the end" "0" "$(figure unacked)"
check_eq "backup passes integrity_check" "ok" "$(sqlite3 "$T/backup.db" 'PRAGMA integrity_check')"
[ -e "$T/backup.db.tmp" ] && bad "backup left its temporary file" || ok
held=$(sqlite3 "$T/backup.db" "CREATE TEMP TABLE ids (id TEXT PRIMARY KEY);" \
    ".mode csv" ".import $T/acked.before ids" \
    "SELECT count(*) FROM ids JOIN inbound ON inbound.instance = 'tw'
     AND inbound.ext_id = ids.id;")
check_eq "backup holds every message acknowledged before it" "$n" "$held"
check_status "backup to a folder that is not there fails" 1 gw_serve backup "$T/no/such/dir/b.db"
[ -e "$T/no/such/dir/b.db" ] && bad "a failed backup left a file" || ok

# --- restore refused while serving ---------------------------------------
check_status "restore refused while serving" 1 gw_serve restore "$T/backup.db"
check_contains "says a server is running" "a server is running" "$(cat "$T/err")"
check_status "restore refuses a file not ours" 1 gw_serve restore "$T/junk.db"

# --- SIGHUP under load -----------------------------------------------------
: >"$T/acked"
load --first 100000 --count 1500 &
lpid=$!
wait_lines "$T/acked" 100
cat >>"$T/serve.conf" <<CONF
[replies]
branch = Reloaded: {branch}, {contact}
region = Reloaded: {contact}
national = Reloaded: {contact}
out_of_area = Reloaded: {contact}
CONF
sed -i 's/^threads = 2$/threads = 3/' "$T/serve.conf"
kill -HUP "$SERVER_PID"
i=0
while ! grep -q "reload: config 2 in use" "$T/serve.err" && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
check_contains "reloaded" "reload: config 2 in use" "$(cat "$T/serve.err")"
check_contains "threads needs a restart" "[server] threads needs a restart" "$(cat "$T/serve.err")"
wait $lpid
check_eq "SIGHUP under load: every request acknowledged" "$(figure sent)" "$(figure acked)"
check_eq "SIGHUP under load: none unanswered" "0" "$(figure unacked)"
check_eq "SIGHUP under load: no time-out" "0" "$(figure timed_out)"
# The next message is answered with the new wording.
: >"$T/acked"
load --first 200000 --count 1
last=$(head -n 1 "$T/acked")
reply=$(sql "SELECT reply FROM inbound WHERE instance = 'tw' AND ext_id = '$last'")
check_contains "the new reply from the next message on" "Reloaded: " "$reply"

# A bad config on SIGHUP: the old one stays, each error with file:line.
cp "$T/serve.conf" "$T/serve.good"
lineno=$(($(wc -l <"$T/serve.conf") + 2))
printf '[replies]\nhelp = Hi {nmae}\n[provider zz]\ntype = nosuch\n' >>"$T/serve.conf"
kill -HUP "$SERVER_PID"
i=0
while ! grep -q "the old config stays" "$T/serve.err" && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
err=$(cat "$T/serve.err")
check_contains "bad reload: says the old one stays" "the old config stays" "$err"
check_contains "bad reload: template error with file:line" "serve.conf:$lineno: help: unknown field {nmae}" "$err"
check_contains "bad reload: provider error with file:line" "serve.conf:$((lineno + 2)): [provider zz]" "$err"
: >"$T/acked"
load --first 300000 --count 1
last=$(head -n 1 "$T/acked")
reply=$(sql "SELECT reply FROM inbound WHERE instance = 'tw' AND ext_id = '$last'")
check_contains "bad reload: the old (reloaded) replies stay" "Reloaded: " "$reply"
cp "$T/serve.good" "$T/serve.conf"

# --- restore once stopped --------------------------------------------------
rows=$(sqlite3 "$T/backup.db" "SELECT count(*) FROM inbound")
stop_server
check_status "restore once stopped" 0 gw_serve restore "$T/backup.db"
check_eq "the restored database is the backup" "$rows" "$(sql 'SELECT count(*) FROM inbound')"
[ -e "$T/gateway.db-wal" ] && [ -s "$T/gateway.db-wal" ] && bad "the old log is still beside it" || ok
check_status "doctor after restore" 0 gw_serve doctor
start_server "$T/extra.conf"
check_eq "serves the restored database" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")"
stop_server
finish
