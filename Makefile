# aftersales — after-sales back-office filters.
# `make` builds bin/; `make check` runs the tests (`make check-valgrind`: the
# same under valgrind); `make demo` runs the nightly job on samples/.  Missing
# build packages are installed when run as root.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR   ?=

CC       ?= cc
CSTD      = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
WARN      = -Wall -Wextra -Wshadow -Wno-unused-parameter
OPT      ?= -O2 -g
PCRE_CFLAGS := $(shell pkg-config --cflags libpcre2-8 2>/dev/null)
PCRE_LIBS   := $(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
CSV_LIBS  ?= -lcsv
ifeq ($(SANITIZE),1)
OPT       = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CFLAGS   ?=
ALL_CFLAGS = $(CSTD) $(WARN) $(OPT) $(PCRE_CFLAGS) -Icommon $(CFLAGS)
LDLIBS    = $(CSV_LIBS) $(PCRE_LIBS)

PROGS   = svc-remind warranty-check duty-roster complaint-sla contract-remind survey-invite notify assist-check
BINS    = $(PROGS:%=bin/%)
COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:common/%.c=build/common/%.o)
COMMON_HDR = $(wildcard common/*.h)
MANS    = man/aftersales.7 $(PROGS:%=man/%.1)
BUILD_PKGS = build-essential pkg-config libcsv-dev libpcre2-dev mandoc tzdata
# The tests also use Miller (an example pipeline), flock (util-linux) and
# /usr/bin/time (peak memory of the fault tests) and shellcheck (the scripts).
TEST_PKGS  = miller util-linux time shellcheck strace

all: deps $(BINS)

# Install what the build needs when run as root; otherwise say what to run.
deps:
	@sh tests/deps.sh $(BUILD_PKGS)

build/common/%.o: common/%.c $(COMMON_HDR) | build/common
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/libaftersales.a: $(COMMON_OBJ)
	rm -f $@ && ar rcs $@ $(COMMON_OBJ)

bin/%: cmd/%.c build/libaftersales.a $(COMMON_HDR) | bin
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libaftersales.a $(LDLIBS)

# A program with subcommands is a folder: cmd/PROG/*.c, one file a command.
DUTY_SRC = $(wildcard cmd/duty-roster/*.c)
bin/duty-roster: $(DUTY_SRC) cmd/duty-roster/duty-roster.h build/libaftersales.a $(COMMON_HDR) | bin
	$(CC) $(ALL_CFLAGS) -o $@ $(DUTY_SRC) build/libaftersales.a $(LDLIBS)

# A unit test of a program's rules includes the program's source (with
# `#define main PROG_main`), so it depends on every source in cmd/.
CMD_SRC = $(wildcard cmd/*.c cmd/*/*.c cmd/*/*.h)
build/unit/%: tests/unit/%.c tests/unit/check.h build/libaftersales.a $(COMMON_HDR) $(CMD_SRC) | build/unit
	$(CC) $(ALL_CFLAGS) -Icmd -o $@ $< build/libaftersales.a $(LDLIBS)

build/common build/unit bin:
	mkdir -p $@

UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/unit/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=build/tools/%)

# Warnings are errors in the test build.
check: deps
	@sh tests/deps.sh $(TEST_PKGS)
	$(MAKE) WERROR=1 $(BINS) $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run.sh

# The same under valgrind (tests/run.sh, VALGRIND=1): memory errors and
# definite or indirect leaks at exit fail a test.
check-valgrind: deps
	@sh tests/deps.sh $(TEST_PKGS) valgrind
	$(MAKE) WERROR=1 $(BINS) $(UNIT_BIN) $(TOOL_BIN)
	@VALGRIND=1 sh tests/run.sh

demo: all
	@sh samples/demo.sh

# Not part of check: timings.  Builds what it can itself (a program that does
# not build is skipped with a note).  BENCH_RUNS, BENCH_ONLY, ...: bench/run.sh.
bench: deps
	@sh bench/run.sh

fuzz: deps
	@sh tests/fuzz/run.sh

lint-man:
	mandoc -Tlint -Wwarning $(MANS)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man7
	for p in $(PROGS); do cp bin/$$p $(DESTDIR)$(BINDIR)/$$p && chmod 755 $(DESTDIR)$(BINDIR)/$$p; done
	for p in $(PROGS); do cp man/$$p.1 $(DESTDIR)$(MANPREFIX)/man1/$$p.1 && chmod 644 $(DESTDIR)$(MANPREFIX)/man1/$$p.1; done
	cp man/aftersales.7 $(DESTDIR)$(MANPREFIX)/man7/aftersales.7

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(MANPREFIX)/man1/$$p.1; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/aftersales.7

clean:
	rm -rf bin build demo-out tests/out

.PHONY: all deps check check-valgrind demo bench fuzz lint-man install uninstall clean
.SECONDARY:

# Test tools: the common base driven from the command line.
build/tools/%: tests/tools/%.c build/libaftersales.a $(COMMON_HDR) | build/tools
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libaftersales.a $(LDLIBS)
build/tools:
	mkdir -p $@
