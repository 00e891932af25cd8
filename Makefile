# Tổng đài 1022: build, run and test.  See README.md.

CC	?= cc
BUILD	:= build

# Kore apps must be compiled with the same feature flags as the kore binary,
# or the layout of struct http_request differs between the two.
KORE_FEATURES := $(shell cat /usr/share/kore/features 2>/dev/null)

WARN	:= -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wpointer-arith \
	   -Wno-unused-parameter
# GMime (mail.c) and its glib, as system headers: their warnings aren't ours.
GMIME_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags gmime-3.0 2>/dev/null))
GMIME_LIBS := $(shell pkg-config --libs gmime-3.0 2>/dev/null)
CFLAGS	+= -std=c11 -D_GNU_SOURCE -O2 -g -fPIC $(WARN) $(GMIME_CFLAGS)
APP_CFLAGS := $(CFLAGS) $(KORE_FEATURES) -Isrc -I/usr/include/kore
APP_LIBS := -lpq -lsodium -lcurl -ljansson -lunistring -lcrypto $(GMIME_LIBS) -lxlsxwriter

APP_SRCS := $(wildcard src/*.c)
# Modules that include neither Kore nor app.h are "pure": unit tests link
# all of them.
PURE_SRCS := $(shell grep -LE 'include (<kore/|"app.h")' $(APP_SRCS) 2>/dev/null)
# What the pure modules link with (unit tests, fuzz harnesses).
PURE_LIBS := -lsodium -lunistring -lcrypto -ljansson -lcurl $(GMIME_LIBS) -lxlsxwriter
APP_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/app/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
SAN	:= -fsanitize=address,undefined -fno-omit-frame-pointer

.PHONY: all app app-san plugin tools deps run up down test guide-shots unit fuzz \
	fuzz-build bench clean distclean

all: app plugin tools

app: $(BUILD)/app.so

# The same app with AddressSanitizer and UBSan, for the integration tests
# (tests/run loads it into kore with libasan preloaded).
SAN_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/san/%.o)
app-san: $(BUILD)/san/app.so

$(BUILD)/san/%.o: src/%.c $(wildcard src/*.h) src/routes.def
	@mkdir -p $(dir $@)
	@echo "  CC  $< (sanitized)"; $(CC) $(APP_CFLAGS) -O1 $(SAN) -Wno-format-truncation -c $< -o $@

$(BUILD)/san/app.so: $(SAN_OBJS)
	$(CC) -shared $(SAN) -o $@.tmp $(SAN_OBJS) $(APP_LIBS)
	mv -f $@.tmp $@

$(BUILD)/app/%.o: src/%.c $(wildcard src/*.h) src/routes.def
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(APP_CFLAGS) -c $< -o $@

# Linked aside and renamed: a running Kore keeps the old file, never a
# half-written one.
$(BUILD)/app.so: $(APP_OBJS)
	$(CC) -shared -o $@.tmp $(APP_OBJS) $(APP_LIBS)
	mv -f $@.tmp $@

plugin:
	@if [ -f plugins/hotline/Makefile ]; then $(MAKE) -C plugins/hotline; fi

tools: $(BUILD)/hashpw $(BUILD)/hotline-key $(BUILD)/kore-routes $(BUILD)/demo-codes

$(BUILD)/hashpw: scripts/hashpw.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $< -o $@ -lsodium

# scripts/up asks it for kore.conf's route and restrict lines.
$(BUILD)/kore-routes: scripts/kore-routes.c src/routes.def
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -Isrc scripts/kore-routes.c -o $@

# scripts/janus-up asks it for Janus's token secret (the contract's key).
# scripts/demo-history: valid ticket codes for the demo tickets.
$(BUILD)/demo-codes: scripts/demo-codes.c src/code.c src/code.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -Isrc scripts/demo-codes.c src/code.c -o $@ -lsodium

$(BUILD)/hotline-key: scripts/hotline-key.c src/hotline_contract.c src/hotline_contract.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -Isrc scripts/hotline-key.c src/hotline_contract.c -o $@ -lcrypto

# Unit tests: each tests/unit/test_X.c with every pure module, under
# AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/tests/%: tests/unit/%.c $(PURE_SRCS) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(SAN) $(GMIME_CFLAGS) -Isrc $< \
	    $(PURE_SRCS) -o $@ -lcmocka $(PURE_LIBS)

# The contract's known answers hold both sides: the plugin's contract.c
# (glib only) is linked beside Kore's.
CONTRACT_PLUGIN := plugins/hotline/contract.c
$(BUILD)/tests/test_hotline_contract: tests/unit/test_hotline_contract.c \
    $(PURE_SRCS) $(CONTRACT_PLUGIN) plugins/hotline/contract.h $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(SAN) -Isrc -Iplugins/hotline \
	    $(shell pkg-config --cflags glib-2.0) $(GMIME_CFLAGS) $< $(PURE_SRCS) $(CONTRACT_PLUGIN) \
	    -o $@ -lcmocka $(PURE_LIBS) $(shell pkg-config --libs glib-2.0)

# The plugin's pure modules (no Janus, glib or JSON): each test links
# only the file it tests.
HL_PURE_TESTS := fsm tick schedule seqstat
$(HL_PURE_TESTS:%=$(BUILD)/tests/test_hotline_%): $(BUILD)/tests/test_hotline_%: \
    tests/unit/test_hotline_%.c plugins/hotline/%.c plugins/hotline/%.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(SAN) -Iplugins/hotline \
	    $< plugins/hotline/$*.c -o $@ -lcmocka

# The recording's writer against Janus's headers, with write() counted.
HL_WAV_PKGS := glib-2.0 jansson
$(BUILD)/tests/test_hotline_wav: tests/unit/test_hotline_wav.c \
    plugins/hotline/wav.c $(wildcard plugins/hotline/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE -g $(WARN) -Wno-override-init $(SAN) \
	    -Iplugins/hotline -I/usr/include/janus \
	    $(shell pkg-config --cflags $(HL_WAV_PKGS)) $< plugins/hotline/wav.c \
	    -Wl,--wrap=write -o $@ -lcmocka $(shell pkg-config --libs $(HL_WAV_PKGS))

unit: $(UNIT_BINS)

# Fuzz harnesses (tests/fuzz/README.md): libFuzzer from Debian's clang,
# under ASan and UBSan.  The app's harnesses link the pure modules; the
# plugin's link every plugin source and the installed Janus itself, made
# loadable by tests/fuzz/janus_core.c.
FUZZ_CC	:= clang
FUZZ	:= $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
FUZZ_CFLAGS := -D_GNU_SOURCE -g -O1 $(WARN) $(FUZZ_SAN) \
	    -fsanitize=fuzzer-no-link -Itests/fuzz $(GMIME_CFLAGS)
FUZZ_APP := urlencoded multipart sniff tmpl json text social chat sms mail \
	    georeport dossier procedure
FUZZ_PLUGIN := rtp sdp sip request schedule
FUZZ_APP_BINS := $(FUZZ_APP:%=$(FUZZ)/fuzz_%)
FUZZ_PLUGIN_BINS := $(FUZZ_PLUGIN:%=$(FUZZ)/fuzz_%)

FUZZ_SRC_OBJS := $(PURE_SRCS:src/%.c=$(FUZZ)/src/%.o)
HL_PKGS	:= glib-2.0 jansson sofia-sip-ua libcurl
HL_SRCS	:= $(wildcard plugins/hotline/*.c)
HL_HDRS	:= $(wildcard plugins/hotline/*.h)
HL_LIBS	:= $(shell pkg-config --libs $(HL_PKGS) 2>/dev/null)
FUZZ_HL_CFLAGS := -std=gnu11 -Wno-initializer-overrides -Iplugins/hotline \
	    -I/usr/include/janus $(shell pkg-config --cflags $(HL_PKGS) 2>/dev/null)
FUZZ_HL_OBJS := $(HL_SRCS:plugins/hotline/%.c=$(FUZZ)/hotline/%.o)

fuzz-build: $(FUZZ_APP_BINS) $(FUZZ_PLUGIN_BINS)

# Each harness FUZZ_SECONDS (300) on its corpus; new inputs that reach new
# code are merged into tests/fuzz/corpus/ (FUZZ_KEEP=0: they are not).
fuzz: fuzz-build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} FUZZ_KEEP=$${FUZZ_KEEP:-1} \
	    tests/fuzz/run $(FUZZ_ONLY)

$(FUZZ)/src/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC  $< (fuzz)"; $(FUZZ_CC) -std=c11 $(FUZZ_CFLAGS) \
	    $(KORE_FEATURES) -Isrc -I/usr/include/kore -c $< -o $@

$(FUZZ)/hotline/%.o: plugins/hotline/%.c $(HL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC  $< (fuzz)"; $(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_HL_CFLAGS) \
	    -c $< -o $@

$(FUZZ)/janus_core: tests/fuzz/janus_core.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) $< -o $@

$(FUZZ)/libjanus-core.so: $(FUZZ)/janus_core /usr/bin/janus
	$(FUZZ)/janus_core /usr/bin/janus $@

$(FUZZ_APP_BINS): $(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(FUZZ_SRC_OBJS)
	$(FUZZ_CC) -std=c11 $(FUZZ_CFLAGS) $(KORE_FEATURES) -Isrc \
	    -I/usr/include/kore -fsanitize=fuzzer $< $(FUZZ_SRC_OBJS) \
	    -o $@ $(PURE_LIBS)

$(FUZZ_PLUGIN_BINS): $(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(FUZZ_HL_OBJS) $(FUZZ)/libjanus-core.so
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_HL_CFLAGS) -fsanitize=fuzzer $< \
	    $(FUZZ_HL_OBJS) -o $@ -L$(FUZZ) -l:libjanus-core.so \
	    -Wl,-rpath,$(abspath $(FUZZ)) $(HL_LIBS)

deps:
	scripts/install-deps

run: deps all
	scripts/run

up: deps all
	scripts/up

down:
	scripts/down

test:
	tests/run

# The user guide's screenshots (docs/huong-dan/anh/), taken by the browser
# test that also checks every page the guide names.
guide-shots:
	GUIDE_SHOTS=1 ONLY=e2e FILES=guide_screenshots tests/run

# The web API against PostgreSQL's own ceiling, then N simultaneous
# recorded calls through the hotline plugin (tests/bench/README.md).
bench: deps all
	tests/bench/run
	tests/hotline/bench.sh 10 50 100

clean:
	rm -rf $(BUILD)
	@if [ -f plugins/hotline/Makefile ]; then $(MAKE) -C plugins/hotline clean; fi

distclean: down clean
	rm -rf var node_modules tests/*/node_modules
