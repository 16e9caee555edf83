#!/bin/sh
# make-district-centroids.sh -- write data/district_centroids.csv, the
# built-in district (outward code) centroids, from the ONS-derived
# outcode_centroids.csv in $SHARED_DIR/data/postcodes (SHARED_DIR defaults
# to ../shared).  Run from anywhere; re-running on the same input gives the
# same bytes.  See data/README.md for the licence and what is left out.
#
#   scripts/make-district-centroids.sh [OUTPUT]
#
# Kept: every outcode with coordinates (geocoded > 0) whose majority
# country is England, Wales or Scotland.  Left out: BT (Northern Ireland
# data is not under the Open Government Licence), outcodes the data has no
# coordinates for (non-geographic and PO-box codes, GIR, the Channel
# Islands and the Isle of Man), anything with no majority country, and
# codes that are not outward-code shaped (the historic NPT).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_DIR:-$top/../shared}
src=$shared/data/postcodes/outcode_centroids.csv
out=${1:-$top/data/district_centroids.csv}

if [ ! -r "$src" ]; then
	echo "$0: cannot read $src (set SHARED_DIR)" >&2
	exit 1
fi

export LC_ALL=C
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT INT TERM

{
	echo "district,country,latitude,longitude"
	awk -F, '
	NR == 1 {
		# Columns by name, not position.
		for (i = 1; i <= NF; i++)
			col[$i] = i
		for (i = split("outcode area latitude longitude geocoded country",
		    need, " "); i > 0; i--)
			if (!(need[i] in col)) {
				print "no column " need[i] > "/dev/stderr"
				bad = 1
				exit 1
			}
		next
	}
	{
		code = $col["outcode"]; area = $col["area"]
		country = $col["country"]
		if (area == "BT" || $col["geocoded"] + 0 <= 0 ||
		    $col["latitude"] == "" || $col["longitude"] == "")
			next
		if (country != "England" && country != "Wales" &&
		    country != "Scotland")
			next
		# Outward-code shaped only: not the historic "NPT", which no
		# text can name.
		if (code !~ /^[A-Z][A-Z]?[0-9][0-9A-Z]?$/)
			next
		# Sort key: area, district number, sub-district letter, so
		# that SE1 SE1P SE2 ... SE10 come in the order people read.
		rest = substr(code, length(area) + 1)
		num = rest; sub(/[^0-9].*$/, "", num)
		suffix = substr(rest, length(num) + 1)
		printf "%-3s%03d%-2s\t%s,%s,%.4f,%.4f\n", area, num + 0, suffix,
		    code, country, $col["latitude"], $col["longitude"]
	}
	END { if (bad) exit 1 }' "$src" | sort -t '	' -k1,1 | cut -f2-
} >"$tmp"

rows=$(($(wc -l <"$tmp") - 1))
if [ "$rows" -lt 2500 ]; then
	echo "$0: only $rows districts from $src; not written" >&2
	exit 1
fi
mv "$tmp" "$out"
trap - EXIT INT TERM
echo "$out: $rows districts"
