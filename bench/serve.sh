#!/bin/sh
# Signed Twilio webhooks into `gateway serve` (every accepted message
# durable: synchronous = full), and in the same run the same load against
# nginx answering a static 200, both on loopback with wrk.  Prints requests
# per second, the ratio, latency percentiles and the gateway's peak RSS.
# There are more distinct messages than requests, so every one is new.
set -eu
cd "$(dirname "$0")/.."
CONNS=${CONNS:-64}
SECS=${SECS:-10}
T=$(mktemp -d)
GW_PID="" NGINX_PID=""
trap '[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null; [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$T"' EXIT
TOKEN=bench-token-not-real

cat >"$T/gateway.conf" <<CONF
[server]
listen = 127.0.0.1:0
threads = 2
[database]
path = $T/gateway.db
synchronous = full
example_data = yes
[conversation]
# The drama range has 1,000 numbers: without this, most messages would
# update an earlier lead instead of adding one, which is cheaper.
resignup_days = 0
[provider bench]
type = twilio
account_sid = ACbench0000000000000000000000000
auth_token = $TOKEN
from = +447700900000
CONF
build/gateway --config "$T/gateway.conf" serve >"$T/gw.out" 2>"$T/gw.err" &
GW_PID=$!
i=0
until PORT=$(sed -n 's/^listening on port //p' "$T/gw.out") && [ -n "$PORT" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/gw.err"; exit 1; }; sleep 0.1
done
build/bench-sign "http://127.0.0.1:$PORT/webhooks/bench" "$TOKEN" "${REQUESTS:-400000}" >"$T/requests.tsv"

# nginx: a static 200 with a short body, like the gateway's TwiML answer.
mkdir -p "$T/nginx"
cat >"$T/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $T/nginx;
	server {
		listen 127.0.0.1:0;
		location / { return 200 '<Response/>'; }
	}
}
CONF
# nginx cannot be asked for a free port: find one.
NPORT=$(( (PORT % 20000) + 30000 ))
sed -i "s/listen 127.0.0.1:0/listen 127.0.0.1:$NPORT/" "$T/nginx.conf"
nginx -c "$T/nginx.conf" -p "$T/nginx" 2>"$T/nginx.err" &
NGINX_PID=$!
sleep 0.5

run() {	# run NAME URL: wrk, printing its summary
	wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/serve.lua "$2" \
	    -- "$T/requests.tsv" "$3" >"$T/$1.wrk"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$T/$1.wrk")
	p50=$(awk '$1 == "50%" {print $2}' "$T/$1.wrk")
	p99=$(awk '$1 == "99%" {print $2}' "$T/$1.wrk")
	non2xx=$(awk '/Non-2xx/ {print $4}' "$T/$1.wrk")
	printf '%-8s %10s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$1" "$rps" \
	    "$p50" "$p99" "${non2xx:-0}"
	eval "RPS_$1=$rps"
}

echo "== $CONNS connections, ${SECS}s each, 2 wrk threads, all on loopback"
run nginx "http://127.0.0.1:$NPORT/webhooks/bench" /webhooks/bench
run gateway "http://127.0.0.1:$PORT/webhooks/bench" /webhooks/bench
echo "ratio gateway/nginx: $(awk "BEGIN {printf \"%.1f%%\", 100 * $RPS_gateway / $RPS_nginx}")"
echo "gateway peak RSS: $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' /proc/$GW_PID/status)"
kill -TERM "$GW_PID"; wait "$GW_PID" || true; GW_PID=""
grep 'stopped after' "$T/gw.err" | sed 's/^.*serve: /gateway: /'
echo "stored: $(sqlite3 "$T/gateway.db" 'SELECT count(*) FROM inbound') distinct messages, $(sqlite3 "$T/gateway.db" 'SELECT count(*) FROM leads') leads"
