#!/bin/bash
# Hotline bench: N simultaneous recorded calls.  SIPp places N calls (G.711
# A-law, RTP) through the trunk side; N SIP phones registered as agents
# (one SIPp, digest auth, RTP echo) answer them; every call is bridged and
# recorded by janus.plugin.hotline.  Checks every call's event and WAV and
# reports Janus's CPU time.  Runs as root in a private network namespace
# on loopback.   Usage: tests/hotline/bench.sh [N ...]   (default 10 50 100)
# BENCH_CALL_MS: how long each call talks (default 10000).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
[ "$(id -u)" = 0 ] || { echo "bench: needs root (unshare --net)"; exit 1; }
[ -f plugins/hotline/libjanus_hotline.so ] || { echo "bench: build the plugin first"; exit 1; }
export ROOT BENCH_NS=1 BENCH_CALL_MS=${BENCH_CALL_MS:-10000}
[ $# -gt 0 ] || set -- 10 50 100
rc=0
for n in "$@"; do
	WORK=$(mktemp -d /tmp/hotline-bench.XXXXXX)
	export WORK
	unshare --net -- bash "$ROOT/tests/hotline/bench-run.sh" "$n" || rc=1
	[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
done
exit $rc
