# Tổng đài 1022: build, run and test.  See README.md.

CC	?= cc
BUILD	:= build

# Kore apps must be compiled with the same feature flags as the kore binary,
# or the layout of struct http_request differs between the two.
KORE_FEATURES := $(shell cat /usr/share/kore/features 2>/dev/null)

WARN	:= -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wpointer-arith \
	   -Wno-unused-parameter
CFLAGS	+= -std=c11 -D_GNU_SOURCE -O2 -g -fPIC $(WARN)
APP_CFLAGS := $(CFLAGS) $(KORE_FEATURES) -Isrc -I/usr/include/kore
APP_LIBS := -lpq -lsodium -lcurl -ljansson -lunistring -lcrypto

APP_SRCS := $(wildcard src/*.c)
# Modules that include neither Kore nor app.h are "pure": unit tests link
# all of them.
PURE_SRCS := $(shell grep -LE 'include (<kore/|"app.h")' $(APP_SRCS) 2>/dev/null)
APP_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/app/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
SAN	:= -fsanitize=address,undefined -fno-omit-frame-pointer

.PHONY: all app app-san plugin tools deps run up down test unit bench clean distclean

all: app plugin tools

app: $(BUILD)/app.so

# The same app with AddressSanitizer and UBSan, for the integration tests
# (tests/run loads it into kore with libasan preloaded).
SAN_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/san/%.o)
app-san: $(BUILD)/san/app.so

$(BUILD)/san/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC  $< (sanitized)"; $(CC) $(APP_CFLAGS) -O1 $(SAN) -Wno-format-truncation -c $< -o $@

$(BUILD)/san/app.so: $(SAN_OBJS)
	$(CC) -shared $(SAN) -o $@.tmp $(SAN_OBJS) $(APP_LIBS)
	mv -f $@.tmp $@

$(BUILD)/app/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(APP_CFLAGS) -c $< -o $@

# Linked aside and renamed: a running Kore keeps the old file, never a
# half-written one.
$(BUILD)/app.so: $(APP_OBJS)
	$(CC) -shared -o $@.tmp $(APP_OBJS) $(APP_LIBS)
	mv -f $@.tmp $@

plugin:
	@if [ -f plugins/hotline/Makefile ]; then $(MAKE) -C plugins/hotline; fi

tools: $(BUILD)/hashpw $(BUILD)/hotline-key

$(BUILD)/hashpw: scripts/hashpw.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $< -o $@ -lsodium

# scripts/janus-up asks it for Janus's token secret (the contract's key).
$(BUILD)/hotline-key: scripts/hotline-key.c src/hotline_contract.c src/hotline_contract.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -Isrc scripts/hotline-key.c src/hotline_contract.c -o $@ -lcrypto

# Unit tests: each tests/unit/test_X.c with every pure module, under
# AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/tests/%: tests/unit/%.c $(PURE_SRCS) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(SAN) -Isrc $< $(PURE_SRCS) \
	    -o $@ -lcmocka -lsodium -lunistring -lcrypto

# The contract's known answers hold both sides: the plugin's contract.c
# (glib only) is linked beside Kore's.
CONTRACT_PLUGIN := plugins/hotline/contract.c
$(BUILD)/tests/test_hotline_contract: tests/unit/test_hotline_contract.c \
    $(PURE_SRCS) $(CONTRACT_PLUGIN) plugins/hotline/contract.h $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(SAN) -Isrc -Iplugins/hotline \
	    $(shell pkg-config --cflags glib-2.0) $< $(PURE_SRCS) $(CONTRACT_PLUGIN) \
	    -o $@ -lcmocka -lsodium -lunistring -lcrypto $(shell pkg-config --libs glib-2.0)

unit: $(UNIT_BINS)

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
