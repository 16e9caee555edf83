# t015-locate-nul: `gateway locate -0 -` takes NUL-separated texts from
# stdin, so that a text may have line breaks in it.
. tests/cli/lib.sh

printf 'Ffion\nEvans\nLL55 1AB\0Can I bring a friend?\0Jane Smith SE1 7PB' |
    gw locate --json -0 - >"$T/out"
check_eq "three answers" "3" "$(wc -l <"$T/out" | tr -d ' ')"
check_eq "a name across lines" "Ffion Evans" "$(jget "$(sed -n 1p "$T/out")" '$.name')"
check_eq "its postcode" "LL55 1AB" "$(jget "$(sed -n 1p "$T/out")" '$.postcode')"
check_eq "a question has no name" "null" "$(jget "$(sed -n 2p "$T/out")" '$.name')"
check_contains "the question reply" "name and postcode" "$(jget "$(sed -n 2p "$T/out")" '$.reply')"
check_eq "last text without a NUL" "Jane Smith" "$(jget "$(sed -n 3p "$T/out")" '$.name')"

# One per line, as before.
printf 'Jane Smith SE1 7PB\nTom M1 1AD\n' | gw locate --json - >"$T/out"
check_eq "lines" "2" "$(wc -l <"$T/out" | tr -d ' ')"
finish
