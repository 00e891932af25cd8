#!/bin/bash
# One bench round inside the private network namespace made by bench.sh.
# Usage: bench-run.sh MODE N
#   hotline  SIPp calls 1022 N times (media: bench-trunk.mjs), N WebRTC
#            operators (bench-agents.mjs, werift) answer; recorded as WAV
#   stock    the same media through the stock janus.plugin.sip: the N
#            WebRTC peers call a SIPp UAS (media: bench-trunk.mjs) and
#            record with the plugin's `recording` request (.mjr)
#   phones   N SIP phones (SIPp, rtp_echo) registered as agents answer N
#            SIPp calls (the first bench: SIP only, no WebRTC)
set -u
MODE=$1 N=$2
cd "$ROOT"
HERE=$ROOT/tests/hotline
SIPP_DIR=$HERE/sipp
ip link set lo up
# Janus's ICE never uses loopback: a veth carrying 127.0.0.2 (netns.sh).
ip link add v0 type veth peer name v1
ip addr add 127.0.0.2/32 dev v0
ip link set v0 up
ip link set v1 up
export VAR_DIR=$WORK/var JANUS_WS_PORT=18288 SIP_PORT=15162 SIP_IP=127.0.0.1
export SIP_TRUNKS=127.0.0.1 KORE_URL=http://127.0.0.1:9 RING_TIMEOUT=20
export WRAPUP_TIME=0 QUEUE_MAX_WAIT=0 OPEN_HOURS=always HOLIDAYS=
export JANUS_RTP_PORTS=30000-30999 HOTLINE_RTP_PORTS=32000-39999
export HOTLINE_SECRET_FILE=$VAR_DIR/hotline.secret JANUS_ICE_ENFORCE_LIST=v0
export JANUS_DEBUG_LEVEL=${JANUS_DEBUG_LEVEL:-3}
TRUNK_PORT=40000 UAS_PORT=15170
# The peers (Node, SIPp) stand in for phones and browsers on other
# machines: they run before Janus when the 2 cores are short, so what is
# measured is Janus, not the load generator starved by Janus's threads.
PEER_NICE=${BENCH_PEER_NICE:--10}

children=""
cleanup() {
	for p in $children; do kill "$p" 2>/dev/null; done
	"$ROOT/scripts/janus-down" >/dev/null 2>&1
}
trap cleanup EXIT

# Waits (up to $3 s) for a line starting with $2 in file $1.
wait_ready_word() {
	local i=0
	until grep -qs "^$2" "$1"; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}
wait_ready() {
	wait_ready_word "$1" READY "$2"
}

webrtc_round() {
	if [ "$MODE" = stock ]; then
		export JANUS_EXTRA_PLUGINS=${JANUS_LIBDIR:-/usr/lib/x86_64-linux-gnu/janus}/plugins/libjanus_sip.so
		export JANUS_EXTRA_CONFIGS=$HERE/bench-conf/janus.plugin.sip.jcfg
	fi
	scripts/janus-up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }
	export JANUS_PID=$(cat "$VAR_DIR/janus.pid")
	mkdir -p "$WORK/rec"

	nice -n "$PEER_NICE" node "$HERE/bench-trunk.mjs" "$N" $TRUNK_PORT "$WORK/trunk.csv" \
	    "$WORK/trunk.json" >"$WORK/trunk.out" 2>&1 &
	trunk=$!
	children="$children $trunk"
	echo "trunk $trunk" >"$WORK/pids"
	wait_ready "$WORK/trunk.out" 20 || { cat "$WORK/trunk.out"; exit 1; }

	cd "$SIPP_DIR"
	if [ "$MODE" = stock ]; then
		nice -n "$PEER_NICE" sipp -sf bench_uas.xml -inf "$WORK/trunk.csv" -i 127.0.0.1 \
		    -mi 127.0.0.1 -p $UAS_PORT -mp 17400 -m "$N" -cp 19503 \
		    -nostdin -timeout 600s -timeout_error -trace_err \
		    -error_file "$WORK/uas.err" >/dev/null 2>&1 &
		sipp=$!
		children="$children $sipp"
		echo "sipp $sipp" >>"$WORK/pids"
	fi
	BENCH_MODE=$MODE BENCH_N=$N BENCH_UAS=sip:1022@127.0.0.1:$UAS_PORT \
	    nice -n "$PEER_NICE" node --experimental-websocket ${BENCH_AGENTS_NODE_FLAGS:-} "$HERE/bench-agents.mjs" \
	    >"$WORK/agents.out" 2>"$WORK/agents.err" &
	agents=$!
	children="$children $agents"
	if [ "$MODE" = hotline ]; then
		wait_ready "$WORK/agents.out" 60 ||
		    { echo "bench $MODE N=$N: agents not ready"; cat "$WORK/agents.err"; exit 1; }
		nice -n "$PEER_NICE" sipp -sf bench_caller.xml -inf "$WORK/trunk.csv" -s 1022 \
		    127.0.0.1:$SIP_PORT -i 127.0.0.1 -mi 127.0.0.1 -p 17200 \
		    -mp 17300 -m "$N" -l "$N" -r 20 -cp 19502 -nostdin \
		    -timeout 600s -timeout_error -trace_err \
		    -error_file "$WORK/callers.err" >/dev/null 2>&1 &
		sipp=$!
		children="$children $sipp"
		echo "sipp $sipp" >>"$WORK/pids"
	fi
	cd "$ROOT"
	if [ "${BENCH_WIRE:-0}" = 1 ]; then
		# Diagnostic: what crossed the loopback during the window.
		wait_ready_word "$WORK/agents.out" WINDOW 300 &&
		    python3 "$HERE/bench-wire.py" "$((BENCH_TALK_S - 1))" \
		    >"$WORK/wire.out" 2>&1 &
	fi
	wait $agents
	[ "${BENCH_VERBOSE:-0}" = 1 ] && cat "$WORK/agents.err"
	# SIPp ends once every call got its BYE; give it a moment.
	for i in $(seq 1 100); do
		kill -0 $sipp 2>/dev/null || break
		sleep 0.1
	done
	kill $sipp 2>/dev/null
	kill -TERM $trunk
	wait $trunk
	# Let the plugin finish the recordings and spool the events.
	sleep 1
	node "$HERE/bench-report.mjs" "$MODE" "$N"
	brc=$?
	[ -s "$WORK/wire.out" ] && cat "$WORK/wire.out"
	return $brc
}

