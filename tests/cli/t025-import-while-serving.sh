# t025-import-while-serving: a postcode import beside a running server does
# not hold up its webhooks; an import that dies or fails half-way leaves
# the old data answering, and the next import tidies up after it.
. tests/cli/lib.sh

SECRET=test-secret-not-real
printf '[provider fake]\ntype = fake\nsecret = %s\n' "$SECRET" >"$T/providers.conf"

# big.csv: 240,000 made-up units in six English areas, big enough to take
# seconds under the sanitizers, with SE1 7PB where the old data has not
# got it, a bad row and a repeated unit far in.
awk 'BEGIN {
	print "postcode,latitude,longitude"
	print "SE1 7PB,51.501234,-0.112345"
	split("SE N M B LS BS", area, " ")
	split("51.48 51.57 53.48 52.48 53.80 51.45", lat, " ")
	split("-0.07 -0.10 -2.24 -1.90 -1.55 -2.58", lon, " ")
	l1 = "ABDEFGHJLN"; l2 = "ABDEFGHJLNPQRSTUWXYZ"; line = 2
	for (a = 1; a <= 6; a++)
		for (d = 1; d <= 20; d++)
			for (s = 0; s <= 9; s++)
				for (i = 1; i <= 10; i++)
					for (j = 1; j <= 20; j++) {
						printf "%s%d %d%s%s,%.6f,%.6f\n", area[a], d, s,
						    substr(l1, i, 1), substr(l2, j, 1),
						    lat[a] + d * 0.004 + s * 0.0003 + i * 0.00002,
						    lon[a] + d * 0.004 + s * 0.0003 + j * 0.00002
						if (++line == 150000)
							print "NOT A POSTCODE,51.5,-0.1"
						if (line == 200000)
							print "SE1 7PB,51.6,-0.2"
					}
}' >"$T/big.csv"
BIG_UNITS=240001

cat >"$T/old.csv" <<CSV
postcode,latitude,longitude
SE1 7PB,51.5025,-0.11938
M1 1AD,53.48069,-2.23618
CSV
check_status "old data" 0 gw postcodes import "$T/old.csv"

start_server "$T/providers.conf"

# webhooks FIRST: send signed webhooks one after another while the import
# $IMPORT runs, from +447700900FIRST on, 5 at least and 450 at most (the
# drama range is short); codes and times go to $T/codes.
webhooks() {
	n=$1 i=0
	while { kill -0 "$IMPORT" 2>/dev/null || [ $i -lt 5 ]; } && [ $i -lt 450 ]; do
		body="from=%2B447700$((900000 + n + i))&text=Sam+SE1+7PB&id=w$((n + i))"
		sig=$(printf '%s' "$body" | hmac_hex "$SECRET")
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --data-binary "$body" \
		    -H "X-Fake-Signature: $sig" "$URL/webhooks/fake" >>"$T/codes"
		i=$((i + 1))
	done
}

