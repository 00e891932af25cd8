#!/bin/bash
# Inside the private network namespace made by run.sh: loopback up, a veth
# with 127.0.0.2/32 for ICE, our own Janus on test ports, then the tests.
set -u
cd "$ROOT"

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 127.0.0.2/32 dev v0
ip link set v0 up
ip link set v1 up

export VAR_DIR=$WORK/var
export JANUS_WS_PORT=18188 SIP_PORT=15062 SIP_IP=127.0.0.1 SIP_TRUNKS=127.0.0.1
export KORE_URL=http://127.0.0.1:18888 TEST_WEB_PORT=18889
export HOTLINE_SECRET_FILE=$VAR_DIR/hotline.secret
export JANUS_ICE_ENFORCE_LIST=v0 RING_TIMEOUT=3 WRAPUP_TIME=1
export QUEUE_MAX_WAIT=8 VOICEMAIL_MAX=3 OPEN_HOURS=always HOLIDAYS=
export TRANSFER_URI='sip:{number}@127.0.0.1:15070' TRANSFER_TIMEOUT=6
export JANUS_RTP_PORTS=30000-30999 HOTLINE_RTP_PORTS=31000-31999

cleanup() {
	"$ROOT/scripts/janus-down" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Faults the tests switch on by creating files (tests/hotline/faults.c).
export HOTLINE_FAULTS=$WORK/faults
mkdir -p "$HOTLINE_FAULTS"
if cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$WORK/faults.so" \
    "$ROOT/tests/hotline/faults.c" -ldl; then
	export JANUS_PRELOAD=$WORK/faults.so
fi

export HOTLINE_PLUGIN_REGULAR=$ROOT/plugins/hotline/libjanus_hotline.so
if [ -n "${HOTLINE_PLUGIN_ASAN:-}" ]; then
	export HOTLINE_PLUGIN=$HOTLINE_PLUGIN_ASAN HOTLINE_SANITIZE=1
else
	export HOTLINE_PLUGIN=$HOTLINE_PLUGIN_REGULAR HOTLINE_SANITIZE=0
fi
if ! out=$(scripts/janus-up 2>&1); then
	echo "not ok 1 - Janus starts with janus.plugin.hotline"
	echo "$out" | sed 's/^/# /'
	echo "1..1"
	echo "# hotline: 0 passed, 1 failed"
	exit 1
fi
echo "# Janus started with $HOTLINE_PLUGIN (SIP 15062 udp+tcp, ws 18188)"
# HOTLINE_PART selects: all (default), e2e (the first part only),
# deskphone (the desk-phone checks only), console (the second part only).
part=${HOTLINE_PART:-all}
rc=0
: >"$WORK/e2e.tap"
if [ "$part" = all ] || [ "$part" = e2e ]; then
	timeout 420 node "$ROOT/tests/hotline/e2e.mjs" | tee "$WORK/e2e.tap"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi
# One TAP stream: each part numbers on from the one before.
TAP_START=$(grep -cE '^(not )?ok ' "$WORK/e2e.tap")
export TAP_START

# Desk phones (issue 11) on a Janus of their own: a caller waits long
# enough (QUEUE_MAX_WAIT 60) for a phone to miss it, come back with a
# feature code and be offered it again.
if [ "$part" = all ] || [ "$part" = deskphone ]; then
	"$ROOT/scripts/janus-down" >/dev/null 2>&1
	if out=$(QUEUE_MAX_WAIT=60 SIP_EXTENSIONS=101:op101:mat-khau-101 \
	    scripts/janus-up 2>&1); then
		HOTLINE_E2E=deskphone timeout 200 node "$ROOT/tests/hotline/e2e.mjs" |
		    tee -a "$WORK/e2e.tap"
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	else
		echo "not ok - Janus starts again for the desk-phone checks"
		echo "$out" | sed 's/^/# /'
		rc=1
	fi
	TAP_START=$(grep -cE '^(not )?ok ' "$WORK/e2e.tap")
fi
[ "$part" = all ] || [ "$part" = console ] || exit $rc

# Second part: the real product.  Kore and PostgreSQL with demo users in a
# stack of their own (this namespace's ports), Janus reporting to that
# Kore, and Chromium driving /dtv/tong-dai and /giam-sat/truc-tiep.
"$ROOT/scripts/janus-down" >/dev/null 2>&1
unset APP_DB APP_SO KORE_WRAPPER HOLIDAYS NO_JANUS
export VAR_DIR=$WORK/stack HTTP_PORT=18888 PG_PORT=15433 PG_DB=tongdai_hotline
export HOTLINE_SECRET_FILE=$WORK/stack/hotline.secret KORE_WORKERS=1
export PUBLIC_URL=http://127.0.0.1:18888 APP_RATE_SUBMIT=50 APP_RATE_LOGIN=50
# Nobody logged in: voicemail after 4 s, well before QUEUE_MAX_WAIT (8 s).
export NO_AGENT_GRACE=4
stack_down() {
	"$ROOT/scripts/down" >/dev/null 2>&1
}
trap 'stack_down; cleanup' EXIT
if ! out=$(DEMO=1 DEMO_PASSWORD_CHANGE=0 "$ROOT/scripts/up" 2>&1); then
	echo "not ok - Kore, PostgreSQL and Janus start for the console test"
	echo "$out" | sed 's/^/# /'
	tail -20 "$VAR_DIR/log/kore.log" 2>/dev/null | sed 's/^/# /'
	exit 1
fi
if [ ! -f "$VAR_DIR/janus.pid" ]; then
	echo "not ok - Janus starts beside Kore for the console test"
	echo "$out" | sed 's/^/# /'
	exit 1
fi
echo "# real stack: Kore :$HTTP_PORT, PostgreSQL :$PG_PORT, Janus with $HOTLINE_PLUGIN"
timeout 300 node "$ROOT/tests/hotline/console.mjs" || rc=1
exit $rc
