# SPDX-License-Identifier: GPL-2.0-or-later
# vigil - port scan attack detector. Plain Makefile driven by pkg-config.
#
#   make            release build (-O2, hardened) -> build/vigil
#   make check      every test: cmocka units + capture fixtures + brief fuzzing,
#                   all built with -fsanitize=address,undefined in build-san/
#                   (installs the test tools: scripts/deps.sh check)
#   make demo       build and analyze the shipped real capture (installs only
#                   the compiler, libraries and jq: scripts/deps.sh demo)
#   make bench      benchmark (bench/README.md)
#   make screenshot docs/screenshot.png: the HTML report of a shipped capture
#                   in headless Chromium (scripts/screenshot.sh)
#   make calibrate  DL histograms of vigil and psad on ../shared/data/realworld
#                   (skipped when absent; docs/calibration.md)
#   make fuzz-long  long libFuzzer runs (FUZZ_SECONDS each, default 600)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Sources are found by wildcard: a module is a .c/.h pair under src/<stage>/,
# its cmocka test is <module>-test.c beside it, a fuzz target is fuzz/fuzz-*.c.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
FUZZ_CC   ?= clang
# zlib, liblzma, libzstd: pkg-config; libbz2 ships no .pc file in Debian 12
# (bzip2.pc where it does), so -lbz2 is the fallback.
PKGS      := zlib liblzma libzstd
# the live sources: sd-journal (journal), NFLOG netlink (nflog:GROUP)
PKGS      += libsystemd libmnl libnetfilter_log
TEST_PKGS := cmocka
FUZZ_SECONDS ?= 600
FUZZ_BRIEF   ?= 20

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lz -llzma -lzstd -lsystemd -lnetfilter_log -lmnl) \
              $(shell pkg-config --libs bzip2 2>/dev/null || echo -lbz2)
TEST_LIBS  := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wimplicit-fallthrough -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -DVIGIL_VERSION='"$(VERSION)"' -Isrc $(WARN) -MMD -MP \
               $(PKG_CFLAGS)
ifeq ($(CI),true)
BASE_CFLAGS += -Werror
endif
HARDEN  := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
LDHARD  := -pie -Wl,-z,relro,-z,now
CFLAGS  ?= -O2 -g
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The default data sets (etc/) are compiled in: scripts/embed.sh writes them
# as C arrays into build-gen/embedded.c, a source of every build.
EMBED_FILES := signatures=etc/signatures icmp_types=etc/icmp_types \
               icmp6_types=etc/icmp6_types pf.os=etc/pf.os posf=etc/posf
EMBED_C  := build-gen/embedded.c

