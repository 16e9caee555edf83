#!/bin/sh
# Signed Twilio webhooks into `gateway serve`, measured beside nginx the way
# a user would deploy both, on loopback with wrk.  Prints figures; asserts
# nothing (the targets are printed as met or missed).
#
# - The same 600,000 requests for both (REQUESTS): each carries all 20
#   fields of Twilio's inbound set and its own MessageSid, a sender in the
#   drama range and a text with one of many names and a real postcode drawn
#   from the NSPL, signed as Twilio signs it for PUBLIC_URL.
# - The gateway as deployed: release build, defaults (threads included)
#   but for `synchronous = full`, the full NSPL imported with `gateway
#   postcodes import`, 50 branches at random real postcodes (SEED).
# - nginx as deployed: Debian's nginx.conf shape, `worker_processes auto`,
#   answering the gateway's own TwiML answer with `return 200`.
# - The gateway again on a copy of the same database holding 1,000,000
#   leads and their messages, seeded with SQL.
# - The gateway again on PostgreSQL 15 ([database] url), on a copy of the
#   fresh database's data, with the same requests: a scratch cluster made
#   by initdb with its defaults (shared_buffers, fsync and
#   synchronous_commit on, full_page_writes), on a Unix socket.  Skipped,
#   saying so, where PostgreSQL is not installed (PG_BIN).
# - wrk -t2 -c64 -d10s, 3 rounds of each, interleaved (nginx, fresh, 1M) so
#   that load from elsewhere on the machine falls on all three alike;
#   medians.  Every 2xx must be in the database.
set -eu
cd "$(dirname "$0")/.."
SHARED_DIR=${SHARED_DIR:-../shared}
NSPL=$SHARED_DIR/data/postcodes/nspl_2025_05_postcode_latlong.csv.xz
CONNS=${CONNS:-64}
SECS=${SECS:-10}
ROUNDS=3			# serve.lua splits the requests for 3 rounds
REQUESTS=${REQUESTS:-600000}
SEED=${SEED:-1}
LEADS=${LEADS:-1000000}
PUBLIC_URL=https://sms.example.org
WEBHOOK=/webhooks/twilio
TOKEN=bench-token-not-real

if [ ! -f "$NSPL" ]; then
	echo "serve: $NSPL not found; skipping the serve benchmark"
	exit 0
fi
scripts/deps.sh bench
${MAKE:-make} --no-print-directory build/gateway build/bench-sign >/dev/null

T=$(mktemp -d)
PIDS=""
PGD=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	if [ -n "$PGD" ]; then
		[ -f "$PGD/data/postmaster.pid" ] && $PG_AS "$PG_BIN/pg_ctl" \
		    -D "$PGD/data" -m fast -w stop >/dev/null 2>&1
		rm -rf "$PGD"
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
HZ=$(getconf CLK_TCK)
now() { date +%s; }
START=$(now)

# --- data -----------------------------------------------------------------
conf() {	# conf DB: a gateway.conf on its defaults but for these keys
	cat <<CONF
[server]
listen = 127.0.0.1:0
; What the requests were signed for: a deployment behind a TLS proxy.
public_url = $PUBLIC_URL
[database]
path = $1
synchronous = full
[conversation]
; The drama range has 1,000 numbers; real senders are mostly new ones, so
; every text here is a lead of its own (an INSERT, not an UPDATE).
resignup_days = 0
[provider twilio]
type = twilio
account_sid = AC0b1e5c4d2a7f9e3b6c8d0a1f2e4b6c8d
auth_token = $TOKEN
from = +447700900000
CONF
}
conf "$T/fresh.db" >"$T/fresh.conf"
conf "$T/leads.db" >"$T/leads.conf"
xz -dc "$NSPL" >"$T/nspl.csv"
echo "== data (seed $SEED): full NSPL, 50 random branches, $REQUESTS requests"
build/gateway --config "$T/fresh.conf" postcodes import "$T/nspl.csv" |
    sed 's/^/  /'