phones_round() {
	ext=""
	for i in $(seq 1 "$N"); do
		e=$((2000 + i))
		ext="$ext${ext:+,}$e:bench$e:benchpass$e"
	done
	export SIP_EXTENSIONS=$ext
	scripts/janus-up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }
	pid=$(cat "$VAR_DIR/janus.pid")

	cd "$SIPP_DIR"
	# One short SIPp per phone (digest credentials are per process), all with
	# the contact port the answering SIPp listens on below.
	for i in $(seq 1 "$N"); do
		e=$((2000 + i))
		sipp -sf bench_register.xml 127.0.0.1:$SIP_PORT -s $e -au $e \
		    -ap benchpass$e -m 1 -i 127.0.0.1 -p 17000 -cp 19500 -nostdin \
		    -timeout 10s -timeout_error -trace_err \
		    -error_file "$WORK/reg.err" >/dev/null 2>&1 ||
		    { echo "bench N=$N: phone $e did not register"; exit 1; }
	done

	cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
	t0=$(date +%s.%N)
	sipp -sf bench_phone.xml -i 127.0.0.1 -mi 127.0.0.1 -p 17000 -mp 17100 \
	    -rtp_echo -d "$BENCH_CALL_MS" -m "$N" -cp 19501 -nostdin -timeout 180s \
	    -timeout_error -trace_err -error_file "$WORK/phones.err" \
	    >/dev/null 2>&1 &
	phones=$!
	sipp -sf caller.xml -s 1022 127.0.0.1:$SIP_PORT -i 127.0.0.1 -mi 127.0.0.1 \
	    -p 17200 -mp 17300 -m "$N" -l "$N" -r 50 -cp 19502 -nostdin \
	    -timeout 180s -timeout_error -trace_err -error_file "$WORK/callers.err" \
	    >/dev/null 2>&1
	crc=$?
	wait $phones
	prc=$?
	t1=$(date +%s.%N)
	cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
	cd "$ROOT"

	# Every call.ended event is still in the spool (no Kore here).
	python3 - "$VAR_DIR" "$N" "$BENCH_CALL_MS" "$crc" "$prc" \
	    "$(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK)" | bc -l)" \
	    "$(echo "$t1 - $t0" | bc -l)" <<'PY'
import json, os, struct, sys, math, glob
var, n, ms, crc, prc, cpu, wall = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4], sys.argv[5], float(sys.argv[6]), float(sys.argv[7])
evs = [json.load(open(f)) for f in glob.glob(os.path.join(var, 'spool/call-events/*.json'))]
answered = [e for e in evs if e['disposition'] == 'answered' and e['recording']]
good = 0
for e in answered:
    b = open(os.path.join(var, 'recordings', e['recording']), 'rb').read()
    ch, rate, dlen = struct.unpack('<H', b[22:24])[0], struct.unpack('<I', b[24:28])[0], struct.unpack('<I', b[40:44])[0]
    frames = dlen // 4
    s = [0.0, 0.0]
    for i in range(0, frames, 4):
        l, r = struct.unpack_from('<hh', b, 44 + i * 4)
        s[0] += l * l; s[1] += r * r
    rms = [math.sqrt(x / max(1, frames / 4)) for x in s]
    secs = frames / rate
    if ch == 2 and rate == 8000 and abs(secs - ms / 1000) < 1.5 and rms[0] > 300 and rms[1] > 300:
        good += 1
ok = crc == '0' and prc == '0' and len(answered) == n and good == n
print(f"bench N={n}: sipp callers rc={crc} phones rc={prc}; answered+recorded {len(answered)}/{n}; "
      f"WAVs with both channels and the call's length {good}/{n}; "
      f"janus CPU {cpu:.1f} s over {wall:.1f} s ({100 * cpu / wall:.0f}% of one core) "
      f"-> {'OK' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
PY
}

case $MODE in
hotline|stock) webrtc_round ;;
phones) phones_round ;;
*) echo "bench-run: unknown mode $MODE"; exit 2 ;;
esac
