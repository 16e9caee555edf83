# t610-admin-bounds: every number in an admin API query is checked before
# use: out of range, not a number or too long gets a 400 that names the
# parameter, never a wrong answer or a crash (page=9223372036854775807
# once overflowed (page - 1) * per_page).
. tests/cli/lib.sh

VIEWER=viewer-token-not-real
cat >"$T/tokens.conf" <<CONF
$(token_conf val viewer "$VIEWER")
CONF
start_server "$T/tokens.conf"

get() {	# get PATH: the status; the body in $T/resp
	curl -s -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $VIEWER" \
	    "$URL/admin/api/$1"
}

# query<TAB>status<TAB>the parameter named ("-": none)
while IFS='	' read -r query want field; do
	case $query in '#'*|'') continue ;; esac
	got=$(get "$query")
	check_eq "$query" "$want" "$got"
	if [ "$field" != - ]; then
		check_eq "$query names it" "$field" "$(jget "$(cat "$T/resp")" '$.field')"
		check_contains "$query says why" "$field:" "$(jget "$(cat "$T/resp")" '$.error')"
	fi
done <<'CASES'
# --- page: 1 to 1000000
leads?page=1	200	-
leads?page=1000000	200	-
leads?page=9223372036854775807	400	page
leads?page=9223372036854775807&per_page=500	400	page
leads?page=99999999999999999999999	400	page
leads?page=1000001	400	page
leads?page=0	400	page
leads?page=-1	400	page
leads?page=2abc	400	page
leads?page=%201	400	page
leads?page=0x10	400	page
# --- per_page: 1 to 500
leads?per_page=500	200	-
leads?per_page=501	400	per_page
leads?per_page=0	400	per_page
leads?per_page=-9223372036854775808	400	per_page
leads?per_page=1e3	400	per_page
# --- branch and region ids
leads?branch=1	200	-
leads?branch=9223372036854775807	200	-
leads?branch=9223372036854775808	400	branch
leads?branch=0	400	branch
leads?branch=one	400	branch
leads?region=-3	400	region
leads?region=99999999999999999999	400	region
# --- since and until: days
leads?since=2024-01-01&until=2024-12-31	200	-
leads?since=2024-13-01	400	since
leads?since=99999999999-01-01	400	since
leads?since=1969-12-31	400	since
leads?until=2024-1-1	400	until
leads?until=yesterday	400	until
audit?since=2024-01-01&until=2030-12-31	200	-
audit?since=20240101	400	since
audit?until=2147483647-12-31	400	until
# --- empty means absent
leads?page=&per_page=&branch=	200	-
CASES

# Ids in paths: a number or no such thing.
check_eq "branch id too big" "404" "$(get branches/99999999999999999999999)"
check_eq "branch id with junk" "404" "$(get branches/1abc)"
check_eq "region id negative" "404" "$(get regions/-1)"
stop_server
finish