# 50 branches at random real postcodes in England and Wales (the rest is
# answered by the out-of-area rule), by reservoir sampling.
awk -v seed="$SEED" -v n=50 '
BEGIN { FS = ","; srand(seed); split("Mondays Tuesdays Wednesdays Thursdays Saturdays", day, " ") }
NR == 1 || $2 == "" { next }
{ a = $1; sub(/[0-9].*/, "", a) }
a ~ /^(AB|DD|DG|EH|FK|G|HS|IV|KA|KW|KY|ML|PA|PH|TD|ZE|BT|GY|JE|IM|GIR|NPT)$/ { next }
{ seen++; if (seen <= n) pick[seen] = $0; else if ((r = int(rand() * seen)) < n) pick[r + 1] = $0 }
END {
	print "name,postcode,latitude,longitude,meets,contact_name,contact_phone,contact_email,region,coverage,active"
	for (i = 1; i <= n; i++) {
		split(pick[i], f, ",")
		printf "Branch %02d %s,%s,%s,%s,%s %dpm at the library,Organiser %02d,07700 900%03d,branch%02d@example.org,,,yes\n", i, f[1], f[1], f[2], f[3], day[i % 5 + 1], 6 + i % 3, i, 100 + i, i
	}
}' "$T/nspl.csv" >"$T/branches.csv"
build/gateway --config "$T/fresh.conf" branch import "$T/branches.csv" >/dev/null
echo "  branches: $(sqlite3 "$T/fresh.db" 'SELECT count(*) FROM branches WHERE lat IS NOT NULL') placed"

# One more than REQUESTS: the last is the warm-up, which also shows the
# signatures are right and gives nginx the gateway's answer to serve.
build/bench-sign "$PUBLIC_URL$WEBHOOK" "$TOKEN" $((REQUESTS + 1)) \
    "$T/nspl.csv" "$SEED" >"$T/all.tsv"
tail -n 1 "$T/all.tsv" >"$T/warmup.tsv"
head -n "$REQUESTS" "$T/all.tsv" >"$T/requests.tsv"
split -n l/$((2 * ROUNDS)) -d -a 1 "$T/requests.tsv" "$T/seg"
rm -f "$T/all.tsv" "$T/requests.tsv" "$T/nspl.csv"
echo "  requests: $(wc -c <"$T/seg0" | awk '{printf "%.0f", $1 / 1024}') KB a sixth," \
    "$(awk -F'\t' '{n += length($2)} END {printf "%.0f", n / NR}' "$T/seg0") bytes of body each"

# The 1M-leads database: the same one, plus LEADS messages and their leads
# spread over the past year (as a year of texting leaves them), written
# without the gateway: this is setup, not measurement.
cp "$T/fresh.db" "$T/leads.db"
sqlite3 "$T/leads.db" >/dev/null <<SQL
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $LEADS)
INSERT INTO inbound (id, instance, ext_id, sender, recipient, text,
    received_at, outcome, reply)
SELECT i, 'twilio', 'SM' || lower(hex(randomblob(16))),
    printf('+447700900%03d', abs(random()) % 1000), '+447700900000',
    printf('Supporter %d SE1 7PB', i),
    CAST(strftime('%s', 'now') AS INTEGER) - 31536000 + i * (31536000 / $LEADS),
    'nearest',
    printf('Hi Supporter %d! Your nearest branch is Branch %02d (2.8 miles). '
    || 'Thursdays 7pm at the library. Contact Organiser %02d on '
    || '+447700900143 or branch%02d@example.org', i, 1 + i % 50, 1 + i % 50,
    1 + i % 50)
FROM n;
INSERT INTO leads (id, phone, name, postcode, branch_id, region_id,
    match_kind, inbound_id, consent_ext_id, consent_text, consent_at,
    consent_reply, created_at, updated_at)
SELECT id, sender, printf('Supporter %d', id), 'SE1 7PB', 1 + id % 50,
    1 + id % 11, 'nearest', id, ext_id, text, received_at, reply,
    received_at, received_at
FROM inbound;
COMMIT;
PRAGMA journal_mode = WAL;
SQL
echo "  1M database: $(sqlite3 "$T/leads.db" 'SELECT count(*) FROM leads') leads," \
    "$(du -m "$T/leads.db" | cut -f1) MB; setup took $(($(now) - START)) s"

# The PostgreSQL database: a cluster as initdb makes it (its settings
# untouched: fsync, synchronous_commit, shared_buffers at their defaults),
# as the postgres user when run as root, listening on a socket of its own;
# the gateway makes the schema, and the fresh database's data (postcodes,
# centroids, branches, regions) is copied in.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_AS="" PG_USER=$(id -un)
HAVE_PG=0
PSQL=$(command -v psql || echo "$PG_BIN/psql")
if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PSQL" ]; then
	echo "  PostgreSQL: skipped (no initdb in $PG_BIN or no psql;" \
	    "scripts/deps.sh postgres installs them)"
