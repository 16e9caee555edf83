#!/bin/sh
# Drain 10,000 queued messages into a local fake provider that allows 500 a
# second: print the rate achieved, the 429s caused, and the worker's CPU
# time per message.  Asserts nothing.
set -eu
cd "$(dirname "$0")/.."
N=${N:-10000}
RATE=${RATE:-500}
T=$(mktemp -d)
GW_PID="" FAKE_PID=""
trap '[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null; [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$T"' EXIT

build/fakeserver --log "$T/api.log" --rate "$RATE" --stats "$T/stats.json" >"$T/fake.out" 2>&1 &
FAKE_PID=$!
until PORT=$(sed -n 's/^port //p' "$T/fake.out") && [ -n "$PORT" ]; do sleep 0.05; done

cat >"$T/gateway.conf" <<CONF
[server]
listen = 127.0.0.1:0
[database]
path = $T/gateway.db
[provider fake]
type = fake
allow_unsigned = yes
base_url = http://127.0.0.1:$PORT
rate = $RATE
CONF
# The queue, written straight into a new database before the server starts.
build/gateway --config "$T/gateway.conf" check-config >/dev/null
build/gateway --config "$T/gateway.conf" region list >/dev/null
sqlite3 "$T/gateway.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
    INSERT INTO outbox (idem_key, channel, instance, recipient, body, purpose, next_attempt_at, created_at, updated_at)
    SELECT 'bench:' || i, 'sms', 'fake', printf('+447700900%03d', i % 1000), 'Hi! Your nearest branch is Southwark.', 'reply', 0, 0, 0 FROM n"

build/gateway --config "$T/gateway.conf" serve >"$T/gw.out" 2>"$T/gw.err" &
GW_PID=$!
start=$(date +%s.%N)
while [ "$(sqlite3 "$T/gateway.db" "SELECT count(*) FROM outbox WHERE state = 'sent'")" -lt "$N" ]; do
	sleep 0.2
done
end=$(date +%s.%N)
kill -TERM "$GW_PID"; wait "$GW_PID" || true; GW_PID=""
kill -USR1 "$FAKE_PID"; sleep 0.2

first=$(head -1 "$T/api.log" | sed 's/.*"t": *\([0-9.]*\).*/\1/')
last=$(tail -1 "$T/api.log" | sed 's/.*"t": *\([0-9.]*\).*/\1/')
cpu=$(sed -n 's/.*worker CPU \([0-9.]*\) s.*/\1/p' "$T/gw.err")
echo "== outbox: $N messages to a provider allowing $RATE a second"
awk -v n="$N" -v f="$first" -v l="$last" -v r="$RATE" -v c="$cpu" 'BEGIN {
	rate = (n - 1) / (l - f)
	printf "achieved %.1f messages/s (%.1f%% of the set rate), %.1f s in all\n", rate, 100 * rate / r, l - f
	printf "worker CPU %.3f s, %.1f us a message\n", c, 1e6 * c / n
}'
echo "429s caused: $(sed -n 's/.*"rate_limited": *\([0-9]*\).*/\1/p' "$T/stats.json")"
