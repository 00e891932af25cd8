#!/bin/bash
# Hotline tests (janus.plugin.hotline), run by `make test` from the repo
# root as root, after `make -C plugins/hotline`.  Everything runs in a
# private network namespace (Janus's ICE never uses loopback, so the
# namespace gets a veth carrying 127.0.0.2/32) and is stopped on exit.
# Prints TAP; exits 0 iff all passed.  KEEP=1 keeps the work folder.
# HOTLINE_BENCH_SMOKE=0 skips the short bench round at the end.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/hotline

bail() {
	echo "not ok 1 - $*"
	echo "1..1"
	echo "# hotline: 0 passed, 1 failed"
	exit 1
}

[ "$(id -u)" = 0 ] || bail "hotline tests need root (unshare --net)"
for cmd in janus sipp chromium node unshare ip curl sox; do
	command -v $cmd >/dev/null || bail "missing $cmd (see scripts/packages-hotline.txt)"
done
[ -f plugins/hotline/libjanus_hotline.so ] || bail "plugins/hotline/libjanus_hotline.so not built"

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
	# playwright-core only drives /usr/bin/chromium: never a browser download.
	(cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit \
	    --no-fund --loglevel=error >/dev/null 2>&1) ||
	    bail "npm install in tests/hotline failed"
fi

make -s app tools >/dev/null 2>&1 || bail "the Kore app (build/app.so) or build/hotline-key does not build"

WORK=$(mktemp -d /tmp/hotline-test.XXXXXX)
# PostgreSQL of the console test runs as "postgres" and must reach it.
chmod 711 "$WORK"
export WORK ROOT

# Most tests run against a copy of the plugin built with AddressSanitizer
# and UBSan (preloaded into janus); the out-of-hours test restarts Janus
# with the regular build.  HOTLINE_SANITIZE=0 skips the sanitized build.
if [ "${HOTLINE_SANITIZE:-1}" = 1 ]; then
	mkdir -p "$WORK/asan"
	cp plugins/hotline/*.c plugins/hotline/*.h plugins/hotline/Makefile "$WORK/asan/"
	if make -s -j2 -C "$WORK/asan" SANITIZE=1 >"$WORK/asan/build.log" 2>&1; then
		export HOTLINE_PLUGIN_ASAN=$WORK/asan/libjanus_hotline.so
	else
		sed 's/^/# /' "$WORK/asan/build.log"
		bail "sanitized build of the plugin failed"
	fi
fi
unshare --net -- bash "$HERE/netns.sh"
rc=$?
# A short round of the bench (2 calls through janus.plugin.hotline, then
# through the stock janus.plugin.sip; about 30 s), so `make bench` cannot
# rot unnoticed.  Its figures mean nothing at this size; every call must
# complete: answered, media both ways, hung up, recorded.
if [ "${HOTLINE_BENCH_SMOKE:-1}" = 1 ]; then
	if out=$(BENCH_TALK_S=3 BENCH_SETTLE_S=1 timeout 120 bash "$HERE/bench.sh" 2 2>&1); then
		echo "ok - bench smoke: 2 recorded calls through the hotline and the stock SIP plugin, WebRTC agents, RTP both ways"
	else
		echo "not ok - bench smoke: tests/hotline/bench.sh 2 failed"
		echo "$out" | sed 's/^/# /'
		rc=1
	fi
fi
# Belt and braces: a Janus of this run still alive (pid file in our own
# work folder) is stopped by its pid.
for d in var stack; do
	pid=$(cat "$WORK/$d/janus.pid" 2>/dev/null)
	if [ -n "$pid" ] && grep -qs "$WORK/" "/proc/$pid/cmdline"; then
		kill "$pid" 2>/dev/null
		echo "# stopped a leftover Janus (pid $pid)"
	fi
done
if [ -f "$WORK/stack/pgdata/postmaster.pid" ]; then
	VAR_DIR=$WORK/stack scripts/down >/dev/null 2>&1
	echo "# stopped the console test's leftover Kore and PostgreSQL"
fi
if [ "${KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
	echo "# work folder kept: $WORK (Janus log: $WORK/var/log/janus.log)"
else
	rm -rf "$WORK"
fi
exit $rc