else
	if [ "$(id -u)" = 0 ]; then
		PG_USER=postgres
		id postgres >/dev/null 2>&1 || PG_USER=nobody
		PG_AS="runuser -u $PG_USER --"
	fi
	PGD=$(mktemp -d "${TMPDIR:-/tmp}/benchpg.XXXXXX")
	[ -n "$PG_AS" ] && chown "$PG_USER" "$PGD"
	if $PG_AS "$PG_BIN/initdb" -D "$PGD/data" -A trust -U gateway -E UTF8 \
	    --no-locale >"$PGD/initdb.log" 2>&1 &&
	    $PG_AS "$PG_BIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 60 \
	    -o "-c listen_addresses='' -k $PGD" start >/dev/null 2>&1 &&
	    "$PSQL" -X -q -h "$PGD" -U gateway -d postgres \
	    -c 'CREATE DATABASE gateway' >/dev/null 2>&1; then
		HAVE_PG=1
	else
		echo "  PostgreSQL: skipped (the scratch cluster did not start:" \
		    "$(tail -2 "$PGD/log" "$PGD/initdb.log" 2>/dev/null | tr '\n' ' '))"
	fi
fi
pg() {	# pg SQL: one answer from the bench's PostgreSQL database
	"$PSQL" -X -q -A -t -h "$PGD" -U gateway -d gateway -c "$1"
}
if [ "$HAVE_PG" = 1 ]; then
	conf "" | sed "s|^path = \$|url = host=$PGD user=gateway dbname=gateway|; /^synchronous = /d" >"$T/pg.conf"
	build/gateway --config "$T/pg.conf" branch list >/dev/null
	# Every table the fresh database has rows in, but the versions and
	# the database's own keys (the gateway made PostgreSQL's).
	tables=$(sqlite3 "$T/fresh.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('schema_version', 'secrets')" |
	    while read -r t; do
		[ "$(sqlite3 "$T/fresh.db" "SELECT EXISTS (SELECT 1 FROM \"$t\")")" = 1 ] && echo "$t"
	    done)
	pg "SET client_min_messages = warning; TRUNCATE $(echo $tables | sed 's/ /, /g') CASCADE" >/dev/null
	for t in $tables; do
		cols=$(sqlite3 "$T/fresh.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
		sqlite3 -csv "$T/fresh.db" "SELECT $cols FROM \"$t\"" |
		    "$PSQL" -X -q -h "$PGD" -U gateway -d gateway \
		    -c "\\copy $t ($cols) FROM STDIN WITH (FORMAT csv)"
	done
	# Identities past the copied ids; statistics for the planner.
	pg "SELECT setval(pg_get_serial_sequence(c.table_name, c.column_name), coalesce((SELECT max(id) FROM branches), 1)) FROM information_schema.columns c WHERE c.table_name = 'branches' AND c.column_name = 'id' AND c.is_identity = 'YES'" >/dev/null
	pg "ANALYZE" >/dev/null
	echo "  PostgreSQL $(pg 'SHOW server_version' | cut -d' ' -f1): copied" \
	    "$(echo $tables | wc -w) tables," \
	    "$(pg 'SELECT count(*) FROM postcodes') postcodes and" \
	    "$(pg 'SELECT count(*) FROM branches') branches; fsync" \
	    "$(pg 'SHOW fsync'), synchronous_commit $(pg 'SHOW synchronous_commit')," \
	    "shared_buffers $(pg 'SHOW shared_buffers')"
fi

# --- servers --------------------------------------------------------------
post() {	# post PORT REQUEST-LINE OUT: one request by curl; prints the status
	sig=$(cut -f1 "$2")
	cut -f2 "$2" | tr -d '\n' >"$T/post.body"
	curl -s -o "$3" -w '%{http_code}' -H "X-Twilio-Signature: $sig" \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data-binary @"$T/post.body" "http://127.0.0.1:$1$WEBHOOK" || true
}

start_gateway() {	# start_gateway NAME: serve NAME.db; sets PORT_NAME, PID_NAME
	build/gateway --config "$T/$1.conf" serve >"$T/$1.out" 2>"$T/$1.err" &
	pid=$!
	PIDS="$PIDS $pid"
	i=0
	until port=$(sed -n 's/^listening on port //p' "$T/$1.out") &&
	    [ -n "$port" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "serve: the gateway did not start:"; cat "$T/$1.err"
			exit 1
		fi
		sleep 0.1
	done
	code=$(post "$port" "$T/warmup.tsv" "$T/$1.answer")
	if [ "$code" != 200 ]; then
		echo "serve: the warm-up request got $code, not 200:"
		cat "$T/$1.answer" "$T/$1.err"
		exit 1
	fi
	eval "PORT_$1=$port PID_$1=$pid"
}

start_gateway fresh
start_gateway leads
GATEWAYS="fresh leads"
if [ "$HAVE_PG" = 1 ]; then
	start_gateway pg
	GATEWAYS="fresh leads pg"
fi

# nginx as a user runs it: the shape of Debian's /etc/nginx/nginx.conf
# (worker_processes auto, sendfile, the access log on, gzip on), with paths
# in the scratch folder, and a location that answers what the gateway
# answered the warm-up (its TwiML, the same size).  The access log stays on
# because that is the default a user gets; the gateway keeps its own record
# of every message, in the database.
ANSWER=$(sed "s/[\\\\']/\\\\&/g" "$T/fresh.answer")
case $ANSWER in *'$'*) ANSWER='<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi Jane Smith! Your nearest branch is Branch 01 (2.8 miles). Thursdays 7pm at the library. Contact Organiser 01 on +447700900101 or branch01@example.org</Message></Response>' ;; esac
mkdir -p "$T/nginx"
nginx_conf() {	# nginx_conf PORT
	cat <<CONF
worker_processes auto;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
daemon off;
events {
	worker_connections 768;
}
http {
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log $T/nginx/access.log;
	gzip on;
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	server {
		listen 127.0.0.1:$1;
		location $WEBHOOK {
			default_type text/xml;
			return 200 '$ANSWER';
		}
	}
}
CONF
}
# nginx cannot be asked for a free port: try a few until one answers.
PORT_nginx=$(( (PORT_fresh % 20000) + 30000 ))
PID_nginx=""
for try in 1 2 3 4 5 6 7 8; do
	nginx_conf "$PORT_nginx" >"$T/nginx.conf"
	nginx -c "$T/nginx.conf" -p "$T/nginx" 2>>"$T/nginx.err" &
	PID_nginx=$!
	i=0
	while kill -0 "$PID_nginx" 2>/dev/null &&
	    [ "$(post "$PORT_nginx" "$T/warmup.tsv" /dev/null)" != 200 ]; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
	done
	kill -0 "$PID_nginx" 2>/dev/null && break
	PORT_nginx=$((PORT_nginx + 7))
done
if ! kill -0 "$PID_nginx" 2>/dev/null; then
	echo "serve: nginx did not start:"; cat "$T/nginx.err"; exit 1
fi
PIDS="$PIDS $PID_nginx"
NWORKERS=$(ps --ppid "$PID_nginx" -o pid= | wc -l)

# --- measuring ------------------------------------------------------------
cpu() {	# cpu PID...: clock ticks of user + system time
	for p in "$@"; do cat "/proc/$p/stat"; done 2>/dev/null |
	    awk '{sub(/^.*\) /, ""); n += $12 + $13} END {print n + 0}'
}
writer_cpu() {	# writer_cpu PID: ticks of the thread called "writer"
	for t in /proc/"$1"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = writer ] && cpu_of="$t/stat"
	done
	awk '{sub(/^.*\) /, ""); print $12 + $13}' "$cpu_of"
}
settle() {	# settle PID...: wait until they stop using CPU (checkpoints), up to 5 s
	last=-1 n=0
	while [ $n -lt 25 ]; do
		c=$(cpu "$@")
		[ "$c" = "$last" ] && break
		last=$c n=$((n + 1))
		sleep 0.2
	done
}
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }

