#!/bin/sh
# Install the Debian packages the gateway builds and tests with, but only
# when something is missing: `make check` and `make run` call this first, so
# a fresh Debian 12 machine needs nothing done by hand.
#
#   scripts/deps.sh          build and test dependencies
#   scripts/deps.sh bench    and what the benchmarks load the server with
#   scripts/deps.sh browser  and the browser the admin page is tested in
#   scripts/deps.sh fuzz     and clang with libFuzzer (make fuzz, t900)
#   scripts/deps.sh package  and what make deb and t800 use: debhelper,
#                            lintian, systemd-analyze, socat
#   scripts/deps.sh postgres and a PostgreSQL 15 server, which tests/pg.sh
#                            starts a scratch cluster of (t065)
#   scripts/deps.sh metrics  and promtool, which checks /metrics (t820);
#                            Debian has it only in the whole prometheus
#                            package (about 100 MB), and jq
set -eu

# pkg-config module -> Debian package that provides it
MODULES="libmicrohttpd:libmicrohttpd-dev libcurl:libcurl4-openssl-dev jansson:libjansson-dev
sqlite3:libsqlite3-dev libpcre2-8:libpcre2-dev libcrypto:libssl-dev inih:libinih-dev
cmocka:libcmocka-dev libsystemd:libsystemd-dev libjwt:libjwt-dev
libpq:libpq-dev"
# command -> Debian package (tools the build, tests and benchmarks call)
COMMANDS="cc:gcc make:make pkg-config:pkg-config xz:xz-utils sqlite3:sqlite3 curl:curl
openssl:openssl"
[ "${1:-}" = bench ] && COMMANDS="$COMMANDS wrk:wrk nginx:nginx-light"
[ "${1:-}" = browser ] && COMMANDS="$COMMANDS chromium:chromium node:nodejs npm:npm"
[ "${1:-}" = fuzz ] && COMMANDS="$COMMANDS clang-14:clang-14"
[ "${1:-}" = package ] && COMMANDS="$COMMANDS dpkg-buildpackage:dpkg-dev
dh:debhelper fakeroot:fakeroot lintian:lintian systemd-analyze:systemd
socat:socat"
[ "${1:-}" = postgres ] && COMMANDS="$COMMANDS
/usr/lib/postgresql/15/bin/initdb:postgresql-15 psql:postgresql-client-15"
[ "${1:-}" = metrics ] && COMMANDS="$COMMANDS promtool:prometheus jq:jq"

missing=""
for pair in $COMMANDS; do
	cmd=${pair%%:*}; pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] ||
	    missing="$missing $pkg"
done
for pair in $MODULES; do
	mod=${pair%%:*}; pkg=${pair#*:}
	if ! command -v pkg-config >/dev/null 2>&1 ||
	   ! pkg-config --exists "$mod" 2>/dev/null; then
		missing="$missing $pkg"
	fi
done
# libFuzzer's runtime is a package of its own: can clang link a driver?
if [ "${1:-}" = fuzz ] && ! { command -v clang-14 >/dev/null 2>&1 &&
    echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
    { return 0; }' | clang-14 -fsanitize=fuzzer -x c -o /dev/null - \
    >/dev/null 2>&1; }; then
	missing="$missing libclang-rt-14-dev"
fi
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: not root and no sudo; run as root:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
