#!/usr/bin/env python3
# Diagnostic for the hotline bench (BENCH_WIRE=1): counts the RTP on the
# loopback of the round's network namespace for SECONDS and prints, per
# hop, the sequence numbers that never appeared on the wire.  Tells a
# packet a sender never sent from one a receiver lost.  Headers only (the
# WebRTC leg is SRTP, but its RTP header is in clear).
import collections
import socket
import struct
import sys
import time

HOPS = {  # (source port range, destination port range) -> name
    ((40000, 40999), (32000, 44999)): 'trunk->plugin',
    ((30000, 30999), (1024, 65535)): 'janus->agent',
    ((1024, 65535), (30000, 30999)): 'agent->janus',
    ((32000, 44999), (40000, 40999)): 'plugin->trunk',
}


def hop(sp, dp):
    for ((a, b), (c, d)), name in HOPS.items():
        if a <= sp <= b and c <= dp <= d:
            return name
    return None


s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
s.bind(("lo", 0))
s.settimeout(0.2)
end = time.time() + float(sys.argv[1])
seqs = collections.defaultdict(list)
while time.time() < end:
    try:
        b, addr = s.recvfrom(2048)
    except socket.timeout:
        continue
    if addr[2] == socket.PACKET_OUTGOING or len(b) < 14 + 20 + 8 + 12:
        continue
    ip = b[14:]
    if ip[9] != 17:
        continue
    ihl = (ip[0] & 15) * 4
    sp, dp = struct.unpack('!HH', ip[ihl:ihl + 4])
    p = ip[ihl + 8:]
    if p[0] & 0xc0 != 0x80 or (p[1] & 0x7f) not in (0, 8):
        continue
    name = hop(sp, dp)
    if name:
        seqs[(name, sp, dp, p[8:12])].append(struct.unpack('!H', p[2:4])[0])
out = collections.defaultdict(lambda: [0, 0, 0, 0])
for (name, *_), v in seqs.items():
    u = sorted(set(v))
    o = out[name]
    o[0] += 1
    o[1] += len(v)
    o[2] += len(v) - len(u)
    o[3] += sum(c - a - 1 for a, c in zip(u, u[1:]) if 1 < c - a < 1000)
for name, (streams, pkts, dups, missing) in sorted(out.items()):
    print(f'  wire {name}: {streams} streams, {pkts} packets, '
          f'{dups} repeated, {missing} sequence numbers never sent')