round() {	# round NAME ROUND: one wrk run; appends a line to NAME.rounds
	name=$1 r=$2
	eval "port=\$PORT_$name pid=\$PID_$name"
	if [ "$name" = nginx ]; then
		pids="$pid $(ps --ppid "$pid" -o pid=)"
	else
		pids=$pid
	fi
	c0=$(cpu $pids)
	[ "$name" = nginx ] || w0=$(writer_cpu "$pid")
	wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/serve.lua \
	    "http://127.0.0.1:$port$WEBHOOK" -- "$T" "$r" "$WEBHOOK" \
	    >"$T/wrk.out" 2>&1 || true
	# What the round left to do (a checkpoint) is its cost, and must not
	# fall on the next round.
	settle $pids
	c1=$(cpu $pids)
	w=0
	[ "$name" = nginx ] || w=$(( $(writer_cpu "$pid") - w0 ))
	f="$T/wrk.out"
	if ! grep -q '^BENCH ' "$f"; then
		echo "serve: wrk failed:"; cat "$f"; exit 1
	fi
	req=$(field requests "$f") acked=$(field acked "$f")
	awk -v name="$name" -v r=$((r + 1)) -v hz="$HZ" -v cpu=$((c1 - c0)) \
	    -v w="$w" -v req="$req" -v acked="$acked" \
	    -v sent="$(field sent "$f")" -v rep="$(field repeated "$f")" \
	    -v dur="$(field duration_us "$f")" -v p50="$(field p50_us "$f")" \
	    -v p99="$(field p99_us "$f")" -v max="$(field max_us "$f")" \
	    -v err="$(field socket_errors "$f")" 'BEGIN {
		rps = req / (dur / 1e6); d = acked > 0 ? acked : 1
		printf "%s %.0f %.2f %.2f %.2f %.0f %.0f %d %d %d %d %d\n",
		    name, rps, p50 / 1000, p99 / 1000, max / 1000,
		    cpu * 1e6 / hz / d, w * 1e6 / hz / d, acked, sent, rep,
		    req - acked, err
		wr = name == "nginx" ? "" : sprintf(", writer %.0f us/msg", w * 1e6 / hz / d)
		rs = rep > 0 && name != "nginx" ? sprintf(", %d repeated", rep) : ""
		printf "  round %d %-6s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %5.0f us CPU/req%s  (%d 2xx, %d non-2xx, %d socket errors%s)\n", \
		    r, name == "leads" ? "1M" : name, rps, p50 / 1000, p99 / 1000, max / 1000, \
		    cpu * 1e6 / hz / d, wr, acked, req - acked, err, rs > "/dev/stderr"
	}' >>"$T/$name.rounds" 2>"$T/line"
	cat "$T/line"
}