ALL_C    := $(wildcard src/*/*.c)
TEST_C   := $(filter %-test.c,$(ALL_C))
LIB_C    := $(filter-out %-test.c,$(ALL_C)) $(EMBED_C)
APP_C    := $(wildcard src/*.c)
FUZZ_C   := $(wildcard fuzz/fuzz-*.c)

LIB_O     := $(LIB_C:%.c=build/%.o)
APP_O     := $(APP_C:%.c=build/%.o)
SLIB_O    := $(LIB_C:%.c=build-san/%.o)
SAPP_O    := $(APP_C:%.c=build-san/%.o)
TEST_BIN  := $(TEST_C:src/%.c=build-san/tests/%)
FLIB_O    := $(LIB_C:%.c=build-fuzz/%.o)
FUZZ_BIN  := $(FUZZ_C:fuzz/%.c=build-fuzz/%)

# keep objects of chained pattern rules (fuzz and test objects) between runs
.SECONDARY:

.PHONY: all check unit integration fuzz-brief fuzz-long demo bench bench-nflog calibrate install uninstall clean deps san \
	deps-build deps-demo deps-check deps-bench deps-fuzz
all: build/vigil

build/vigil: $(APP_O) $(LIB_O)
	$(CC) $(CFLAGS) $(LDHARD) -o $@ $^ $(PKG_LIBS)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(HARDEN) $(CFLAGS) -c -o $@ $<

# Sanitizer build: the tests and the fixture comparisons run this binary.
san: build-san/vigil
build-san/vigil: $(SAPP_O) $(SLIB_O)
	$(CC) $(SAN) -g -o $@ $^ $(PKG_LIBS)

build-san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) -O1 -g -c -o $@ $<

build-san/tests/%: build-san/src/%.o $(SLIB_O)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -g -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# libFuzzer targets (clang only).
build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -O1 -g -c -o $@ $<

build-fuzz/fuzz-%: build-fuzz/fuzz/fuzz-%.o $(FLIB_O)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -g -o $@ $^ $(PKG_LIBS)

$(EMBED_C): scripts/embed.sh $(foreach f,$(EMBED_FILES),$(lastword $(subst =, ,$(f))))
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

# Each target installs only what it needs (scripts/deps.sh TARGET): `make demo`
# no test tools, `make check` the test tools too.
deps: deps-check
deps-build deps-demo deps-check deps-bench deps-fuzz:
	@sh scripts/deps.sh $(@:deps-%=%)

check: deps-check
	$(MAKE) --no-print-directory unit integration fuzz-brief
	@echo "make check: all tests passed"

unit: $(TEST_BIN)
	@sh tests/run-unit.sh $(TEST_BIN)

integration: build-san/vigil build-san/source-dump
	@sh tests/run-integration.sh build-san/vigil

# A live source's records as text, for tests/nflog.sh and tests/journal.sh
# (sanitizers) and bench/nflog-rate.sh (release).
build-san/source-dump: tests/source-dump.c $(SLIB_O)
	$(CC) $(BASE_CFLAGS) $(SAN) -O1 -g -o $@ $< $(SLIB_O) $(PKG_LIBS)
build/source-dump: tests/source-dump.c $(LIB_O)
	$(CC) $(BASE_CFLAGS) $(HARDEN) $(CFLAGS) $(LDHARD) -o $@ $< $(LIB_O) $(PKG_LIBS)

fuzz-brief: $(FUZZ_BIN)
	@sh fuzz/run.sh $(FUZZ_BRIEF) $(FUZZ_BIN)

fuzz-long: deps-fuzz $(FUZZ_BIN)
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

demo: deps-demo build/vigil
	@sh scripts/demo.sh build/vigil

bench: deps-bench build/vigil build/source-dump
	@VIGIL_LIBS='$(PKG_LIBS)' sh bench/run.sh build/vigil

# The NFLOG source's zero-loss rate alone (also step 9 of make bench).
bench-nflog: deps-bench build/vigil build/source-dump
	@sh bench/nflog-rate.sh build/vigil

# the daemon's latency, NFLOG rate, idle wake-ups, 100k sources (root; bench/daemon.sh)
.PHONY: bench-daemon
bench-daemon: deps-check build/vigil
	@sh bench/daemon.sh build/vigil

# a 10-minute run of the daemon (sanitizer build) under random scans (root; bench/daemon-soak.sh)
.PHONY: soak-daemon
soak-daemon: deps-check build-san/vigil
	@sh bench/daemon-soak.sh build-san/vigil $(SOAK_SECONDS)

# the README's picture (needs chromium: scripts/deps.sh check installs it)
.PHONY: screenshot
screenshot: build/vigil
	@sh scripts/screenshot.sh build/vigil docs/screenshot.png

calibrate: deps-bench build/vigil
	@sh bench/calibrate.sh build/vigil

# The daemon's files too: the unit (ExecStart= rewritten for SBINDIR), the
# logrotate file of ALERT_JSON_FILE. An existing /etc/vigil/vigil.conf is
# never overwritten (the sample goes beside it as vigil.conf.example).
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
VIGIL_BIN ?= build/vigil
install: $(VIGIL_BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)/etc/vigil $(DESTDIR)$(UNITDIR) $(DESTDIR)/etc/logrotate.d
	install -m 0755 $(VIGIL_BIN) $(DESTDIR)$(SBINDIR)/vigil
	ln -sf ../sbin/vigil $(DESTDIR)$(PREFIX)/bin/vigil
	install -m 0644 docs/vigil.8 $(DESTDIR)$(PREFIX)/share/man/man8/vigil.8
	install -m 0644 etc/vigil.conf $(DESTDIR)/etc/vigil/vigil.conf.example
	[ -e $(DESTDIR)/etc/vigil/vigil.conf ] || install -m 0644 etc/vigil.conf $(DESTDIR)/etc/vigil/vigil.conf
	install -m 0644 etc/auto_dl $(DESTDIR)/etc/vigil/auto_dl.example
	sed 's|/usr/local/sbin/vigil|$(SBINDIR)/vigil|' etc/vigil.service >$(DESTDIR)$(UNITDIR)/vigil.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vigil.service
	install -m 0644 etc/logrotate.d/vigil $(DESTDIR)/etc/logrotate.d/vigil
	install -d $(DESTDIR)$(PREFIX)/share/vigil
	install -m 0644 etc/signatures etc/icmp_types etc/icmp6_types etc/pf.os etc/posf \
		$(DESTDIR)$(PREFIX)/share/vigil/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vigil $(DESTDIR)$(PREFIX)/bin/vigil \
		$(DESTDIR)$(PREFIX)/share/man/man8/vigil.8 $(DESTDIR)$(UNITDIR)/vigil.service \
		$(DESTDIR)/etc/logrotate.d/vigil
	rm -rf $(DESTDIR)$(PREFIX)/share/vigil

clean:
	rm -rf build build-san build-fuzz build-gen

-include $(shell find build build-san build-fuzz -name '*.d' 2>/dev/null)
