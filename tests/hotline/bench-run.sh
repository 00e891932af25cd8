#!/bin/bash
# One bench round inside the namespace made by bench.sh; $1 = N calls.
set -u
N=$1
cd "$ROOT"
ip link set lo up
export VAR_DIR=$WORK/var JANUS_WS_PORT=18288 SIP_PORT=15162 SIP_IP=127.0.0.1
export SIP_TRUNKS=127.0.0.1 KORE_URL=http://127.0.0.1:9 RING_TIMEOUT=20
export WRAPUP_TIME=0 QUEUE_MAX_WAIT=0 OPEN_HOURS=always HOLIDAYS=
export JANUS_RTP_PORTS=30000-30999 HOTLINE_RTP_PORTS=32000-39999
SIPP_DIR=$ROOT/tests/hotline/sipp

ext=""
for i in $(seq 1 "$N"); do
	e=$((2000 + i))
	ext="$ext${ext:+,}$e:bench$e:benchpass$e"
done
export SIP_EXTENSIONS=$ext
trap '"$ROOT/scripts/janus-down" >/dev/null 2>&1' EXIT
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
