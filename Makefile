# Makefile -- the gateway, its tests and benchmarks.
#
#   make            build build/gateway
#   make check      every test, built with AddressSanitizer + UBSan
#   make run        start the gateway on its embedded defaults
#   make bench      benchmarks (print figures, assert nothing)
#   make fuzz       libFuzzer drivers, FUZZ_SECONDS each
#   make install    the binary, /etc config and systemd unit (PREFIX, DESTDIR)
#   make deb        the Debian package, into build/deb/
#   make clean

CC	?= cc
PKGS	 = libmicrohttpd libcurl jansson sqlite3 libpcre2-8 libcrypto inih \
	   libsystemd libjwt libpq
WARN	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
	   -Wmissing-prototypes -Wcast-qual -Wno-unused-parameter
CFLAGS	?= -O2 -g
# A tag's git describe when there is one, else the release below.
VERSION	?= $(shell git describe --tags --dirty 2>/dev/null || echo 0.1.0)
CFLAGS	+= -DGATEWAY_VERSION='"$(VERSION)"'
CFLAGS	+= -std=c11 -D_GNU_SOURCE -MMD -MP $(WARN) -Igateway -Iproviders -Ibuild
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Data built into the binary: NAME=FILE pairs for tools/embed.
EMBED	 = $(foreach f,$(wildcard data/schema/*.sql) $(wildcard data/schema/pg/*.sql) \
	   data/postcode_areas.csv \
	   data/district_overrides.csv data/district_centroids.csv \
	   $(wildcard data/example/*.csv),$(f:data/%=%)=$(f)) \
	   $(foreach f,$(wildcard web/admin/*),$(f)=$(f))

SRCS	 = $(wildcard gateway/*.c) $(wildcard providers/*.c)
LIBSRCS	 = $(filter-out gateway/main.c,$(SRCS))
OBJS	 = $(SRCS:%.c=build/obj/%.o) build/obj/embedded_data.o
LIBOBJS_SAN = $(LIBSRCS:%.c=build/san/%.o) build/san/embedded_data.o
UNIT	 = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

BIN	 = build/gateway

all: $(BIN)

deps:
	@scripts/deps.sh

$(BIN): $(OBJS)
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $< (sanitised)"
	@$(CC) $(CFLAGS) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O2 -o $@ $<

build/embedded_data.c: build/embed $(foreach p,$(EMBED),$(lastword $(subst =, ,$(p)))) Makefile
	@echo "EMBED data/"
	@build/embed $@ $(EMBED)

build/obj/embedded_data.o: build/embedded_data.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c -o $@ $<
build/san/embedded_data.o: build/embedded_data.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

# The sanitised gateway, used by the command-line tests.
build/gateway-san: $(LIBOBJS_SAN) build/san/gateway/main.o
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

# A remote party for the tests: a provider's API, an SMTP server, a webhook.
build/fakeserver: tests/tools/fakeserver.c
	@mkdir -p build
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(SAN) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

# Signed webhooks, many at once, for the crash test.
build/loadgen: tests/tools/loadgen.c
	@mkdir -p build
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(SAN) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

# Slow clients (slowloris), for the server-limits test.
build/slowclient: tests/tools/slowclient.c
	@mkdir -p build
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(SAN) -o $@ $<

# A disk that fails on demand (LD_PRELOAD), for the fault test.  Not
# sanitised: it is loaded into the sanitised gateway, ahead of ASan.
build/faultfs.so: tests/tools/faultfs.c
	@mkdir -p build
	@echo "CC $<"
	@$(CC) -O2 -g -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl

build/tests/%: tests/unit/%.c $(LIBOBJS_SAN)
	@mkdir -p $(dir $@)
	@echo "CC $< (sanitised)"
	@$(CC) $(CFLAGS) $(SAN) $(PKG_CFLAGS) \
	    $(shell pkg-config --cflags cmocka) -o $@ $< $(LIBOBJS_SAN) \
	    $(PKG_LIBS) $(shell pkg-config --libs cmocka)

check: deps
	@$(MAKE) --no-print-directory build/gateway-san build/fakeserver build/loadgen \
	    build/slowclient build/faultfs.so $(UNIT)
	@tests/run.sh $(UNIT)

# LISTEN=HOST:PORT: somewhere other than [server] listen (127.0.0.1:8080).
LISTEN	?=
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) demo
	@echo; echo "Serving: text it with curl -d 'from=%2B447700900123&text=Jane+Smith+SE1+7PB&id=1' http://$(or $(LISTEN),127.0.0.1:8080)/webhooks/fake"
	$(BIN) serve $(if $(LISTEN),--listen $(LISTEN))

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory $(BIN) build/bench-locate build/bench-sign \
	    build/fakeserver
	@bench/run.sh
	@bench/serve.sh
	@bench/outbox.sh
	@bench/stats.sh

build/bench-locate: bench/bench_locate.c $(filter-out build/obj/gateway/main.o,$(OBJS))
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/bench-sign: bench/bench_sign.c build/obj/gateway/crypto.o build/obj/gateway/http.o build/obj/gateway/util.o build/obj/gateway/log.o
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

# --- Fuzzing: libFuzzer drivers in tests/fuzz/, built with clang ---------------
#   make fuzz          every driver for FUZZ_SECONDS (60) on its corpus in
#                      build/fuzz/corpus/ (crashes in build/fuzz/artifacts/)
#   make fuzz-build    the drivers and their seeds (tests/cli/t900 uses them)
FUZZ_CC	 ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_SAN = -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
FUZZ_OBJS = $(LIBSRCS:%.c=build/fuzz/obj/%.o) build/fuzz/obj/embedded_data.o
FUZZ_BINS = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $< (fuzz)"
	@$(FUZZ_CC) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<
build/fuzz/obj/embedded_data.o: build/embedded_data.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(CFLAGS) $(FUZZ_SAN) -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	@echo "LD $@"
	@$(FUZZ_CC) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
	    $(FUZZ_OBJS) $(PKG_LIBS)

.PRECIOUS: build/fuzz/obj/%.o
fuzz-build: $(FUZZ_BINS)
	@tests/fuzz/seeds.sh build/fuzz/seeds

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@tests/fuzz/run.sh -c build/fuzz/corpus $(FUZZ_SECONDS)

.PHONY: fuzz fuzz-build

# --- Installing: make install [PREFIX=/usr/local] [DESTDIR=...] --------------
PREFIX	 ?= /usr/local
BINDIR	 ?= $(PREFIX)/bin
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
LOCALSTATEDIR ?= /var/lib
UNITDIR	 ?= $(PREFIX)/lib/systemd/system

# The example, made fit for a system install: the database under
# LOCALSTATEDIR, the address loopback (a reverse proxy terminates TLS).
# Made afresh each time: it names SYSCONFDIR, which make cannot see change.
build/gateway.conf: gateway.conf.example Makefile
	@mkdir -p build
	@{ echo "; $(SYSCONFDIR)/gateway/gateway.conf -- read by the gateway service"; \
	  echo "; (gateway --config $(SYSCONFDIR)/gateway/gateway.conf).  Restart it after a change:"; \
	  echo "; systemctl restart gateway.  Check first: gateway --config FILE check-config."; \
	  echo ";"; \
	  sed -e 's|^path = gateway.db$$|path = $(LOCALSTATEDIR)/gateway/gateway.db|' \
	      -e 's|^listen = .*|listen = 127.0.0.1:8080|' gateway.conf.example; } >$@.tmp
	@grep -q '^path = $(LOCALSTATEDIR)/gateway/gateway.db$$' $@.tmp
	@mv $@.tmp $@

install: $(BIN) build/gateway.conf
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/gateway \
	    $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/gateway
	install -m 0644 build/gateway.conf $(DESTDIR)$(SYSCONFDIR)/gateway/gateway.conf
	sed -e 's|/usr/bin/gateway|$(BINDIR)/gateway|g' \
	    -e 's|/etc/gateway/|$(SYSCONFDIR)/gateway/|g' systemd/gateway.service \
	    >$(DESTDIR)$(UNITDIR)/gateway.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/gateway.service

# The Debian package (debian/), built from a copy of the sources so that
# build/ here is left alone; the .deb and its friends land in build/deb/.
deb:
	@scripts/deps.sh package
	@rm -rf build/deb && mkdir -p build/deb/src
	@git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t build/deb/src
	@cd build/deb/src && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
	    { tail -30 ../build.log; exit 1; }
	@ls build/deb/*.deb

clean:
	rm -rf build

.PHONY: all deps check run bench clean install deb build/gateway.conf
-include $(shell find build -name '*.d' -type f 2>/dev/null)
