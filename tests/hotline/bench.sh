#!/bin/bash
# Hotline bench: N simultaneous recorded calls through janus.plugin.hotline,
# SIPp as the trunk's callers and N WebRTC operators (werift peers in Node,
# bench-agents.mjs), then the same media through the stock janus.plugin.sip
# for comparison.  Per round: calls completed, RTP loss both ways, jitter
# (RFC 3550 at the receiver, the source's own pacing, and what the path
# adds), CPU of Janus per call.  Runs as root, each round in its own
# private network namespace on loopback (see bench-run.sh).
#
# Usage: tests/hotline/bench.sh [N ...]          (default 10 50 100)
# BENCH_MODES   rounds per N, in order (default "hotline stock"; also
#               "phones": SIP phones as agents, the first bench)
# BENCH_TALK_S  seconds of talk measured per round (default 20)
# BENCH_GOAL_N  the goal: this many hotline calls with < 0.1 % loss (100)
# BENCH_QUIET   on a shared machine: before each round wait (up to
#               BENCH_QUIET_WAIT s, default 900) until the machine is less
#               than BENCH_QUIET % busy over 5 s (e.g. 25)
# BENCH_PEER_NICE  nice of the peers (SIPp, Node; default -10, see bench-run.sh)
# KEEP=1        keep the work folders (logs, reports, recordings)
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/hotline
[ "$(id -u)" = 0 ] || { echo "bench: needs root (unshare --net)"; exit 1; }
[ -f plugins/hotline/libjanus_hotline.so ] || { echo "bench: build the plugin first"; exit 1; }
for cmd in janus sipp node unshare ip; do
	command -v $cmd >/dev/null || { echo "bench: missing $cmd (scripts/packages-hotline.txt)"; exit 1; }
done
if [ ! -d "$HERE/node_modules/werift" ] || [ ! -d "$HERE/node_modules/playwright-core" ]; then
	# werift is pure TypeScript; playwright-core never downloads a browser.
	(cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit \
	    --no-fund --loglevel=error >/dev/null) ||
	    { echo "bench: npm ci in tests/hotline failed"; exit 1; }
fi
export ROOT BENCH_NS=1 BENCH_CALL_MS=${BENCH_CALL_MS:-10000}
export BENCH_TALK_S=${BENCH_TALK_S:-20}
GOAL_N=${BENCH_GOAL_N:-100}
[ $# -gt 0 ] || set -- 10 50 100
RESULTS=$(mktemp /tmp/hotline-bench-results.XXXXXX)
export BENCH_RESULTS=$RESULTS
echo "hotline bench: N = $*; modes ${BENCH_MODES:-hotline stock}; ${BENCH_TALK_S} s of talk measured per round; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Percent of both cores busy over 5 s (everyone's processes).
machine_busy() {
	local a b
	a=$(head -1 /proc/stat)
	sleep 5
	b=$(head -1 /proc/stat)
	echo "$a" "$b" | awk '{ for (i = 2; i <= 11; i++) { t0 += $i; t1 += $(i + 11) }
	    i0 = $5 + $6; i1 = $16 + $17
	    printf "%d", 100 * ((t1 - t0) - (i1 - i0)) / (t1 - t0) }'
}
wait_quiet() {
	local busy waited=0
	[ -n "${BENCH_QUIET:-}" ] || return 0
	while busy=$(machine_busy); [ "$busy" -ge "$BENCH_QUIET" ]; do
		waited=$((waited + 5))
		if [ $waited -ge "${BENCH_QUIET_WAIT:-900}" ]; then
			echo "  (machine still ${busy}% busy after ${waited} s: measuring anyway)"
			return 0
		fi
	done
	echo "  (machine ${busy}% busy before the round, waited ${waited} s; load average $(cut -d' ' -f1-3 /proc/loadavg))"
}

rc=0
for n in "$@"; do
	for mode in ${BENCH_MODES:-hotline stock}; do
		wait_quiet
		WORK=$(mktemp -d /tmp/hotline-bench.XXXXXX)
		export WORK
		unshare --net -- bash "$HERE/bench-run.sh" "$mode" "$n" || rc=1
		if [ "${KEEP:-0}" = 1 ]; then
			echo "  (work folder kept: $WORK)"
		else
			rm -rf "$WORK"
		fi
	done
done

# Ours against stock per N, and the goal.
node --input-type=module - "$RESULTS" "$GOAL_N" <<'JS' || rc=1
const fs = await import('node:fs');
const [file, goalN] = [process.argv[2], Number(process.argv[3])];
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const f = (x, d = 2) => Number.isFinite(x) ? x.toFixed(d) : '-';
for (const n of [...new Set(rows.map((r) => r.n))]) {
	const h = rows.find((r) => r.n === n && r.mode === 'hotline' && !r.failed);
	const s = rows.find((r) => r.n === n && r.mode === 'stock' && !r.failed);
	if (h && s)
		console.log(`compare N=${n}: Janus CPU per call-second hotline ${f(h.janus_ms_per_call_s)} ms, ` +
		    `stock SIP plugin ${f(s.janus_ms_per_call_s)} ms (hotline/stock ${f(h.janus_ms_per_call_s / s.janus_ms_per_call_s)})`);
}
const g = rows.find((r) => r.mode === 'hotline' && r.n === goalN);
if (!g) {
	console.log(`goal (${goalN} simultaneous recorded calls, loss < 0.1 %): not measured in this run`);
	process.exit(0);
}
const ok = !g.failed && g.completed === goalN && g.to_agent.loss_pct < 0.1 && g.to_caller.loss_pct < 0.1;
console.log(`goal (${goalN} simultaneous recorded calls, loss < 0.1 %): ` + (g.failed ? 'round failed' :
    `${g.completed}/${goalN} completed, loss ${f(g.to_agent.loss_pct, 3)}% / ${f(g.to_caller.loss_pct, 3)}%`) +
    ` -> ${ok ? 'OK' : 'FAILED'}` + (g.failed ? '' : `; over 200 ms late (not counted as lost): ` +
    `${f(g.to_agent.late_pct, 1)}% / ${f(g.to_caller.late_pct, 1)}%`));
process.exit(ok ? 0 : 1);
JS
if [ "${KEEP:-0}" = 1 ]; then
	echo "  (figures as JSON lines: $RESULTS)"
else
	rm -f "$RESULTS"
fi
exit $rc