echo
echo "== wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS rounds, all on loopback" \
    "($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) before)"
echo "  nginx: $NWORKERS workers (worker_processes auto); gateway: threads" \
    "at the default; fresh = empty database, 1M = $LEADS leads stored"
# Each round in another order, so that no side always follows another.
for r in $(seq 0 $((ROUNDS - 1))); do
	case $r in
	0) order="nginx fresh leads pg" ;;
	1) order="fresh pg leads nginx" ;;
	*) order="pg leads nginx fresh" ;;
	esac
	[ "$HAVE_PG" = 1 ] || order=$(echo "$order" | sed 's/ *pg//')
	for s in $order; do round "$s" "$r"; done
done

# Peak memory, then a clean stop for the writer's own tally.
for g in $GATEWAYS; do
	eval "pid=\$PID_$g"
	awk '/VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$pid/status" \
	    >"$T/$g.rss"
	kill -TERM "$pid"
	wait "$pid" || true
	sed -n 's/.*stopped after \([0-9]*\) messages in \([0-9]*\) commits (largest batch \([0-9]*\)[,)].*/\1 \2 \3/p' \
	    "$T/$g.err" >"$T/$g.stop"
done

med() {	# med NAME COLUMN: the median over the rounds
	awk -v c="$2" '{print $c}' "$T/$1.rounds" | sort -n |
	    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
sum() { awk -v c="$2" '{n += $c} END {print n}' "$T/$1.rounds"; }
verdict() { awk "BEGIN {print ($1) ? \"met\" : \"MISSED\"}"; }

echo
echo "== medians of $ROUNDS rounds"
printf '  %-8s %9s %8s %8s %9s %9s %10s %8s\n' "" "req/s" "p50 ms" "p99 ms" \
    "max ms" "CPU us/req" "writer us" "peak RSS"
for s in nginx $GATEWAYS; do
	rss="-" wr="-"
	[ "$s" = nginx ] || { rss="$(cat "$T/$s.rss") MB"; wr=$(med "$s" 7); }
	printf '  %-8s %9s %8s %8s %9s %9s %10s %8s\n' \
	    "$([ $s = leads ] && echo 1M || echo $s)" "$(med $s 2)" \
	    "$(med $s 3)" "$(med $s 4)" "$(med $s 5)" "$(med $s 6)" "$wr" "$rss"
done
for g in $GATEWAYS; do
	read -r msgs commits largest <"$T/$g.stop" || { msgs=0 commits=0 largest=0; }
	echo "  $([ $g = leads ] && echo 1M || echo $g) writer: $msgs messages in" \
	    "$commits commits, $(awk "BEGIN {printf \"%.1f\", $msgs / ($commits ? $commits : 1)}") a batch, largest $largest"
done

echo
echo "== acked vs stored (every 2xx must be in the database)"
LOST=0
for g in $GATEWAYS; do
	before=0
	[ $g = leads ] && before=$LEADS
	# The warm-up was acked too.
	acked=$(( $(sum $g 8) + 1 )) sent=$(( $(sum $g 9) + 1 )) rep=$(sum $g 10)
	if [ $g = pg ]; then
		stored=$(pg 'SELECT count(*) FROM inbound') leads=$(pg 'SELECT count(*) FROM leads')
	else
		stored=$(( $(sqlite3 "$T/$g.db" 'SELECT count(*) FROM inbound') - before ))
		leads=$(( $(sqlite3 "$T/$g.db" 'SELECT count(*) FROM leads') - before ))
	fi
	# Repeated requests are acked again but stored once.
	lost=$(( acked - rep - stored ))
	if [ "$lost" -gt 0 ]; then
		LOST=$((LOST + lost))
		verdict="LOST $lost ACKED MESSAGES"
	else
		verdict="none lost"
	fi
	echo "  $([ $g = leads ] && echo 1M || echo $g): $acked acked, $stored" \
	    "stored ($leads new leads), $sent sent$([ "$rep" -gt 0 ] && echo " ($rep repeated)"): $verdict"
done
sqlite3 "$T/fresh.db" "SELECT '  outcomes (fresh): ' || group_concat(o || ' ' || n, ', ') FROM (SELECT outcome o, count(*) n FROM inbound GROUP BY 1 ORDER BY 2 DESC)"
if [ "$(sum fresh 10)" -gt 0 ] || [ "$(sum leads 10)" -gt 0 ] ||
    { [ "$HAVE_PG" = 1 ] && [ "$(sum pg 10)" -gt 0 ]; }; then
	echo "  note: the gateway went round its share of requests; repeats are" \
	    "cheaper, so raise REQUESTS"
fi
[ "$LOST" -gt 0 ] && echo "  !!! THE GATEWAY ACKNOWLEDGED $LOST MESSAGES IT DID NOT STORE !!!"

N=$(med nginx 2) F=$(med fresh 2) M=$(med leads 2)
echo
echo "== against the targets (printed, not asserted)"
echo "  fresh / nginx: $(awk "BEGIN {printf \"%.1f%%\", 100 * $F / $N}")" \
    "(target >= 25%: $(verdict "$F >= 0.25 * $N"))"
echo "  fresh p99: $(med fresh 4) ms (target <= 10 ms: $(verdict "$(med fresh 4) <= 10"))"
echo "  fresh peak RSS: $(cat "$T/fresh.rss") MB (target <= 64 MB: $(verdict "$(cat "$T/fresh.rss") <= 64"))"
echo "  1M / fresh: $(awk "BEGIN {printf \"%.1f%%\", 100 * $M / $F}")" \
    "(target >= 90%: $(verdict "$M >= 0.9 * $F")); 1M / nginx:" \
    "$(awk "BEGIN {printf \"%.1f%%\", 100 * $M / $N}")"
echo "  1M p99: $(med leads 4) ms (target <= 15 ms: $(verdict "$(med leads 4) <= 15"))"
if [ "$HAVE_PG" = 1 ]; then
	P=$(med pg 2)
	echo "  PostgreSQL: $P req/s, p50 $(med pg 3) ms, p99 $(med pg 4) ms;" \
	    "PostgreSQL / SQLite (fresh): $(awk "BEGIN {printf \"%.1f%%\", 100 * $P / $F}")" \
	    "(req/s), p99 $(awk "BEGIN {printf \"%.2f\", $(med pg 4) / $(med fresh 4)}")x" \
	    "(CPU us/req counts the gateway's, not the server's)"
else
	echo "  PostgreSQL: skipped (not installed)"
fi
echo "  (whole benchmark: $(($(now) - START)) s; load average now" \
    "$(cut -d' ' -f1 /proc/loadavg))"