# wait_side: poll until the import has written rows into its side table.
wait_side() {
	i=0
	while [ $i -lt 600 ]; do
		n=$(sqlite3 "$T/gateway.db" 'SELECT count(*) FROM postcodes_new' 2>/dev/null)
		[ -n "$n" ] && [ "$n" -gt 0 ] && return 0
		kill -0 "$IMPORT" 2>/dev/null || return 1
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# The import while webhooks come in (the binary itself in the background,
# not the gw function, so that its pid is the import's): every one answered 200, each a lead.
: >"$T/codes"
"$GATEWAY" --config "$T/gateway.conf" postcodes import "$T/big.csv" >"$T/import.out" 2>"$T/import.err" &
IMPORT=$!
webhooks 0 &
SENDER1=$!
webhooks 500
wait "$SENDER1"
wait "$IMPORT"
check_eq "import beside the server" "0" "$?"
check_contains "bad row far in named" "big.csv:150001: skipped: not a postcode" "$(cat "$T/import.err")"
check_contains "repeat far in named" "big.csv:200002: skipped: postcode appears twice" "$(cat "$T/import.err")"
check_contains "counted" "imported $BIG_UNITS postcodes" "$(cat "$T/import.out")"
sent=$(wc -l <"$T/codes")
check_eq "every webhook 200" "$sent" "$(grep -c '^200 ' "$T/codes")"
check_eq "none 503" "0" "$(grep -c '^503 ' "$T/codes")"
check_eq "a lead for each" "$sent" "$(sql 'SELECT count(*) FROM leads')"
echo "info: $sent webhooks during the import, the slowest $(sort -k2 -n "$T/codes" | tail -1 | cut -d' ' -f2) s"
check_eq "units" "$BIG_UNITS" "$(sql 'SELECT count(*) FROM postcodes')"
out=$(gw locate --json "Jo SE1 7PB")
check_eq "new data answers" "unit 51.501234" "$(jget "$out" '$.geocode.level') $(jget "$out" '$.geocode.lat')"
out=$(gw locate --json "Jo LS20 9ZZ")
check_eq "new sectors" "sector" "$(jget "$out" '$.geocode.level')"
check_eq "no side tables left" "" "$(sql "SELECT name FROM sqlite_schema WHERE name LIKE '%\_new' ESCAPE '\' OR name LIKE '%\_old' ESCAPE '\'")"

# What readers see, to compare after the failures below.
snapshot() {
	sql "SELECT (SELECT count(*) FROM postcodes) || ' ' || (SELECT count(*) FROM postcode_sectors) || ' ' || (SELECT count(*) FROM postcode_districts) || ' ' || (SELECT count(*) FROM postcode_area_centroids) || ' ' || (SELECT lat FROM postcodes WHERE postcode = 'SE1 7PB')"
}
before=$(snapshot)

# Killed half-way (and a second import meanwhile is refused).
"$GATEWAY" --config "$T/gateway.conf" postcodes import "$T/big.csv" >"$T/import.out" 2>"$T/import.err" &
IMPORT=$!
if wait_side; then
	check_status "one import at a time" 1 gw postcodes import "$T/old.csv"
	check_contains "says why" "another postcode import is running" "$(cat "$T/err")"
	kill -KILL "$IMPORT"
	wait "$IMPORT"
	check_eq "killed" "137" "$?"
	check_eq "old data after SIGKILL" "$before" "$(snapshot)"
	out=$(gw locate --json "Jo SE1 7PB")
	check_eq "still answers" "unit 51.501234" "$(jget "$out" '$.geocode.level') $(jget "$out" '$.geocode.lat')"
	check_eq "server still takes webhooks" "200" "$(body='from=%2B447700900999&text=Sam+SE1+7PB&id=k1'; post /webhooks/fake "$body" -H "X-Fake-Signature: $(printf '%s' "$body" | hmac_hex "$SECRET")")"
else
	wait "$IMPORT"
	bad "the import ended before it could be killed: $(cat "$T/import.err")"
fi

# Disk full half-way: the database file may not grow (the WAL, smaller,
# still can).  The server stops first: its checkpointer, under no limit,
# would grow the file for the import.  First tidy what the killed import left and give back the
# free pages, however far it got, so that the new units cannot fit in them.
stop_server
check_status "tidy import" 0 gw postcodes import "$T/old.csv"
sqlite3 "$T/gateway.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
sqlite3 "$T/gateway.db" 'VACUUM' || bad "vacuum failed"
check_eq "no free pages" "0" "$(sql 'PRAGMA freelist_count')"
before=$(snapshot)
size=$(stat -c %s "$T/gateway.db")
(ulimit -f $((size / 512 + 16)); trap '' XFSZ; exec "$GATEWAY" --config "$T/gateway.conf" postcodes import "$T/big.csv") >"$T/out" 2>"$T/err"
check_eq "disk full fails" "1" "$?"
check_contains "says the data is kept" "kept" "$(cat "$T/err")"
check_eq "old data after disk full" "$before" "$(snapshot)"

# The next import works and tidies up what the killed one left.
check_status "good import after" 0 gw postcodes import "$T/old.csv"
check_eq "replaced" "2" "$(sql 'SELECT count(*) FROM postcodes')"
out=$(gw locate --json "Jo SE1 7PB")
check_eq "answers with it" "51.5025" "$(jget "$out" '$.geocode.lat')"
check_eq "side tables gone" "" "$(sql "SELECT name FROM sqlite_schema WHERE name LIKE '%\_new' ESCAPE '\' OR name LIKE '%\_old' ESCAPE '\'")"
finish
